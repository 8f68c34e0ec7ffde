using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.Gateway.Consultations;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The real server process, killed with SIGKILL right after acknowledgements, restarted on the
/// same data directory: every acknowledged item and vote must be there.
/// </summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));
    private readonly int _httpPort = GatewayHost.FreePort();
    private readonly int _siloPort = GatewayHost.FreePort();
    private readonly int _gatewayPort = GatewayHost.FreePort();
    private Process? _server;

    private Uri BaseAddress => new($"http://127.0.0.1:{_httpPort}");

    [Fact]
    public async Task Acknowledged_items_and_votes_survive_sigkill()
    {
        await StartServer();
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var adminToken = await Token(http, new { key = GatewayHost.AdminKey, role = "admin", name = "Admin" });
        using var admin = new HttpClient { BaseAddress = BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", adminToken);
        var created = await (await admin.PostAsJsonAsync("/api/consultations", new { title = "Durable", mode = "qa", moderation = "post" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<SubmitItemResponse>();
        var votes = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var participant = new HttpClient { BaseAddress = BaseAddress };
            using var tokenResponse = await participant.PostAsync("/api/auth/participant", null);
            var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
            participant.DefaultRequestHeaders.Authorization = new("Bearer", token);
            using var submit = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"k{i}", text = $"Pertanyaan nomor {i}" });
            submit.EnsureSuccessStatusCode();
            var ack = (await submit.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!;
            acknowledged.Add(ack);
            using var vote = await participant.PostAsJsonAsync($"/api/consultations/{id}/items/i1/votes", new { value = 1 });
            if (vote.IsSuccessStatusCode)
            {
                votes.Add(ack.Id);
            }
        }));

        _server!.Kill(entireProcessTree: true);
        await _server.WaitForExitAsync();
        await StartServer();

        var page = await admin.GetFromJsonAsync<RestApiTests.ItemPageDto>($"/api/consultations/{id}/items?after=0", GatewayHost.Json);
        Assert.Equal(40, acknowledged.Count);
        Assert.Equal(acknowledged.Select(a => a.Id).Order(), page!.Items.Select(i => i.Id).Order());
        foreach (var ack in acknowledged)
        {
            Assert.Contains(page.Items, i => i.Id == ack.Id && i.Text.Length > 0);
        }

        Assert.Equal(votes.Count, page.Items.Single(i => i.Id == "i1").Votes.Up);
        Assert.True(votes.Count > 0);
    }

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit();
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<string> Token(HttpClient http, object request)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/token", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task StartServer()
    {
        var start = new ProcessStartInfo("dotnet", [GatewayAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        start.Environment["Dialogue__DataDirectory"] = _dataDirectory;
        start.Environment["Dialogue__AdminKey"] = GatewayHost.AdminKey;
        start.Environment["Dialogue__SiloPort"] = _siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Dialogue__GatewayPort"] = _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Dialogue__SubmissionsPerMinute"] = "100";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_server.ExitCode}.");
            }

            try
            {
                using var health = await http.GetAsync("/health");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The server did not become healthy within 60 s.");
    }

    /// <summary>The Gateway's own build output, in the same configuration as these tests.</summary>
    private static string GatewayAssembly()
    {
        var here = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dir = new DirectoryInfo(here);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGov.Dialogue.sln")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("Repository root not found."), "src", "Gateway", "bin", configuration, "net10.0", "OpenGov.Dialogue.Gateway.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the Gateway first.", path);
    }
}
