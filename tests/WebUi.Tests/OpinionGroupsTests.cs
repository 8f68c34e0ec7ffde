using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.WebUi.Tests;

[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class OpinionGroupsTests(WebUiHost host)
{
    private static readonly string[] CampA =
    [
        "Jalan Sudirman ditutup untuk mobil setiap Minggu pagi",
        "Parkir di pinggir jalan sebaiknya dihapus",
        "Jalur sepeda perlu dipisah dengan beton",
        "Tarif parkir di pusat kota dinaikkan",
    ];

    private static readonly string[] CampB =
    [
        "Pedagang kaki lima harus boleh tetap berjualan di trotoar",
        "Pelebaran jalan lebih penting daripada trotoar",
        "Angkot harus boleh berhenti di mana saja",
        "Parkir gratis di akhir pekan menghidupkan toko kecil",
    ];

    private const string Shared = "Trotoar harus ramah kursi roda";

    [Fact]
    public async Task Two_camps_of_voters_form_two_groups_on_the_dashboard_and_a_participant_sees_their_closest_group()
    {
        var id = await host.CreateConsultation(moderation: "post", title: "Musyawarah penataan jalan Kelurahan Menteng", mode: "deliberation");
        var statements = new Dictionary<string, string>();
        foreach (var text in CampA.Concat(CampB).Append(Shared))
        {
            statements[text] = await host.Submit(id, text);
        }

        // Twenty voters in two camps; each skips one statement so positions differ a little within a camp.
        for (var voter = 0; voter < 20; voter++)
        {
            using var client = host.Client(await ParticipantToken());
            var campA = voter % 2 == 0;
            var index = 0;
            foreach (var (text, itemId) in statements)
            {
                var value = text == Shared ? 1 : (CampA.Contains(text) == campA ? 1 : -1);
                if (index++ == voter % (statements.Count - 1))
                {
                    value = 0;
                }

                using var response = await client.PostAsJsonAsync($"/api/consultations/{id}/items/{itemId}/votes", new { value });
                response.EnsureSuccessStatusCode();
            }
        }

        var view = await WaitForGroups(id, 2);
        var dashboard = await Ui.OpenStaff(host, "dashboard", id, "official", "Ibu Lurah");
        var groups = dashboard.GetByTestId("opinion-group");
        await Assertions.Expect(groups).ToHaveCountAsync(2);
        foreach (var group in view.GetProperty("groups").EnumerateArray())
        {
            var groupId = group.GetProperty("id").GetInt32();
            var card = dashboard.Locator($"[data-testid=opinion-group][data-group-id=\"{groupId}\"]");
            await Assertions.Expect(card.Locator("h3")).ToHaveTextAsync($"Kelompok {groupId + 1} · {group.GetProperty("members").GetInt32()} peserta");
            await Assertions.Expect(card.GetByTestId("representative").First).ToBeVisibleAsync();
            await Assertions.Expect(card.GetByTestId("representative").First).ToContainTextAsync(new Regex(@"\d+\s?% anggota (tidak )?setuju"));
        }

        // One camp's representative statements are the other's rejected ones.
        var representative = await dashboard.GetByTestId("representative").Locator(".item-text").AllTextContentsAsync();
        Assert.Contains(representative, CampA.Contains);
        Assert.Contains(representative, CampB.Contains);
        await Assertions.Expect(dashboard.GetByTestId("opinion-consensus").Locator("li").First).ToContainTextAsync(Shared);
        await Assertions.Expect(dashboard.GetByTestId("common-agreed")).ToContainTextAsync(Shared);
        var participants = view.GetProperty("participants").GetInt32();
        await Assertions.Expect(dashboard.GetByTestId("opinion-summary")).ToContainTextAsync($"{participants} peserta memberi suara");
        await Assertions.Expect(dashboard.Locator("#chart-groups")).ToHaveAttributeAsync("aria-label", new Regex("Kelompok \\d+ \\d+ peserta, Kelompok \\d+ \\d+ peserta"));
        await Assertions.Expect(dashboard.GetByTestId("deliberation-only")).ToHaveCountAsync(2);
        await Assertions.Expect(dashboard.GetByTestId("deliberation-only").First).ToBeHiddenAsync();

        // A participant on a phone votes with camp A on the suggested statements.
        var participant = await Ui.OpenParticipant(host, id);
        var next = participant.GetByTestId("next-statement");
        for (var i = 0; i < 4; i++)
        {
            var text = await next.GetByTestId("item-text").TextContentAsync() ?? string.Empty;
            await Assertions.Expect(Ui.PublicItem(participant, text).GetByTestId("next-badge")).ToHaveTextAsync("Berikutnya untuk Anda");
            var name = CampB.Contains(text) ? "^Tidak setuju" : "^Setuju";
            await next.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(name) }).ClickAsync();
            await Assertions.Expect(next.GetByTestId("item-text")).Not.ToHaveTextAsync(text);
        }

        await Assertions.Expect(participant.GetByTestId("you-group")).ToContainTextAsync("Anda paling dekat dengan Kelompok");
        var token = await participant.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('dialogue.participant')).token");
        using (var client = host.Client(token))
        {
            var mine = await client.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/opinion-groups");
            var closest = mine.GetProperty("you").GetProperty("closestGroupId").GetInt32();
            await Assertions.Expect(participant.GetByTestId("you-group")).ToContainTextAsync($"Anda paling dekat dengan Kelompok {closest + 1} (", new() { Timeout = 30_000 });
        }

        // The dashboard follows the recomputation live.
        await Assertions.Expect(dashboard.GetByTestId("opinion-summary")).ToContainTextAsync($"{participants + 1} peserta memberi suara", new() { Timeout = 30_000 });
        await dashboard.EvaluateAsync("() => window.scrollTo(0, 0)");
        await dashboard.SetViewportSizeAsync(1280, 1100);
        await WebUiHost.Screenshot(dashboard, "dashboard");
        await WebUiHost.Screenshot(participant, "participant-deliberation");
    }

    [Fact]
    public async Task Opinion_groups_of_a_qa_consultation_are_refused_and_the_dashboard_says_deliberation_only()
    {
        var id = await host.CreateConsultation(moderation: "post");
        using (var client = host.Client())
        {
            using var response = await client.GetAsync($"/api/consultations/{id}/opinion-groups");
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Contains("invalid-consultation", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var dashboard = await Ui.OpenStaff(host, "dashboard", id, "official", "Pak Camat");
        await Assertions.Expect(dashboard.GetByTestId("deliberation-only")).ToHaveCountAsync(2);
        await Assertions.Expect(dashboard.GetByTestId("deliberation-only").First).ToBeVisibleAsync();
        await Assertions.Expect(dashboard.GetByTestId("deliberation-only").First).ToContainTextAsync("Hanya untuk konsultasi deliberasi");
        await Assertions.Expect(dashboard.GetByTestId("opinion-groups")).ToBeHiddenAsync();
        var participant = await Ui.OpenParticipant(host, id);
        await Assertions.Expect(participant.Locator("#opinion-section")).ToBeHiddenAsync();
    }

    private async Task<string> ParticipantToken()
    {
        using var anonymous = host.Client();
        using var auth = await ParticipantProofClient.MintAsync(anonymous);
        auth.EnsureSuccessStatusCode();
        return (await auth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>The analysis recomputes in the background (about once a second while votes arrive).</summary>
    private async Task<JsonElement> WaitForGroups(string id, int count)
    {
        using var client = host.Client();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement view;
        do
        {
            view = await client.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/opinion-groups");
            if (view.GetProperty("groups").GetArrayLength() == count && view.GetProperty("participants").GetInt32() >= 20)
            {
                return view;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Expected {count} opinion groups within 30 s; last view: {view}");
        return view;
    }
}
