using Microsoft.Playwright;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class StaffViewsTests(WebUiHost host)
{
    [Fact]
    public async Task Official_answers_from_the_dashboard_and_the_participant_sees_it_live()
    {
        var id = await host.CreateConsultation(moderation: "post");
        await host.Submit(id, "Berapa anggaran taman kota tahun depan?");
        await host.Submit(id, "Apakah ada jalur sepeda baru?");
        var participant = await Ui.OpenParticipant(host, id);
        const string question = "Kapan taman kota mulai dibangun?";
        await Ui.Ask(participant, question);
        var dashboard = await Ui.OpenStaff(host, "dashboard", id, "official", "Ibu Lurah");

        var card = dashboard.Locator("#top li[data-item-id]").Filter(new() { HasText = question });
        await card.GetByRole(AriaRole.Button, new() { Name = "Jawab", Exact = true }).ClickAsync();
        await card.GetByLabel("Jawaban", new() { Exact = true }).FillAsync("Pembangunan dimulai bulan Maret.");
        await card.GetByLabel("Status tindak lanjut").SelectOptionAsync("accepted");
        await card.GetByLabel("Penanggung jawab").FillAsync("Dinas Pertamanan");
        await card.GetByLabel("Tenggat").FillAsync("2027-03-01");
        await card.GetByRole(AriaRole.Button, new() { Name = "Simpan jawaban" }).ClickAsync();
        await Assertions.Expect(dashboard.Locator("#answer-result")).ToContainTextAsync("Jawaban tersimpan.");

        var answer = Ui.PublicItem(participant, question).GetByTestId("answer");
        await Assertions.Expect(answer).ToContainTextAsync("Pembangunan dimulai bulan Maret.");
        await Assertions.Expect(answer).ToContainTextAsync("Dinas Pertamanan");
        await Assertions.Expect(answer).ToContainTextAsync("1 Maret 2027");
        await Assertions.Expect(participant.Locator("#notifs")).ToContainTextAsync("Kiriman Anda dijawab.");

        await Assertions.Expect(dashboard.Locator("#totals")).ToContainTextAsync("Total 3 kiriman");
        await Assertions.Expect(dashboard.Locator("#chart-status")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("Diterima 1"));
        await Assertions.Expect(dashboard.GetByTestId("deliberation-only").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Presenter_screen_follows_the_highlighted_question_live()
    {
        var id = await host.CreateConsultation(moderation: "post");
        var first = await host.Submit(id, "Bagaimana warga bisa ikut mengawasi proyek?");
        var second = await host.Submit(id, "Apakah taman akan buka sampai malam?");
        await host.Submit(id, "Di mana lokasi posko pengaduan?");
        await host.Moderate(id, "highlight", first);
        var page = await host.NewPage();
        await page.SetViewportSizeAsync(1600, 900);
        await page.GotoAsync($"/presenter?c={id}");

        await Assertions.Expect(page.GetByTestId("now")).ToHaveTextAsync("Bagaimana warga bisa ikut mengawasi proyek?");
        await Assertions.Expect(page.Locator("#join")).ToContainTextAsync(id);
        await host.Moderate(id, "highlight", second);
        await Assertions.Expect(page.GetByTestId("now")).ToHaveTextAsync("Apakah taman akan buka sampai malam?");
        await Assertions.Expect(page.Locator("#next li")).Not.ToHaveCountAsync(0);
        await WebUiHost.Screenshot(page, "presenter");
    }
}
