using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The page without JavaScript in real text browsers from Debian's packages (./test.sh installs them):
/// lynx, driven by a keystroke script on a pseudo-terminal (script(1)), joins, types a question into the
/// form's text area and sends it, then saves the page it landed on; w3m reads the published page.
/// Nothing here is curl: the browsers parse the forms, keep the cookies and submit.
/// </summary>
[Trait("Category", "browser")]
public sealed class LiteTextBrowserTests(LiteGatewayHost host, ITestOutputHelper output) : IClassFixture<LiteGatewayHost>
{
    private const string Question = "Kapan taman kota dibuka?";

    [Fact]
    public async Task Lite_in_lynx_join_post_and_see_it_in_my_posts_then_w3m_reads_it_published()
    {
        Assert.True(File.Exists("/usr/bin/lynx"), "lynx is missing: run 'sudo apt-get install -y lynx' (./test.sh installs it)");
        Assert.True(File.Exists("/usr/bin/w3m"), "w3m is missing: run 'sudo apt-get install -y w3m' (./test.sh installs it)");
        Assert.True(File.Exists("/usr/bin/script"), "script(1) is missing (Debian's bsdutils)");

        string id;
        using (var admin = host.Client(await host.StaffToken()))
        {
            using var created = await admin.PostAsJsonAsync("/api/consultations", new { title = "Balai warga Menteng", description = "Tanya jawab taman kota", mode = "qa", moderation = "pre" });
            created.EnsureSuccessStatusCode();
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        var folder = Directory.CreateTempSubdirectory("lite-lynx-").FullName;
        try
        {
            var saved = Path.Combine(folder, "page.txt");
            await File.WriteAllTextAsync(Path.Combine(folder, "lynx.cfg"), string.Join('\n',
                "INCLUDE:/etc/lynx/lynx.cfg",
                "ACCEPT_ALL_COOKIES:TRUE",
                $"COOKIE_FILE:{Path.Combine(folder, "cookies.txt")}",
                $"COOKIE_SAVE_FILE:{Path.Combine(folder, "cookies.txt")}",
                string.Empty));

            // Home, down to the "Gabung" button, press it; on the page it redirects to: home, down into the text
            // area, type, down past its three lines to "Kirim", press it; then print the page to a file.
            var keys = new List<string> { "key ^A", "key Down Arrow", "key ^J", "key ^A", "key Down Arrow" };
            keys.AddRange(Typed(Question));
            keys.AddRange(["key Down Arrow", "key Down Arrow", "key Down Arrow", "key ^J", "key p", "key ^J", "key ^U"]);
            keys.AddRange(Typed(saved));
            keys.AddRange(["key ^J", "key q", "key y"]);
            await File.WriteAllTextAsync(Path.Combine(folder, "keys.txt"), string.Join('\n', keys) + "\n");

            var url = new Uri(host.BaseAddress, $"/lite?c={id}&lang=id");
            await Run(folder, "/usr/bin/script", "-qc", $"lynx -nopause -cfg={folder}/lynx.cfg -cmd_script={folder}/keys.txt '{url}'", "/dev/null");

            Assert.True(File.Exists(saved), "lynx did not save the page it landed on");
            var page = await File.ReadAllTextAsync(saved);
            output.WriteLine(page);
            Assert.Contains("Terkirim. Akan tampil setelah diperiksa moderator.", page);
            var mine = page[page.IndexOf("Kiriman saya", StringComparison.Ordinal)..];
            Assert.Contains(Question, mine);
            Assert.Contains("Menunggu moderasi", mine);

            // What lynx sent is what the server stored, spaces and all.
            string itemId;
            using (var admin = host.Client(await host.StaffToken()))
            {
                var items = (await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/items")).GetProperty("items").EnumerateArray().ToList();
                var item = Assert.Single(items);
                Assert.Equal(Question, item.GetProperty("text").GetString());
                Assert.Equal("pending", item.GetProperty("status").GetString());
                itemId = item.GetProperty("id").GetString()!;
                using var approved = await admin.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "approve", itemIds = new[] { itemId } });
                approved.EnsureSuccessStatusCode();
            }

            var dump = await Run(folder, "/usr/bin/w3m", "-dump", "-o", "accept_language=id", url.ToString());
            output.WriteLine(dump);
            var top = dump[dump.IndexOf("Terpopuler", StringComparison.Ordinal)..dump.IndexOf("Terbaru", StringComparison.Ordinal)];
            Assert.Contains(Question, top);
            Assert.Contains("0 dukungan", top);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Keystrokes for a text: lynx's script names the space key.</summary>
    private static IEnumerable<string> Typed(string text) => text.Select(c => c == ' ' ? "key <space>" : $"key {c}");

    private static async Task<string> Run(string folder, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A home of its own: lynx and w3m write their state there, not into the user's.
        start.Environment["HOME"] = folder;
        start.Environment["TERM"] = "vt100";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish in 60 s");
        }

        return await stdout + await stderr;
    }
}
