using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OpenGov.Dialogue.Gateway.Hosting;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>
/// The real gateway on 127.0.0.1 (co-hosted silo, SQLite in a temporary folder, the embedded web
/// UI) and Debian's Chromium driven by Playwright, shared by every browser test. Tests isolate
/// themselves by creating their own consultation and their own browser contexts.
/// </summary>
public sealed class WebUiHost : IAsyncLifetime
{
    public const string AdminKey = "3b8f0e6a91d24c7f5a0e8d3c6b1f4a97";
    public const string ChromiumPath = "/usr/bin/chromium";

    private WebApplication? _app;
    private IPlaywright? _playwright;
    private string? _browserTemp;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "dialogue-webui-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Test artefacts (screenshots, the size figure) land in TestResults/webui at the repository root.</summary>
    /// <summary>Browser console errors and warnings of every page, for diagnosing a failed run.</summary>
    public static string ConsoleLog { get; } = Path.Combine(RepositoryRoot(), "TestResults", "webui", "browser-console.log");

    public static string ArtefactDirectory { get; } = Path.Combine(RepositoryRoot(), "TestResults", "webui");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(ArtefactDirectory);
        _app = GatewayApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Dialogue:DataDirectory"] = DataDirectory,
                ["Dialogue:AdminKey"] = AdminKey,
                ["Dialogue:SubmissionsPerMinute"] = "1000",
                ["Dialogue:ParticipantTokensPerAddress"] = "1000000",
                ["Dialogue:AnonymousReadsPerMinute"] = "1000000",
                ["Dialogue:VotesPerMinute"] = "100000",
                // The proof of work at a token difficulty: tests mint many participants (AdmissionTests run the default).
                ["Dialogue:ParticipantProofBits"] = "8",
                ["Dialogue:StaffLoginsPerMinute"] = "100000",
                ["Dialogue:TopicsRecomputeSeconds"] = "2",
                ["Dialogue:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["Dialogue:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            });
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

        _playwright = await Playwright.CreateAsync();
        // Chromium puts a Unix socket under TMPDIR: the path must stay short (108 bytes at most).
        _browserTemp = Directory.CreateTempSubdirectory("dwt-").FullName;
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        environment["TMPDIR"] = _browserTemp;
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            Env = environment,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var directory in new[] { DataDirectory, _browserTemp })
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
    }

    /// <summary>A fresh browser profile: a phone for participants, a desktop for staff.</summary>
    public async Task<IPage> NewPage(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            DeviceScaleFactor = 1,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "id-ID",
            TimezoneId = "Asia/Jakarta",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();

        // Any alert, confirm or prompt would mean injected script ran: fail loudly.
        page.Dialog += (_, dialog) => throw new InvalidOperationException($"Unexpected dialog: {dialog.Message}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (ConsoleLog)
                {
                    File.AppendAllText(ConsoleLog, $"{DateTimeOffset.UtcNow:O} {message.Type} {page.Url}: {message.Text}{Environment.NewLine}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (ConsoleLog)
            {
                File.AppendAllText(ConsoleLog, $"{DateTimeOffset.UtcNow:O} pageerror {page.Url}: {error}{Environment.NewLine}");
            }
        };
        return page;
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

    public const string StaffPassphrase = "lampu jalan di gang tiga mati";

    /// <summary>An admin token from the bootstrap key, or for other roles a new staff account's token under that display name.</summary>
    public async Task<string> StaffToken(string role = "admin", string name = "Test admin")
    {
        using var client = Client();
        if (role != "admin")
        {
            var login = await StaffAccount(role, name);
            using var signedIn = await client.PostAsJsonAsync("/api/auth/login", new { login, passphrase = StaffPassphrase });
            signedIn.EnsureSuccessStatusCode();
            return (await signedIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }

        using var response = await client.PostAsJsonAsync("/api/auth/token", new { key = AdminKey, role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Invites a staff account and sets its passphrase (<see cref="StaffPassphrase"/>); returns its login.</summary>
    public async Task<string> StaffAccount(string role, string displayName)
    {
        var login = $"{role}-{Guid.NewGuid():N}"[..20];
        using var admin = Client(await StaffToken());
        using var invited = await admin.PostAsJsonAsync("/api/staff/accounts", new { login, displayName, role });
        invited.EnsureSuccessStatusCode();
        var code = (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        using var accepted = await Client().PostAsJsonAsync("/api/auth/invitation", new { code, passphrase = StaffPassphrase });
        accepted.EnsureSuccessStatusCode();
        return login;
    }

    public async Task<string> CreateConsultation(string moderation, string title = "Balai warga Kelurahan Menteng", string mode = "qa")
    {
        using var admin = Client(await StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/consultations", new
        {
            title,
            description = "Tanya jawab terbuka tentang rencana taman kota dan trotoar.",
            mode,
            moderation,
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Submits as a new participant straight over HTTP (for items a test only needs to exist).</summary>
    public async Task<string> Submit(string consultationId, string text)
    {
        using var anonymous = Client();
        using var auth = await ParticipantProofClient.MintAsync(anonymous);
        var token = (await auth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
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

    /// <summary>Saves a screenshot as a test artefact; with DIALOGUE_UPDATE_SCREENSHOTS=1 also into docs/screenshots for the README.</summary>
    public static async Task Screenshot(IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new() { FullPage = false, Animations = ScreenshotAnimations.Disabled });
        await File.WriteAllBytesAsync(Path.Combine(ArtefactDirectory, $"{name}.png"), bytes);
        if (Environment.GetEnvironmentVariable("DIALOGUE_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(RepositoryRoot(), "docs", "screenshots");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, $"{name}.png"), bytes);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenGov.Dialogue.sln")))
            {
                return dir.FullName;
            }
        }

        return Path.GetTempPath();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<WebUiHost>
{
    public const string Name = "browser";
}
