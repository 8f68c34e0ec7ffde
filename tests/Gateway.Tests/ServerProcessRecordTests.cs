using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.Gateway.Live;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The real gateway process with its default logging: what reaches the logs, and what an erasure leaves after SIGKILL.</summary>
[Trait("Category", "cluster")]
public sealed class ServerProcessRecordTests : IDisposable
{
    private readonly int _httpPort = Ports.Free();
    private readonly int _siloPort = Ports.Free();
    private readonly int _gatewayPort = Ports.Free();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));
    private ServerProcess? _server;

    private Uri BaseAddress => new($"http://127.0.0.1:{_httpPort}");

    [Fact]
    public async Task The_hub_token_in_the_query_string_reaches_no_log_line_at_the_default_levels()
    {
        await StartServer();
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var admin = await StaffTokens.FromKeyAsync(http, GatewayHost.AdminKey, "admin", "Admin");
        http.DefaultRequestHeaders.Authorization = new("Bearer", admin);
        var id = (await (await http.PostAsJsonAsync("/api/consultations", new { title = "Logs" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var anonymous = new HttpClient { BaseAddress = BaseAddress };
        var participant = (await StaffTokens.ParticipantAsync(anonymous)).Token;

        // A browser cannot set headers on a WebSocket or an EventSource: its SignalR client puts the token in the
        // query string there. Do exactly that: negotiate, then open the socket with ?access_token=, handshake and join.
        using (var negotiating = new HttpClient { BaseAddress = BaseAddress })
        {
            negotiating.DefaultRequestHeaders.Authorization = new("Bearer", participant);
            var negotiated = await (await negotiating.PostAsync($"{DialogueHub.Path}/negotiate?negotiateVersion=1", null)).Content.ReadFromJsonAsync<JsonElement>();
            var connectionToken = negotiated.GetProperty("connectionToken").GetString();
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_httpPort}{DialogueHub.Path}?id={connectionToken}&access_token={participant}"), CancellationToken.None);
            const char separator = '\u001e';
            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"protocol\":\"json\",\"version\":1}}{separator}"), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Join\",\"arguments\":[\"{id}\",0]}}{separator}"), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[64 * 1024];
            var received = new System.Text.StringBuilder();
            while (!received.ToString().Contains("\"invocationId\":\"1\"", StringComparison.Ordinal))
            {
                var chunk = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
                received.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, chunk.Count));
            }

            // The join answered with the consultation: the authenticated socket really went through the request pipeline.
            Assert.Contains("\"result\"", received.ToString(), StringComparison.Ordinal);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        await Task.Delay(500);
        await _server!.KillAsync();
        var output = _server.AllOutput();

        // The check can fail: the default levels do write lines (startup), and a raised level would show the URL with the token.
        Assert.Contains("Now listening on", output, StringComparison.Ordinal);
        Assert.DoesNotContain(participant, output, StringComparison.Ordinal);
        Assert.DoesNotContain(admin, output, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_erasure_survives_sigkill_and_restart()
    {
        await StartServer();
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var admin = await StaffTokens.FromKeyAsync(http, GatewayHost.AdminKey, "admin", "Admin");
        using var staff = new HttpClient { BaseAddress = BaseAddress };
        staff.DefaultRequestHeaders.Authorization = new("Bearer", admin);
        var id = (await (await staff.PostAsJsonAsync("/api/consultations", new { title = "Erase" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var citizen = new HttpClient { BaseAddress = BaseAddress };
        citizen.DefaultRequestHeaders.Authorization = new("Bearer", (await StaffTokens.ParticipantAsync(http)).Token);
        (await citizen.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Teks-rahasia-SIGKILL satu" })).EnsureSuccessStatusCode();
        (await citizen.PostAsJsonAsync("/api/me/erase", new { confirm = true })).EnsureSuccessStatusCode();

        await _server!.KillAsync();
        await StartServer();

        var items = await staff.GetStringAsync($"/api/consultations/{id}/items");
        Assert.DoesNotContain("Teks-rahasia-SIGKILL", items, StringComparison.Ordinal);
        Assert.Contains("[dihapus atas permintaan penulis]", items, StringComparison.Ordinal);
        Assert.True((await staff.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log/verify")).GetProperty("valid").GetBoolean());
        foreach (var file in Directory.EnumerateFiles(_dataDirectory, "journal.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            Assert.DoesNotContain("Teks-rahasia-SIGKILL", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        _server?.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartServer()
    {
        _server?.Dispose();
        _server = ServerProcess.Gateway(new Dictionary<string, string>
        {
            // The levels an operator gets without configuring any (ServerProcess quiets them otherwise).
            ["Logging__LogLevel__Default"] = "Information",
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["Dialogue__DataDirectory"] = _dataDirectory,
            ["Dialogue__AdminKey"] = GatewayHost.AdminKey,
            ["Dialogue__SiloPort"] = _siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dialogue__GatewayPort"] = _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _server.Start();
        await _server.WaitHealthyAsync(BaseAddress);
    }
}
