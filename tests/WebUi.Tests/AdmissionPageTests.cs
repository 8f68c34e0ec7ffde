using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenGov.Dialogue.Gateway.Auth;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>The participant page asks for the join code or invitation when the consultation admits that way, and pays the proof of work in the browser.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "browser")]
public sealed class AdmissionPageTests(WebUiHost host, ITestOutputHelper output)
{
    [Fact]
    public async Task A_code_consultation_asks_for_the_code_on_screen_once_and_then_takes_part()
    {
        var id = await Create("code");
        using var moderator = host.Client(await host.StaffToken("moderator", "Moderator Aula"));
        var shown = (await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/join-code")).GetProperty("code").GetString()!;

        var page = await host.NewPage(phone: true);
        await page.GotoAsync($"/?c={id}");
        await Assertions.Expect(page.Locator("#admit-view")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#admit-label")).ToHaveTextAsync("Kode masuk yang tampil di layar");
        await Assertions.Expect(page.Locator("#consultation-view")).ToBeHiddenAsync();

        var wrong = ((int.Parse(shown) + 1) % 1_000_000).ToString("D6");
        await page.GetByLabel("Kode masuk yang tampil di layar").FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        await Assertions.Expect(page.Locator("#admit-error")).ToContainTextAsync("Kode tidak berlaku");

        await page.GetByLabel("Kode masuk yang tampil di layar").FillAsync(shown);
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        await Assertions.Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "online");
        await Assertions.Expect(page.Locator("#admit-view")).ToBeHiddenAsync();
        await Ui.Ask(page, "Kapan trotoar Jalan Sabang diperbaiki?");
        await Assertions.Expect(Ui.MyItem(page, "Kapan trotoar Jalan Sabang diperbaiki?")).ToHaveCountAsync(1);
        await WebUiHost.Screenshot(page, "participant-admitted");

        // The token this consultation admitted is kept: a reload goes straight in.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "online");
        await Assertions.Expect(page.Locator("#admit-view")).ToBeHiddenAsync();

        // The vote it casts is counted as admitted by code.
        await Ui.PublicItem(page, "Kapan trotoar Jalan Sabang diperbaiki?").GetByRole(AriaRole.Button, new() { Name = "Dukung" }).ClickAsync();
        await Assertions.Expect(Ui.PublicItem(page, "Kapan trotoar Jalan Sabang diperbaiki?").GetByTestId("votes")).ToHaveTextAsync("1 dukungan");
        var tallies = await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/admission");
        Assert.Equal(1, tallies.GetProperty("items")[0].GetProperty("voters").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task An_invitation_link_admits_at_once_and_a_used_one_is_refused()
    {
        var id = await Create("invite");
        using var admin = host.Client(await host.StaffToken());
        var codes = (await (await admin.PostAsJsonAsync($"/api/consultations/{id}/invites", new { count = 1 })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("codes")[0].GetString()!;

        var page = await host.NewPage(phone: true);
        await page.GotoAsync($"/?c={id}&k={codes}");
        await Assertions.Expect(page.Locator("#conn")).ToHaveAttributeAsync("data-state", "online");
        await Ui.Ask(page, "Undangan: usulan taman bermain");
        await Assertions.Expect(Ui.MyItem(page, "Undangan: usulan taman bermain")).ToHaveCountAsync(1);

        // Someone else with the same link (another device): the code is spent.
        var other = await host.NewPage(phone: true);
        await other.GotoAsync($"/?c={id}&k={codes}");
        await Assertions.Expect(other.Locator("#admit-error")).ToContainTextAsync("sudah dipakai");
        await Assertions.Expect(other.Locator("#consultation-view")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_pages_proof_of_work_matches_the_server_and_its_cost_is_measured()
    {
        var page = await Ui.OpenParticipant(host, await host.CreateConsultation(moderation: "post"));

        // The page solves a real challenge of this server (8 bits in the test host) and the server takes it.
        using var http = host.Client();
        var challenge = await http.GetFromJsonAsync<JsonElement>("/api/auth/challenge");
        var text = challenge.GetProperty("challenge").GetString()!;
        var nonce = await page.EvaluateAsync<string>("([c, b]) => globalThis.dialogueProof.solve(c, b)", new object[] { text, challenge.GetProperty("bits").GetInt32() });
        using var minted = await http.PostAsJsonAsync("/api/auth/participant", new { challenge = text, nonce });
        Assert.True(minted.IsSuccessStatusCode, await minted.Content.ReadAsStringAsync());

        // The default difficulty, timed in this Chromium on the same challenge text; C# checks the answer.
        var bits = new DialogueOptions().ParticipantProofBits;
        var timings = new List<(double Ms, long Hashes)>();
        for (var i = 0; i < 3; i++)
        {
            var input = $"{text}-{i}";
            var result = await page.EvaluateAsync<JsonElement>(
                "async ([c, b]) => { const t = performance.now(); const n = await globalThis.dialogueProof.solve(c, b); return { nonce: n, ms: performance.now() - t }; }",
                new object[] { input, bits });
            var found = result.GetProperty("nonce").GetString()!;
            Assert.True(ParticipantProof.Solves(input, found, bits));
            timings.Add((result.GetProperty("ms").GetDouble(), long.Parse(found) + 1));
        }

        var rate = timings.Sum(t => t.Hashes) / timings.Sum(t => t.Ms) * 1000;
        output.WriteLine($"Chromium proof of work: {rate:F0} hashes/s; {bits} bits (2^{bits} expected hashes) ≈ {Math.Pow(2, bits) / rate * 1000:F0} ms here; runs: {string.Join(", ", timings.Select(t => $"{t.Hashes} hashes in {t.Ms:F0} ms"))}");
        Assert.True(rate > 10_000, $"The page hashes at {rate:F0}/s: far too slow for the default difficulty.");
    }

    private async Task<string> Create(string admission)
    {
        using var admin = host.Client(await host.StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/consultations", new { title = $"Balai warga ({admission})", admission });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
