using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// The project's server (embedded default, fresh data directory) as its own process on
/// 127.0.0.1, started from the Gateway's build output and stopped at the end.
/// </summary>
public sealed class LoadServer(ServerProcess process, Uri address, string dataDirectory) : IAsyncDisposable
{
    public const string AdminKey = "9c41e07b2fd85a36c1e94b0d7a2f6e58";

    public Uri Address { get; } = address;

    public int ProcessId => process.Pid ?? 0;

    public static Task<LoadServer> StartAsync(Dictionary<string, string>? settings = null) =>
        StartAsync("OpenGov.Dialogue.Gateway.dll", settings);

    /// <summary>The baseline: a bare SignalR relay hub, no Orleans, no storage.</summary>
    public static Task<LoadServer> StartBaselineAsync() => StartAsync("dialogue-baseline.dll", null);

    /// <summary>A standalone silo (src/Silo): no HTTP API, so it is not waited for here; the caller watches the membership table.</summary>
    public static Task<LoadServer> StartSiloAsync(Dictionary<string, string> settings) =>
        StartAsync("OpenGov.Dialogue.Silo.dll", settings, waitHealthy: false);

    private static async Task<LoadServer> StartAsync(string assembly, Dictionary<string, string>? settings, bool waitHealthy = true)
    {
        var port = Ports.Free();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "dialogue-load", Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Dialogue__DataDirectory"] = dataDirectory,
            ["Dialogue__AdminKey"] = AdminKey,
            ["Dialogue__SiloPort"] = Ports.FreeText(),
            ["Dialogue__GatewayPort"] = Ports.FreeText(),

            // The load generator is one address minting thousands of participants: exactly what the per-address limit stops.
            ["Dialogue__ParticipantTokensPerAddress"] = "1000000",

            // The load tool measures the live path, not admission: its thousands of participants skip the proof of work
            // (the `identities` scenario measures that) and vote as fast as the scenario asks.
            ["Dialogue__ParticipantProofBits"] = "0",
            ["Dialogue__VotesPerMinute"] = "1000000",
        };
        foreach (var (key, value) in settings ?? [])
        {
            environment[key] = value;
        }

        var child = new ServerProcess("server", Built(assembly), environment)
        {
            KeepAllOutput = false,
            OnError = line => Console.Error.WriteLine($"[server] {line}"),
        };
        child.Start();
        var server = new LoadServer(child, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        if (waitHealthy)
        {
            await child.WaitHealthyAsync(server.Address, 90);
        }

        return server;
    }

    /// <summary>Resident memory of the server process, in MiB.</summary>
    public double RssMiB() => process.RssMiB();

    public TimeSpan CpuTime() => process.CpuTime();

    public bool HasExited => process.HasExited;

    public async ValueTask DisposeAsync()
    {
        await process.KillAsync();
        process.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
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

    public Task<string> StaffToken(string role, string name) => StaffTokens.FromKeyAsync(_http, adminKey, role, name);

    public async Task<string> ParticipantToken() => (await StaffTokens.ParticipantAsync(_http)).Token;

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
