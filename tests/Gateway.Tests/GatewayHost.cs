using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Gateway.Hosting;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The real gateway (Kestrel on 127.0.0.1, co-hosted silo, SQLite files in a temporary folder),
/// one per test class. Helpers speak to it only over HTTP and SignalR, as clients do.
/// </summary>
public class GatewayHost : IAsyncLifetime
{
    public const string AdminKey = "7f3c9a1e5b8d2f604c1a9e7b3d5f8a20";

    public static readonly JsonSerializerOptions Json = CreateJson();

    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The gateway's services, for what the HTTP API cannot do yet and for looking at server-side counters.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The gateway has not started.");

    /// <summary>Configuration that chooses the storage; the embedded default when empty.</summary>
    protected virtual Dictionary<string, string?> StorageSettings => [];

    public virtual Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:SubmissionsPerMinute"] = "1000",
        ["Dialogue:ParticipantTokensPerAddress"] = "1000000",
        ["Dialogue:AnonymousReadsPerMinute"] = "1000000",
        ["Dialogue:VotesPerMinute"] = "100000",
        // The proof of work at a token difficulty: tests mint many participants (AdmissionTests run the default).
        ["Dialogue:ParticipantProofBits"] = "8",
        ["Dialogue:StaffLoginsPerMinute"] = "100000",
    };

    public virtual async Task InitializeAsync()
    {
        _app = GatewayApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dialogue:DataDirectory"] = DataDirectory,
                ["Dialogue:AdminKey"] = AdminKey,
                ["Dialogue:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Dialogue:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            builder.Configuration.AddInMemoryCollection(Settings);
            builder.Configuration.AddInMemoryCollection(StorageSettings);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address);
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Everything the storage holds, as text: to check that erased data is gone from it, not only from views.</summary>
    public virtual async Task<string> StoredTextAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories))
        {
            // The server has the SQLite files open: read them without taking a lock.
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            text.Append("\n==FILE ").Append(Path.GetFileName(file)).Append('\n').Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }

    /// <summary>The journal's rows as text (the SQLite journal file and its write-ahead log, or the PostgreSQL table).</summary>
    public virtual async Task<string> JournalTextAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "journal.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<string> StaffToken(string role = "admin")
    {
        using var response = await Client().PostAsJsonAsync("/api/auth/token", new { key = AdminKey, role, name = $"Test {role}" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>An admin invites a staff account; returns its id and the one-time invitation code.</summary>
    public async Task<(string AccountId, string Code)> Invite(string login, string displayName, string role, string[]? consultations = null, string? adminToken = null)
    {
        using var admin = Client(adminToken ?? await StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/staff/accounts", new { login, displayName, role, consultations });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("account").GetProperty("id").GetString()!, body.GetProperty("code").GetString()!);
    }

    public async Task<HttpResponseMessage> AcceptInvitation(string code, string passphrase) =>
        await Client().PostAsJsonAsync("/api/auth/invitation", new { code, passphrase });

    /// <summary>Signs in with login and passphrase; <paramref name="from"/> is sent as X-Forwarded-For (believed when 127.0.0.1 is a known proxy).</summary>
    public async Task<HttpResponseMessage> SignIn(string login, string passphrase, string? from = null)
    {
        using var client = Client();
        if (from is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", from);
        }

        return await client.PostAsJsonAsync("/api/auth/login", new { login, passphrase });
    }

    /// <summary>A staff account invited, activated and signed in: its id and token.</summary>
    public async Task<(string AccountId, string Token)> StaffAccount(string role, string displayName, string[]? consultations = null, string? login = null)
    {
        login ??= $"{role}-{Guid.NewGuid():N}"[..20];
        var (accountId, code) = await Invite(login, displayName, role, consultations);
        (await AcceptInvitation(code, StaffPassphrase)).EnsureSuccessStatusCode();
        using var response = await SignIn(login, StaffPassphrase);
        response.EnsureSuccessStatusCode();
        return (accountId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    public const string StaffPassphrase = "lampu jalan di gang tiga mati";

    public async Task<(string Token, string CitizenId)> Participant()
    {
        using var response = await ParticipantProofClient.MintAsync(Client());
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("token").GetString()!, body.GetProperty("citizenId").GetString()!);
    }

    /// <summary>Joins a code-admitted consultation as a phone does: a solved challenge and the code shown in the hall.</summary>
    public async Task<HttpResponseMessage> JoinWithCode(string consultationId, string code)
    {
        using var http = Client();
        var (challenge, nonce) = await ParticipantProofClient.SolveAsync(http);
        return await http.PostAsJsonAsync("/api/auth/join", new { consultationId, code, challenge, nonce });
    }

    public async Task<string> CreateConsultation(string mode = "qa", string moderation = "post")
    {
        using var admin = Client(await StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/consultations", new { title = "Balai warga", description = "Tanya jawab", mode, moderation });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>A hub client with the gateway's own JSON settings, or, with <paramref name="messagePack"/>, its MessagePack settings.</summary>
    public HubConnection Hub(string token, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/dialogue"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
        return (messagePack
            ? builder.AddMessagePackProtocol(Live.HubMessagePack.Configure)
            : builder.AddJsonProtocol(o => GatewayApp.Configure(o.PayloadSerializerOptions))).Build();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        GatewayApp.Configure(json);
        return json;
    }
}

/// <summary>The same gateway on a PostgreSQL database of its own.</summary>
public sealed class PostgresGatewayHost : GatewayHost
{
    private readonly OpenGov.Dialogue.Tests.PostgresDatabase _database = new();

    public OpenGov.Dialogue.Tests.PostgresDatabase Database => _database;

    protected override Dictionary<string, string?> StorageSettings => _database.Settings;

    public override async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    public override async Task<string> JournalTextAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT coalesce(string_agg(payload || ' ' || coalesce(client_key, ''), E'\\n'), '') FROM dialogue_journal", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public override async Task<string> StoredTextAsync() => await JournalTextAsync() + await base.StoredTextAsync();
}

/// <summary>A gateway with the default rate limit (5 a minute).</summary>
public sealed class RateLimitedGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = [];
}
