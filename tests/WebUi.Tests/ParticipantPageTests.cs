using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class ParticipantPageTests(WebUiHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task Language_switch_turns_the_page_english_and_is_remembered()
    {
        var id = await host.CreateConsultation(moderation: "post");
        await host.Submit(id, "Bagaimana jadwal pengangkutan sampah?");
        var page = await Ui.OpenParticipant(host, id);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "id");
        await Assertions.Expect(page.Locator("#list-h")).ToHaveTextAsync("Kiriman");
        await Assertions.Expect(page.Locator("#ask-label")).ToHaveTextAsync("Pertanyaan Anda");

        await page.GetByLabel("Bahasa").SelectOptionAsync("en");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.Locator("#list-h")).ToHaveTextAsync("Posts");
        await Assertions.Expect(page.Locator("#ask-label")).ToHaveTextAsync("Your question");
        await Assertions.Expect(page.Locator("#items")).ToContainTextAsync("Upvote");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#list-h")).ToHaveTextAsync("Posts");
        await Assertions.Expect(page.GetByLabel("Language")).ToHaveValueAsync("en");
    }

    [Fact]
    public async Task Typed_text_survives_a_reload_and_an_upvote_counts_once()
    {
        var id = await host.CreateConsultation(moderation: "post");
        await host.Submit(id, "Perbanyak tempat sampah terpilah di taman");
        var page = await Ui.OpenParticipant(host, id);
        await page.Locator("#ask-text").FillAsync("Draf yang belum dikirim");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#ask-text")).ToHaveValueAsync("Draf yang belum dikirim");

        var item = Ui.PublicItem(page, "Perbanyak tempat sampah terpilah di taman");
        await item.GetByRole(AriaRole.Button, new() { Name = "Dukung" }).ClickAsync();
        await Assertions.Expect(item.GetByTestId("votes")).ToHaveTextAsync("1 dukungan");
        await Assertions.Expect(item.GetByRole(AriaRole.Button, new() { Name = "Didukung" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Ui.Ask(page, "Draf yang belum dikirim");
        await Assertions.Expect(Ui.PublicItem(page, "Draf yang belum dikirim")).ToHaveCountAsync(1);
        await WebUiHost.Screenshot(page, "participant");
    }

    [Fact]
    public async Task Deliberation_statements_take_agree_disagree_or_pass_and_a_changed_vote_moves()
    {
        var id = await host.CreateConsultation(moderation: "post", mode: "deliberation");
        await host.Submit(id, "Car free day sebaiknya diadakan setiap Minggu");
        var page = await Ui.OpenParticipant(host, id);
        await Assertions.Expect(page.Locator("#ask-label")).ToHaveTextAsync("Pendapat Anda");
        var item = Ui.PublicItem(page, "Car free day sebaiknya diadakan setiap Minggu");
        var votes = item.GetByRole(AriaRole.Group, new() { Name = "Suara Anda" });

        await votes.GetByRole(AriaRole.Button, new() { Name = "Setuju (0)", Exact = true }).ClickAsync();
        await Assertions.Expect(votes.GetByRole(AriaRole.Button, new() { Name = "Setuju (1)", Exact = true })).ToHaveAttributeAsync("aria-pressed", "true");
        await votes.GetByRole(AriaRole.Button, new() { Name = "Tidak setuju (0)" }).ClickAsync();

        await Assertions.Expect(votes.GetByRole(AriaRole.Button, new() { Name = "Tidak setuju (1)" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(votes.GetByRole(AriaRole.Button, new() { Name = "Setuju (0)", Exact = true })).ToHaveAttributeAsync("aria-pressed", "false");
    }

    [Fact]
    public async Task Question_sent_while_the_connection_is_down_is_delivered_once_when_it_returns()
    {
        var id = await host.CreateConsultation(moderation: "post");
        var page = await host.NewPage(phone: true);

        // Every hub WebSocket passes through the test, so the test can cut the live connection.
        var sockets = new List<IWebSocketRoute>();
        await page.RouteWebSocketAsync(new Regex("/hubs/dialogue"), socket =>
        {
            lock (sockets)
            {
                sockets.Add(socket);
            }

            socket.ConnectToServer();
        });
        await page.GotoAsync($"/?c={id}");
        await Assertions.Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "online");
        const string text = "Ditulis di kereta tanpa sinyal";

        await page.Context.SetOfflineAsync(true);
        IWebSocketRoute[] open;
        lock (sockets)
        {
            open = [.. sockets];
        }

        foreach (var socket in open)
        {
            await socket.CloseAsync();
        }

        await Assertions.Expect(page.Locator("#conn")).Not.ToHaveAttributeAsync("data-state", "online");
        await page.Locator("#ask-text").FillAsync(text);
        await page.Locator("#ask-send").ClickAsync();
        await Assertions.Expect(page.Locator("#ask-status")).ToHaveTextAsync("Belum terkirim; akan dikirim ulang otomatis saat tersambung.");
        await Assertions.Expect(page.Locator("#ask-text")).ToHaveValueAsync(text);

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(Ui.PublicItem(page, text)).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#ask-text")).ToHaveValueAsync(string.Empty);
        var items = await host.StaffItems(id);
        Assert.Single(items.Values, i => i.GetProperty("text").GetString() == text);
    }

    [Fact]
    public async Task Participant_page_first_load_is_within_150_KB_of_compressed_script_and_style()
    {
        var id = await host.CreateConsultation(moderation: "post");
        var page = await host.NewPage(phone: true);
        var bodies = new List<Task<byte[]>>();
        page.Response += (_, response) =>
        {
            var url = response.Url;
            if (url.EndsWith(".js", StringComparison.Ordinal) || url.EndsWith(".css", StringComparison.Ordinal))
            {
                bodies.Add(response.BodyAsync());
            }
        };
        await page.GotoAsync($"/?c={id}");
        await Assertions.Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "online");

        var raw = 0L;
        var compressed = 0L;
        foreach (var body in await Task.WhenAll(bodies))
        {
            raw += body.Length;
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                gzip.Write(body);
            }

            compressed += buffer.Length;
        }

        var figure = string.Create(CultureInfo.InvariantCulture, $"participant first load: {bodies.Count} files, JS+CSS {raw / 1024.0:F1} KiB raw, {compressed / 1024.0:F1} KiB gzip (budget 150 KB)");
        output.WriteLine(figure);
        await File.WriteAllTextAsync(Path.Combine(WebUiHost.ArtefactDirectory, "participant-first-load.txt"), figure + Environment.NewLine);
        Assert.InRange(bodies.Count, 2, 10);
        Assert.InRange(compressed, 1, 150_000);
    }
}
