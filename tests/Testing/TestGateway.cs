using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using OpenGov.Dialogue.Gateway.Hosting;

namespace OpenGov.Dialogue.Testing;

/// <summary>
/// The real gateway in the test process: Kestrel on 127.0.0.1, co-hosted silo, SQLite files in a temporary
/// folder (or what <see cref="StorageSettings"/> chooses). Helpers speak to it only over HTTP and SignalR, as
/// clients do. The test projects' fixtures are subclasses that add xunit's IAsyncLifetime (and, for the
/// browser tests, Chromium); the options below are what those fixtures differ in.
/// </summary>
public class TestGateway
{
    public const string AdminKey = "7f3c9a1e5b8d2f604c1a9e7b3d5f8a20";

    public const string StaffPassphrase = "lampu jalan di gang tiga mati";

    public static readonly JsonSerializerOptions Json = CreateJson();

    private WebApplication? _app;

    private ServerProcess? _process;

    /// <summary>The folder under the temporary folder that holds each gateway's data directory.</summary>
    protected TestGateway(string folder = "dialogue-tests") =>
        DataDirectory = Path.Combine(Path.GetTempPath(), folder, Guid.NewGuid().ToString("N"));

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The gateway's services, for what the HTTP API cannot do yet and for looking at server-side counters.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The gateway has not started in this process.");

    /// <summary>
    /// Run the gateway as a process of its own (<see cref="ServerProcess"/>) instead of in the test process: for checks
    /// on what is process-wide, like the metrics scrape. Meters of the same name in one process are merged by
    /// OpenTelemetry, and a gateway of another test class that stops ends the merged instrument for every gateway there.
    /// </summary>
    protected bool OwnProcess { get; init; }

    /// <summary>Configuration that chooses the storage; the embedded default when empty.</summary>
    protected virtual Dictionary<string, string?> StorageSettings => [];

    /// <summary>The gateway's settings on top of the data folder, key and ports (<see cref="DefaultSettings"/> unless replaced).</summary>
    public virtual Dictionary<string, string?> Settings { get; } = DefaultSettings();

    /// <summary>
    /// When set, <see cref="StaffToken"/> for a role other than admin signs in a new staff account of that role (named
    /// by its display name) instead of asking the admin key: the key gives admin tokens only once accounts exist.
    /// </summary>
    protected bool StaffRolesAsAccounts { get; init; }

    /// <summary>Title and description of the consultations <see cref="CreateConsultation"/> makes when none is given.</summary>
    protected (string Title, string Description) ConsultationText { get; init; } = ("Balai warga", "Tanya jawab");

    /// <summary>The tests' pace: limits lifted so one address can act as many participants, a cheap proof of work.</summary>
    public static Dictionary<string, string?> DefaultSettings() => new()
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
        if (OwnProcess)
        {
            await StartProcessAsync();
            return;
        }

        // The gateway makes the data folder itself (owner-only); a folder made here would keep the default mode.
        _app = GatewayApp.Create([], builder =>
        {
            Loopback.Listen(builder);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dialogue:DataDirectory"] = DataDirectory,
                ["Dialogue:AdminKey"] = AdminKey,
                ["Dialogue:SiloPort"] = Ports.FreeText(),
                ["Dialogue:GatewayPort"] = Ports.FreeText(),
            });
            builder.Configuration.AddInMemoryCollection(Settings);
            builder.Configuration.AddInMemoryCollection(StorageSettings);
        });
        await _app.StartAsync();
        BaseAddress = new Uri(Loopback.Address(_app));
    }

    public virtual async Task DisposeAsync()
    {
        _process?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        DeleteFolder(DataDirectory);
    }

    private async Task StartProcessAsync()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["Dialogue__DataDirectory"] = DataDirectory,
            ["Dialogue__AdminKey"] = AdminKey,
            ["Dialogue__SiloPort"] = Ports.FreeText(),
            ["Dialogue__GatewayPort"] = Ports.FreeText(),
        };
        foreach (var (key, value) in Settings.Concat(StorageSettings))
        {
            if (value is not null)
            {
                environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        _process = ServerProcess.Gateway(environment);
        _process.Start();
        await _process.WaitHealthyAsync(BaseAddress);
    }

    /// <summary>Everything the storage holds, as text: to check that erased data is gone from it, not only from views.</summary>
    public virtual async Task<string> StoredTextAsync()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories))
        {
            text.Append("\n==FILE ").Append(Path.GetFileName(file)).Append('\n').Append(await ReadSharedAsync(file));
        }

        return text.ToString();
    }

    /// <summary>The journal's rows as text (the SQLite journal file and its write-ahead log, or the PostgreSQL table).</summary>
    public virtual async Task<string> JournalTextAsync()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "journal.db*"))
        {
            text.Append(await ReadSharedAsync(file));
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

    /// <summary>
    /// A staff token for <paramref name="role"/>: from the admin key, or with <see cref="StaffRolesAsAccounts"/> and a role
    /// other than admin, a new signed-in account of that role named <paramref name="name"/>.
    /// </summary>
    public async Task<string> StaffToken(string role = "admin", string? name = null)
    {
        if (StaffRolesAsAccounts && role != "admin")
        {
            var (_, token) = await StaffAccount(role, name ?? $"Test {role}");
            return token;
        }

        using var client = Client();
        return await StaffTokens.FromKeyAsync(client, AdminKey, role, name ?? $"Test {role}");
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

    public async Task<HttpResponseMessage> AcceptInvitation(string code, string passphrase)
    {
        using var client = Client();
        return await client.PostAsJsonAsync("/api/auth/invitation", new { code, passphrase });
    }

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

    /// <summary>A staff account invited and activated with <see cref="StaffPassphrase"/>, not yet signed in: its id and login.</summary>
    public async Task<(string AccountId, string Login)> ActivatedStaffAccount(string role, string displayName, string[]? consultations = null, string? login = null)
    {
        login ??= $"{role}-{Guid.NewGuid():N}"[..20];
        var (accountId, code) = await Invite(login, displayName, role, consultations);
        using var accepted = await AcceptInvitation(code, StaffPassphrase);
        accepted.EnsureSuccessStatusCode();
        return (accountId, login);
    }

    /// <summary>A staff account invited, activated and signed in: its id and token.</summary>
    public async Task<(string AccountId, string Token)> StaffAccount(string role, string displayName, string[]? consultations = null, string? login = null)
    {
        var (accountId, activated) = await ActivatedStaffAccount(role, displayName, consultations, login);
        using var response = await SignIn(activated, StaffPassphrase);
        response.EnsureSuccessStatusCode();
        return (accountId, await StaffTokens.TokenOf(response));
    }

    public async Task<(string Token, string CitizenId)> Participant()
    {
        using var client = Client();
        return await StaffTokens.ParticipantAsync(client);
    }

    /// <summary>Joins a code-admitted consultation as a phone does: a solved challenge and the code shown in the hall.</summary>
    public async Task<HttpResponseMessage> JoinWithCode(string consultationId, string code)
    {
        using var http = Client();
        var (challenge, nonce) = await Gateway.Auth.ParticipantProofClient.SolveAsync(http);
        return await http.PostAsJsonAsync("/api/auth/join", new { consultationId, code, challenge, nonce });
    }

    /// <summary>A consultation made by an admin; title and description default to <see cref="ConsultationText"/>.</summary>
    public async Task<string> CreateConsultation(string mode = "qa", string moderation = "post", string? title = null, string? description = null)
    {
        using var admin = Client(await StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/consultations", new
        {
            title = title ?? ConsultationText.Title,
            description = description ?? ConsultationText.Description,
            mode,
            moderation,
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Submits as a new participant straight over HTTP (for items a test only needs to exist).</summary>
    public async Task<string> Submit(string consultationId, string text)
    {
        var (token, _) = await Participant();
        using var participant = Client(token);
        using var response = await participant.PostAsJsonAsync($"/api/consultations/{consultationId}/items", new { clientId = Guid.NewGuid().ToString("N"), text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task Moderate(string consultationId, string action, params string[] itemIds)
    {
        using var admin = Client(await StaffToken());
        using var response = await admin.PostAsJsonAsync($"/api/consultations/{consultationId}/moderation", new { action, itemIds });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every item as staff see it, by id.</summary>
    public async Task<Dictionary<string, JsonElement>> StaffItems(string consultationId)
    {
        using var admin = Client(await StaffToken());
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{consultationId}/items");
        return page.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i);
    }

    /// <summary>A hub client with the gateway's own JSON settings, or, with <paramref name="messagePack"/>, its MessagePack settings.</summary>
    public HubConnection Hub(string token, bool messagePack = false)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/dialogue"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
        return (messagePack
            ? builder.AddMessagePackProtocol(Gateway.Live.HubMessagePack.Configure)
            : builder.AddJsonProtocol(o => GatewayApp.Configure(o.PayloadSerializerOptions))).Build();
    }

    /// <summary>Deletes a folder and what it holds; a file still open elsewhere leaves it behind.</summary>
    protected static void DeleteFolder(string? directory)
    {
        try
        {
            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Reads a file the server has open (SQLite) without taking a lock.</summary>
    private static async Task<string> ReadSharedAsync(string file)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        GatewayApp.Configure(json);
        return json;
    }
}
