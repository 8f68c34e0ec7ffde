using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>The participant's "My data" controls: download their data, erase their contributions.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class DataRightsPageTests(WebUiHost host)
{
    [Fact]
    public async Task Participant_downloads_their_data_then_erases_after_confirming_and_everyone_sees_the_marker()
    {
        const string Mine = "Tolong perbaiki lampu jalan di Gang Kenari";
        const string Theirs = "Kapan pasar tradisional direnovasi?";
        var id = await host.CreateConsultation(moderation: "post");
        await host.Submit(id, Theirs);

        var page = await Ui.OpenParticipant(host, id);
        await Ui.Ask(page, Mine);
        var myItem = Ui.PublicItem(page, Mine);
        await Assertions.Expect(myItem).ToHaveCountAsync(1);
        var itemId = await myItem.GetAttributeAsync("data-item-id");
        var theirs = Ui.PublicItem(page, Theirs);
        await theirs.GetByRole(AriaRole.Button, new() { Name = "Dukung" }).ClickAsync();
        await Assertions.Expect(theirs.GetByTestId("votes")).ToHaveTextAsync("1 dukungan");

        var other = await Ui.OpenParticipant(host, id);
        var seenByOther = other.Locator($"#items li[data-item-id='{itemId}']");
        await Assertions.Expect(seenByOther.GetByTestId("item-text")).ToHaveTextAsync(Mine);

        // Download: a JSON file with the participant's own text.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Unduh data saya" }).ClickAsync());
        Assert.EndsWith(".json", download.SuggestedFilename, StringComparison.Ordinal);
        var path = await download.PathAsync();
        var json = await File.ReadAllTextAsync(path);
        Assert.Contains(Mine, json, StringComparison.Ordinal);
        using (var document = System.Text.Json.JsonDocument.Parse(json))
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Array, document.RootElement.GetProperty("consultations").ValueKind);
        }

        await Assertions.Expect(page.GetByTestId("data-status")).ToHaveTextAsync("Data Anda sudah diunduh.");

        // Cancelling the confirmation changes nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Hapus kontribusi saya" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Hapus semua kontribusi Anda?" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("tidak dapat dibatalkan");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Batal" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("data-status")).ToHaveTextAsync("Tidak ada yang dihapus.");
        await page.WaitForTimeoutAsync(300);
        await Assertions.Expect(myItem.GetByTestId("item-text")).ToHaveTextAsync(Mine);
        await Assertions.Expect(theirs.GetByTestId("votes")).ToHaveTextAsync("1 dukungan");

        // Confirming erases: the text becomes the marker here and, pushed live, on the other participant's page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Hapus kontribusi saya" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Ya, hapus kontribusi saya" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("data-status")).ToHaveTextAsync("Selesai: 1 kiriman dihapus, 1 suara ditarik.");
        var erasedHere = page.Locator($"#items li[data-item-id='{itemId}'] [data-testid=item-text]");
        await Assertions.Expect(erasedHere).ToHaveTextAsync("[dihapus atas permintaan penulis]");
        await Assertions.Expect(erasedHere).ToHaveAttributeAsync("data-erased", "true");
        await Assertions.Expect(page.Locator("#main")).Not.ToContainTextAsync(Mine);
        await Assertions.Expect(seenByOther.GetByTestId("item-text")).ToHaveTextAsync("[dihapus atas permintaan penulis]");
        await Assertions.Expect(Ui.PublicItem(other, Theirs).GetByTestId("votes")).ToHaveTextAsync("0 dukungan");
        // An erased post no longer shows whose it was.
        await Assertions.Expect(seenByOther).Not.ToContainTextAsync("oleh ");

        // The marker follows the page's language.
        await other.GetByLabel("Bahasa").SelectOptionAsync("en");
        await Assertions.Expect(seenByOther.GetByTestId("item-text")).ToHaveTextAsync("[removed at the author's request]");
        await WebUiHost.Screenshot(page, "participant-data-rights");
    }
}
