using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>Self-described segments: asked once on the participant page, shown to officials as "who is being heard".</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class SegmentsPageTests(WebUiHost host)
{
    private static readonly object Questions = new
    {
        questions = new object[]
        {
            new { key = "kelurahan", label = "Kelurahan tempat tinggal", options = new[] { "Menteng", "Cikini", "Gondangdia" } },
            new { key = "usia", label = "Usia", options = new[] { "< 25", "25–44", "45+" } },
        },
    };

    private async Task<string> ConsultationWithQuestions(string title)
    {
        var id = await host.CreateConsultation(moderation: "post", title: title);
        using var admin = host.Client(await host.StaffToken());
        (await admin.PutAsJsonAsync($"/api/consultations/{id}/segments", Questions)).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>A new participant over HTTP: answers the questions (when given), then posts (when given).</summary>
    private async Task Participant(string id, string? kelurahan, string? text)
    {
        using var anonymous = host.Client();
        using var auth = await ParticipantProofClient.MintAsync(anonymous);
        var token = (await auth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var participant = host.Client(token);
        if (kelurahan is not null)
        {
            (await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?> { ["kelurahan"] = kelurahan } })).EnsureSuccessStatusCode();
        }

        if (text is not null)
        {
            (await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = Guid.NewGuid().ToString("N"), text })).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task The_participant_page_asks_once_skippable_and_changeable()
    {
        var id = await ConsultationWithQuestions("Musrenbang Kelurahan Menteng");
        var page = await Ui.OpenParticipant(host, id);
        var section = page.GetByTestId("segments");

        // Asked the first time, with why and how it is used.
        await Assertions.Expect(section.GetByTestId("segments-form")).ToBeVisibleAsync();
        await Assertions.Expect(section).ToContainTextAsync("hanya dihitung dalam kelompok minimal 5 orang");
        await section.GetByLabel("Kelurahan tempat tinggal").SelectOptionAsync("Menteng");
        await section.ScrollIntoViewIfNeededAsync();
        await WebUiHost.Screenshot(page, "participant-segments");
        await section.GetByRole(AriaRole.Button, new() { Name = "Simpan" }).ClickAsync();
        await Assertions.Expect(section.GetByTestId("segments-summary")).ToHaveTextAsync("Jawaban Anda: Menteng");
        await Assertions.Expect(page.Locator("#segments-status")).ToHaveTextAsync("Tersimpan. Terima kasih.");

        // Not asked again on the next visit; changeable.
        await page.ReloadAsync();
        await Assertions.Expect(section.GetByTestId("segments-summary")).ToHaveTextAsync("Jawaban Anda: Menteng");
        await Assertions.Expect(section.GetByTestId("segments-form")).ToHaveCountAsync(0);
        await section.GetByTestId("segments-change").ClickAsync();
        await Assertions.Expect(section.GetByLabel("Kelurahan tempat tinggal")).ToHaveValueAsync("Menteng");
        await section.GetByLabel("Kelurahan tempat tinggal").SelectOptionAsync("Cikini");
        await section.GetByLabel("Usia").SelectOptionAsync("45+");
        await section.GetByRole(AriaRole.Button, new() { Name = "Simpan" }).ClickAsync();
        await Assertions.Expect(section.GetByTestId("segments-summary")).ToHaveTextAsync("Jawaban Anda: Cikini · 45+");

        // The server holds exactly that (the data download shows it).
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Unduh data saya" }).ClickAsync());
        using (var data = JsonDocument.Parse(await File.ReadAllTextAsync((await download.PathAsync())!)))
        {
            var mine = data.RootElement.GetProperty("segments").GetProperty(id);
            Assert.Equal("Cikini", mine.GetProperty("kelurahan").GetString());
            Assert.Equal("45+", mine.GetProperty("usia").GetString());
        }

        // Another participant skips: not asked again on this device, nothing stored.
        var other = await Ui.OpenParticipant(host, id);
        var theirs = other.GetByTestId("segments");
        await theirs.GetByRole(AriaRole.Button, new() { Name = "Lewati" }).ClickAsync();
        await Assertions.Expect(theirs.GetByTestId("segments-summary")).ToHaveTextAsync("Anda belum menjawab.");
        await other.ReloadAsync();
        await Assertions.Expect(theirs.GetByTestId("segments-summary")).ToHaveTextAsync("Anda belum menjawab.");

        // In English too.
        await other.GetByLabel("Bahasa").SelectOptionAsync("en");
        await Assertions.Expect(theirs.GetByRole(AriaRole.Heading)).ToHaveTextAsync("About you (optional)");
        await Assertions.Expect(theirs.GetByTestId("segments-summary")).ToHaveTextAsync("You have not answered.");

        // A consultation without questions asks nothing.
        var plain = await host.CreateConsultation(moderation: "post", title: "Tanya jawab taman kota");
        var quiet = await Ui.OpenParticipant(host, plain);
        await quiet.WaitForTimeoutAsync(500);
        await Assertions.Expect(quiet.GetByTestId("segments")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Officials_see_who_is_heard_per_topic_group_with_small_cells_withheld()
    {
        var id = await ConsultationWithQuestions("Musrenbang Kelurahan Cikini");

        // Roads: 12 posters from Menteng. Rubbish: 9 from Cikini, 3 from Gondangdia. 8 more from Gondangdia answer but never post.
        for (var i = 0; i < 12; i++)
        {
            await Participant(id, "Menteng", Complaints.Roads[i]);
            await Participant(id, i < 9 ? "Cikini" : "Gondangdia", Complaints.Rubbish[i]);
        }

        for (var i = 0; i < 8; i++)
        {
            await Participant(id, "Gondangdia", null);
        }

        using (var official = host.Client(await host.StaffToken("official")))
        {
            for (var i = 0; i < 150; i++)
            {
                var view = await official.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/segments/breakdown");
                if (view.GetProperty("questions")[0].GetProperty("topicGroups").GetArrayLength() > 0)
                {
                    break;
                }

                await Task.Delay(200);
            }
        }

        var dashboard = await Ui.OpenStaff(host, "dashboard", id, "official", "Bapak Camat");
        await dashboard.SetViewportSizeAsync(1400, 1100);
        var panel = dashboard.GetByTestId("segments");
        await Assertions.Expect(panel.GetByTestId("segments-summary")).ToContainTextAsync("32 orang menjawab, 24 di antaranya mengirim");
        var kelurahan = panel.Locator("[data-testid=segment-question][data-key=kelurahan]");
        var menteng = kelurahan.Locator("tbody tr").Filter(new() { HasText = "Menteng" });
        await Assertions.Expect(menteng.Locator("td").Nth(0)).ToHaveTextAsync("12");
        await Assertions.Expect(menteng.Locator("td").Nth(1)).ToHaveTextAsync("12");
        var gondangdia = kelurahan.Locator("tbody tr").Filter(new() { HasText = "Gondangdia" });
        await Assertions.Expect(gondangdia.Locator("td").Nth(0)).ToHaveTextAsync("11");
        await Assertions.Expect(gondangdia.Locator("td").Nth(1)).ToHaveTextAsync("< 5"); // 3 posters: withheld
        await Assertions.Expect(kelurahan.Locator("thead th")).Not.ToHaveCountAsync(3); // one column per topic group
        await Assertions.Expect(kelurahan.GetByTestId("segments-missing")).ToContainTextAsync("Gondangdia: 34% dari peserta, pengirim kurang dari 5 orang");
        await dashboard.EvaluateAsync("() => document.querySelector('[data-testid=segments]').scrollIntoView({ block: 'start' })");
        await WebUiHost.Screenshot(dashboard, "dashboard-segments");

        await dashboard.GetByLabel("Bahasa").SelectOptionAsync("en");
        await Assertions.Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "Who is being heard" })).ToBeVisibleAsync();
        await Assertions.Expect(kelurahan.GetByTestId("segments-missing")).ToContainTextAsync("Gondangdia: 34% of participants, fewer than 5 posters");
    }
}
