using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class ModerationFlowTests(WebUiHost host)
{
    [Fact]
    public async Task Question_asked_by_a_participant_appears_live_for_them_after_a_moderator_approves_it()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        // The page speaks MessagePack to the hub (after the JSON handshake).
        var participant = await host.NewPage(phone: true);
        var frames = new System.Collections.Concurrent.ConcurrentQueue<IWebSocketFrame>();
        participant.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/hubs/dialogue", StringComparison.Ordinal))
            {
                socket.FrameReceived += (_, frame) => frames.Enqueue(frame);
            }
        };
        await participant.GotoAsync($"/?c={id}");
        await Assertions.Expect(participant.Locator("#conn")).ToHaveAttributeAsync("data-state", "online");
        var moderator = await Ui.OpenStaff(host, "moderate", id, "moderator", "Moderator Sari");
        const string question = "Kapan trotoar di Jalan Sudirman diperbaiki?";

        await Ui.Ask(participant, question);
        await Assertions.Expect(Ui.MyItem(participant, question)).ToContainTextAsync("Menunggu moderasi");
        await Assertions.Expect(Ui.PublicItem(participant, question)).ToHaveCountAsync(0);

        var row = Ui.QueueRow(moderator, question);
        await Assertions.Expect(row).ToBeVisibleAsync();
        await host.Submit(id, "Mohon jadwal posyandu diumumkan lewat pengeras suara masjid");
        await host.Submit(id, "Bisakah lampu penerangan di taman ditambah?");
        await Assertions.Expect(moderator.Locator("#queue li[data-item-id]")).ToHaveCountAsync(3);
        await WebUiHost.Screenshot(moderator, "moderator");
        await row.GetByRole(AriaRole.Button, new() { Name = "Setujui", Exact = true }).ClickAsync();

        await Assertions.Expect(Ui.PublicItem(participant, question)).ToBeVisibleAsync();
        await Assertions.Expect(Ui.MyItem(participant, question)).ToContainTextAsync("Tampil");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        // "changes" as a MessagePack string (0xa7 = a 7-byte string) in some frame, and no JSON invocation anywhere.
        byte[] changes = [0xa7, .. "changes"u8];
        Assert.Contains(frames, f => f.Binary is { } bytes && bytes.AsSpan().IndexOf(changes) >= 0);
        Assert.DoesNotContain(frames, f => f.Text?.Contains("\"target\"", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Rejected_item_shows_its_reason_to_its_author()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var participant = await Ui.OpenParticipant(host, id);
        var moderator = await Ui.OpenStaff(host, "moderate", id, "moderator", "Moderator Budi");
        const string text = "Jual pulsa murah hubungi saya";

        await Ui.Ask(participant, text);
        var row = Ui.QueueRow(moderator, text);
        await row.GetByRole(AriaRole.Button, new() { Name = "Tolak", Exact = true }).ClickAsync();
        await moderator.Locator("#p-reason").SelectOptionAsync("spam");
        await moderator.Locator("#p-note").FillAsync("Iklan tidak diperbolehkan.");
        await moderator.Locator("#panel").GetByRole(AriaRole.Button, new() { Name = "Terapkan" }).ClickAsync();

        var mine = Ui.MyItem(participant, text);
        await Assertions.Expect(mine).ToContainTextAsync("Ditolak");
        await Assertions.Expect(mine.GetByTestId("reason")).ToHaveTextAsync("Alasan: Spam");
        await Assertions.Expect(mine).ToContainTextAsync("Iklan tidak diperbolehkan.");
        await Assertions.Expect(mine.GetByRole(AriaRole.Button, new() { Name = "Ajukan banding" })).ToBeVisibleAsync();
        await Assertions.Expect(participant.Locator("#notifs")).ToContainTextAsync("Kiriman Anda tidak ditampilkan.");
        await Assertions.Expect(Ui.PublicItem(participant, text)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Markup_in_an_item_is_shown_as_text_and_never_runs()
    {
        var id = await host.CreateConsultation(moderation: "post");
        var participant = await Ui.OpenParticipant(host, id);
        var moderator = await Ui.OpenStaff(host, "moderate", id, "moderator", "Moderator Tono");
        const string markup = "<img src=x onerror=alert(1)>";

        await Ui.Ask(participant, markup);

        var item = Ui.PublicItem(participant, markup);
        await Assertions.Expect(item.GetByTestId("item-text")).ToHaveTextAsync(markup);
        await moderator.Locator("#f-status").SelectOptionAsync("all");
        await Assertions.Expect(Ui.QueueRow(moderator, markup).GetByTestId("item-text")).ToHaveTextAsync(markup);
        Assert.Equal(0, await participant.Locator("main img").CountAsync());
        Assert.Equal(0, await moderator.Locator("main img").CountAsync());
        Assert.Equal(markup, await item.GetByTestId("item-text").InnerTextAsync());
    }

    [Fact]
    public async Task Moderator_approves_and_rejects_with_the_keyboard_only()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var first = await host.Submit(id, "Mohon tambah lampu jalan di gang tiga");
        var second = await host.Submit(id, "Spam spam spam beli sekarang");
        var (_, login) = await host.ActivatedStaffAccount("moderator", "Moderator Keyboard");
        var page = await host.NewPage();
        await page.GotoAsync($"/moderate?c={id}");

        // Sign in: the login field has focus; Tab to the passphrase, Enter submits.
        await Assertions.Expect(page.Locator("#signin-login")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(login);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(WebUiHost.StaffPassphrase);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#queue li[data-item-id]")).ToHaveCountAsync(2);

        // Approve whichever item is current, then reject the one that remains with reason 4 (off topic).
        var current = page.Locator("#queue li[aria-current=true]");
        var approvedId = await current.GetAttributeAsync("data-item-id");
        await page.Keyboard.PressAsync("a");
        await Assertions.Expect(page.Locator("#queue li[data-item-id]")).ToHaveCountAsync(1);
        await Assertions.Expect(current).ToBeFocusedAsync();
        var rejectedId = await current.GetAttributeAsync("data-item-id");
        await page.Keyboard.PressAsync("r");
        await Assertions.Expect(page.Locator("#p-reason")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("4");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#queue")).ToContainTextAsync("Antrean kosong.");

        var items = await host.StaffItems(id);
        Assert.Equal(new[] { first, second }.Order(), new[] { approvedId!, rejectedId! }.Order());
        Assert.Equal("published", items[approvedId!].GetProperty("status").GetString());
        Assert.Equal("rejected", items[rejectedId!].GetProperty("status").GetString());
        Assert.Equal("off_topic", items[rejectedId!].GetProperty("rejectionReason").GetString());
    }
}
