using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenGov.Dialogue.Cli.Exchange;

/// <summary>HTTP plumbing shared by export and import: the client, staff tokens, problem+json errors.</summary>
internal static class DialogueHttp
{
    /// <summary>Tests swap in a fake handler here so that no server is needed.</summary>
    internal static Func<HttpMessageHandler>? HandlerOverride { get; set; }

    public static HttpClient CreateClient(Uri target)
    {
        // Imports of large conversations stream progress for minutes; the default 100 s would cut them off.
        var client = HandlerOverride is { } handler ? new HttpClient(handler(), disposeHandler: true) : new HttpClient();
        client.BaseAddress = target;
        client.Timeout = TimeSpan.FromMinutes(30);
        return client;
    }

    public static Uri ParseTarget(string raw)
    {
        if (!Uri.TryCreate(raw.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--target must be an http(s) URL, got '{raw}'");
        }

        return uri;
    }

    /// <summary>Exchanges the admin key for a staff bearer token.</summary>
    public static async Task AuthenticateAsync(HttpClient client, string adminKey, string clientName)
    {
        using var response = await SendAsync(() => client.PostAsJsonAsync("api/auth/token", new { key = adminKey, role = "admin", name = clientName }));
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"token request refused: {await ProblemAsync(response)}");
        }

        string? token = null;
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("token", out var value) && value.ValueKind == JsonValueKind.String)
            {
                token = value.GetString();
            }
        }
        catch (JsonException)
        {
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            token ?? throw new CliException("the token response has no \"token\""));
    }

    /// <summary>Turns connection failures into one-line user errors.</summary>
    public static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach the server: {ex.Message}");
        }
        catch (TaskCanceledException)
        {
            throw new CliException("the server did not answer within 30 minutes");
        }
    }

    /// <summary>The <c>detail</c> of a problem+json body, else its title, else the status line.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            var text = await response.Content.ReadAsStringAsync();
            using var body = JsonDocument.Parse(text);
            if (body.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in (string[])["detail", "title"])
                {
                    if (body.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } message)
                    {
                        return message;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return status;
    }
}
