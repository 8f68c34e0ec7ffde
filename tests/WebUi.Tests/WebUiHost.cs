using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>
/// The real gateway on 127.0.0.1 (<see cref="TestGateway"/>: co-hosted silo, SQLite in a temporary folder, the
/// embedded web UI) and Debian's Chromium driven by Playwright, shared by every browser test. Tests isolate
/// themselves by creating their own consultation and their own browser contexts. One gateway serves every
/// class, so staff of other roles are real signed-in accounts (the admin key gives admin tokens only once
/// accounts exist).
/// </summary>
public sealed class WebUiHost : TestGateway, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private string? _browserTemp;

    public WebUiHost()
        : base("dialogue-webui-tests")
    {
        StaffRolesAsAccounts = true;
        ConsultationText = ("Balai warga Kelurahan Menteng", "Tanya jawab terbuka tentang rencana taman kota dan trotoar.");
    }

    public override Dictionary<string, string?> Settings { get; } = new(DefaultSettings())
    {
        ["Dialogue:TopicsRecomputeSeconds"] = "2",
    };

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Browser console errors and warnings of every page, for diagnosing a failed run.</summary>
    public static string ConsoleLog { get; } = Path.Combine(RepositoryRoot(), "TestResults", "webui", "browser-console.log");

    /// <summary>Test artefacts (screenshots, the size figure) land in TestResults/webui at the repository root.</summary>
    public static string ArtefactDirectory { get; } = Path.Combine(RepositoryRoot(), "TestResults", "webui");

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtefactDirectory);
        await base.InitializeAsync();

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

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
        DeleteFolder(_browserTemp);
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

    /// <summary>The checkout the tests run from (the temporary folder outside one).</summary>
    internal static string RepositoryRoot() => Repository.Root ?? Path.GetTempPath();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<WebUiHost>
{
    public const string Name = "browser";
}
