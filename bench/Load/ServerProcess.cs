using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// The project's server (embedded default, fresh data directory) as its own process on
/// 127.0.0.1, started from the Gateway's build output and stopped at the end.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminKey = "9c41e07b2fd85a36c1e94b0d7a2f6e58";

    private readonly Process _process;
    private readonly string _dataDirectory;

    private ServerProcess(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        _dataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    public static Task<ServerProcess> StartAsync(Dictionary<string, string>? settings = null) =>
        StartAsync("OpenGov.Dialogue.Gateway.dll", settings);

    /// <summary>The baseline: a bare SignalR relay hub, no Orleans, no storage.</summary>
    public static Task<ServerProcess> StartBaselineAsync() => StartAsync("dialogue-baseline.dll", null);

    /// <summary>A standalone silo (src/Silo): no HTTP API, so it is not waited for here; the caller watches the membership table.</summary>
    public static Task<ServerProcess> StartSiloAsync(Dictionary<string, string> settings) =>
        StartAsync("OpenGov.Dialogue.Silo.dll", settings, waitHealthy: false);

    private static async Task<ServerProcess> StartAsync(string assembly, Dictionary<string, string>? settings, bool waitHealthy = true)
    {
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "dialogue-load", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", [Built(assembly)]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Dialogue__DataDirectory"] = dataDirectory;
        start.Environment["Dialogue__AdminKey"] = AdminKey;
        start.Environment["Dialogue__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Dialogue__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        // The load generator is one address minting thousands of participants: exactly what the per-address limit stops.
        start.Environment["Dialogue__ParticipantTokensPerAddress"] = "1000000";
        // The load tool measures the live path, not admission: its thousands of participants skip the proof of work
        // (the `identities` scenario measures that) and vote as fast as the scenario asks.
        start.Environment["Dialogue__ParticipantProofBits"] = "0";
        start.Environment["Dialogue__VotesPerMinute"] = "1000000";
        foreach (var (key, value) in settings ?? [])
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"[server] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        if (waitHealthy)
        {
            await WaitHealthy(server.Address, process);
        }

        return server;
    }

    /// <summary>Resident memory of the server process, in MiB.</summary>
    public double RssMiB()
    {
        _process.Refresh();
        return _process.WorkingSet64 / 1024.0 / 1024.0;
    }

    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitHealthy(Uri address, Process? process = null)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode}.");
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

        throw new TimeoutException($"{address} did not become healthy within 90 s.");
    }

    private static string Built(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException("A server's build output is missing.", path);
    }
}

/// <summary>REST calls the scenarios share.</summary>
public sealed class DialogueApi(Uri address, string adminKey) : IDisposable
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient Http => _http;

    public Uri Address { get; } = address;

    public async Task<string> StaffToken(string role, string name)
    {
        using var response = await _http.PostAsJsonAsync("/api/auth/token", new { key = adminKey, role, name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<string> ParticipantToken()
    {
        using var response = await ParticipantProofClient.MintAsync(_http);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<string> CreateConsultation(string adminToken, string mode, string moderation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/consultations")
        {
            Content = JsonContent.Create(new { title = "Load test", description = "bench", mode, moderation }),
        };
        request.Headers.Authorization = new("Bearer", adminToken);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<HttpResponseMessage> Send(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        return await _http.SendAsync(request);
    }

    /// <summary>A real SignalR client on our hub: WebSockets straight away, the gateway's JSON or MessagePack settings.</summary>
    public static HubConnection Hub(Uri hubUrl, string token, WireProtocol protocol = WireProtocol.Json)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(hubUrl, HttpTransportType.WebSockets, o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.SkipNegotiation = true;
            });
        return (protocol == WireProtocol.MessagePack
            ? builder.AddMessagePackProtocol(Gateway.Live.HubMessagePack.Configure)
            : builder.AddJsonProtocol(o => Gateway.Hosting.GatewayApp.Configure(o.PayloadSerializerOptions))).Build();
    }

    /// <summary>A real SignalR client on the baseline relay, in the run's protocol (the relay's defaults: it only carries strings).</summary>
    public static HubConnection Relay(Uri hubUrl, WireProtocol protocol)
    {
        var builder = new HubConnectionBuilder().WithUrl(hubUrl, HttpTransportType.WebSockets, o => o.SkipNegotiation = true);
        return (protocol == WireProtocol.MessagePack ? builder.AddMessagePackProtocol() : builder).Build();
    }

    public void Dispose() => _http.Dispose();

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Gateway.Hosting.GatewayApp.Configure(json);
        return json;
    }
}
