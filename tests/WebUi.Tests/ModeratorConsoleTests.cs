using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class ModeratorConsoleTests(WebUiHost host)
{
    [Fact]
    public async Task A_claim_shows_its_holder_to_other_moderators_and_keeps_them_off_the_item()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var itemId = await host.Submit(id, "Tolong perbaiki saluran air di RT 05");
        var sari = await Ui.OpenStaff(host, "moderate", id, "moderator", "Sari");
        var budi = await Ui.OpenStaff(host, "moderate", id, "moderator", "Budi");

        await Assertions.Expect(sari.Locator("#queue li[data-item-id]")).ToHaveCountAsync(1);
        await sari.Keyboard.PressAsync("n");

        var sariRow = Ui.QueueRow(sari, "Tolong perbaiki saluran air di RT 05");
        var budiRow = Ui.QueueRow(budi, "Tolong perbaiki saluran air di RT 05");
        await Assertions.Expect(sariRow).ToContainTextAsync("Diklaim Anda sampai");
        await Assertions.Expect(budiRow).ToContainTextAsync("Diklaim Sari sampai");

        await budiRow.GetByRole(AriaRole.Button, new() { Name = "Setujui", Exact = true }).ClickAsync();
        await Assertions.Expect(budi.Locator("#result")).ToContainTextAsync("0 berhasil, 1 gagal");
        await Assertions.Expect(budi.Locator("#result")).ToContainTextAsync("Sedang ditangani moderator lain.");
        Assert.Equal("pending", (await host.StaffItems(id))[itemId].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bulk_selection_approves_every_selected_item_at_once()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        string[] texts = ["Usul taman bermain anak", "Usul bank sampah", "Usul pos ronda baru"];
        foreach (var text in texts)
        {
            await host.Submit(id, text);
        }

        var page = await Ui.OpenStaff(host, "moderate", id, "moderator", "Moderator Massal");
        await Assertions.Expect(page.Locator("#queue li[data-item-id]")).ToHaveCountAsync(3);
        await page.GetByLabel("Pilih semua yang tampil").CheckAsync();
        await Assertions.Expect(page.Locator("#selected-count")).ToHaveTextAsync("3 dipilih");
        await page.Locator("#bulk").GetByRole(AriaRole.Button, new() { Name = "Setujui", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("#result")).ToHaveTextAsync("3 berhasil, 0 gagal");
        await Assertions.Expect(page.Locator("#queue")).ToContainTextAsync("Antrean kosong.");
        Assert.All((await host.StaffItems(id)).Values, item => Assert.Equal("published", item.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Author_appeals_a_rejection_and_the_moderator_sees_the_appeal_text()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var participant = await Ui.OpenParticipant(host, id);
        var moderator = await Ui.OpenStaff(host, "moderate", id, "moderator", "Moderator Banding");
        const string text = "Kenapa lampu jalan di gang saya mati terus?";
        await Ui.Ask(participant, text);
        var row = Ui.QueueRow(moderator, text);
        await row.GetByRole(AriaRole.Button, new() { Name = "Tolak", Exact = true }).ClickAsync();
        await moderator.Locator("#p-reason").SelectOptionAsync("off_topic");
        await moderator.Locator("#panel").GetByRole(AriaRole.Button, new() { Name = "Terapkan" }).ClickAsync();

        var mine = Ui.MyItem(participant, text);
        await mine.GetByRole(AriaRole.Button, new() { Name = "Ajukan banding" }).ClickAsync();
        await mine.GetByLabel("Mengapa keputusan ini perlu ditinjau ulang? (opsional)").FillAsync("Ini soal fasilitas umum, masih sesuai topik.");
        await mine.GetByRole(AriaRole.Button, new() { Name = "Kirim banding" }).ClickAsync();
        await Assertions.Expect(mine).ToContainTextAsync("Banding diajukan.");

        await moderator.Locator("#f-status").SelectOptionAsync("all");
        await Assertions.Expect(row).ToContainTextAsync("Banding: Ini soal fasilitas umum, masih sesuai topik.");
    }

    [Fact]
    public async Task A_sanction_from_the_console_stops_the_author_from_posting()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var participant = await Ui.OpenParticipant(host, id);
        var moderator = await Ui.OpenStaff(host, "moderate", id, "moderator", "Moderator Sanksi");
        await Ui.Ask(participant, "Pesan kasar yang berulang");
        await Assertions.Expect(moderator.Locator("#queue li[data-item-id]")).ToHaveCountAsync(1);

        await moderator.Locator("#queue li[aria-current=true]").FocusAsync();
        await moderator.Keyboard.PressAsync("s");
        await moderator.Locator("#p-kind").SelectOptionAsync("mute");
        await moderator.Locator("#p-reason").SelectOptionAsync("abuse");
        await moderator.Locator("#p-minutes").FillAsync("30");
        await moderator.Locator("#panel").GetByRole(AriaRole.Button, new() { Name = "Terapkan" }).ClickAsync();
        await Assertions.Expect(moderator.Locator("#result")).ToHaveTextAsync("1 berhasil, 0 gagal");

        await participant.Locator("#ask-text").FillAsync("Pesan berikutnya");
        await participant.Locator("#ask-send").ClickAsync();
        await Assertions.Expect(participant.Locator("#ask-status")).ToHaveTextAsync("Anda sedang tidak dapat mengirim di konsultasi ini.");
        await Assertions.Expect(participant.Locator("#ask-text")).ToHaveValueAsync("Pesan berikutnya");
    }

    [Fact]
    public async Task A_planted_burst_is_badged_campaign_like_and_one_group_decision_rejects_every_copy()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        const string organic = "Kapan jalan di Jalan Merdeka diperbaiki? Sudah berlubang sejak bulan lalu";
        await host.Submit(id, organic);
        var moderator = await Ui.OpenStaff(host, "moderate", id, "moderator", "Moderator Kampanye");
        await Assertions.Expect(moderator.Locator("#queue li[data-item-id]")).ToHaveCountAsync(1);

        // Six citizens send small variations of one text while the console is open.
        string[] copies =
        [
            "Kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami",
            "Selamat pagi, kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami",
            "Kami warga menolak rencana pembangunan pabrik semen dekat sumber mata air desa karena mengancam sawah kami. Terima kasih.",
            "kami warga menolak rencana pembanguan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami!",
            "Mohon maaf, kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah",
            "Kami warga menolak rencana pembangunan pabrik semen di dekat sumber air desa karena mengancam sawah kami. Mohon ditindaklanjuti.",
        ];
        var burst = new List<string>();
        foreach (var copy in copies)
        {
            burst.Add(await host.Submit(id, copy));
        }

        // Every copy carries the badge, the first ones included (they were posted before the cluster was campaign-like).
        await Assertions.Expect(moderator.Locator("#queue li[data-item-id]")).ToHaveCountAsync(7);
        foreach (var copy in copies)
        {
            await Assertions.Expect(Ui.QueueRow(moderator, copy).GetByTestId("campaign-badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Mirip kampanye · 6 warga dalam \\d+ menit$"));
        }

        await Assertions.Expect(Ui.QueueRow(moderator, organic).GetByTestId("campaign-badge")).ToHaveCountAsync(0);
        await Assertions.Expect(moderator.Locator("#campaigns li[data-campaign-id]")).ToHaveCountAsync(1);

        await Ui.QueueRow(moderator, copies[0]).GetByRole(AriaRole.Button, new() { Name = "Putuskan kelompok (6)" }).ClickAsync();
        await moderator.Locator("#p-campaign-action").SelectOptionAsync("reject");
        await moderator.Locator("#p-reason").SelectOptionAsync("spam");
        await moderator.Locator("#panel").GetByRole(AriaRole.Button, new() { Name = "Terapkan" }).ClickAsync();

        await Assertions.Expect(moderator.Locator("#result")).ToHaveTextAsync("6 berhasil, 0 gagal");
        await Assertions.Expect(moderator.Locator("#queue li[data-item-id]")).ToHaveCountAsync(1);
        await Assertions.Expect(moderator.Locator("#campaigns")).ToContainTextAsync("Tidak ada kiriman mirip kampanye.");
        var items = await host.StaffItems(id);
        Assert.All(burst, itemId => Assert.Equal("rejected", items[itemId].GetProperty("status").GetString()));
        Assert.Equal("pending", items.Values.Single(i => i.GetProperty("text").GetString() == organic).GetProperty("status").GetString());
    }
}
