using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Storage;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// Erasure asked in bulk, as a script would: every request is honoured, but the store is scrubbed (a VACUUM that
/// holds back its writers) a bounded number of times, and not at all for identities that never stored anything.
/// </summary>
[Trait("Category", "http")]
public sealed class ErasureAbuseTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Fact]
    public async Task Erasures_in_bulk_are_all_honoured_with_a_few_shared_scrubs_and_none_for_empty_identities()
    {
        var scrubs = Assert.IsType<ScrubCoalescer>(host.Services.GetRequiredService<IStorageScrubber>());
        var id = await host.CreateConsultation();
        var item = await host.Submit(id, "Perbaiki jembatan di Kali Code");

        // Identities that never posted or voted: erasing them stores and scrubs nothing.
        var before = scrubs.Runs;
        var empty = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ => await Erase((await host.Participant()).Token)));
        Assert.All(empty, e => Assert.Equal((0, 0), (e.GetProperty("items").GetInt32(), e.GetProperty("votes").GetInt32())));
        Assert.Equal(before, scrubs.Runs);

        // Twelve voters erase at once: every vote is withdrawn, and the twelve share a few scrubs.
        var voters = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var (token, _) = await host.Participant();
            using var voter = host.Client(token);
            (await voter.PostAsJsonAsync($"/api/consultations/{id}/items/{item}/votes", new { value = 1 })).EnsureSuccessStatusCode();
            voters.Add(token);
        }

        Assert.Equal(12, (await host.StaffItems(id))[item].GetProperty("votes").GetProperty("up").GetInt32());
        before = scrubs.Runs;
        var clock = Stopwatch.StartNew();
        var erased = await Task.WhenAll(voters.Select(Erase));
        Assert.All(erased, e => Assert.Equal(1, e.GetProperty("votes").GetInt32()));
        // The consultation grain takes the twelve erasures one at a time, so under load the last may reach the store
        // after a second scrub began and need a third; one scrub each would be twelve.
        Assert.InRange(scrubs.Runs - before, 1, 3);
        Assert.Equal(0, (await host.StaffItems(id))[item].GetProperty("votes").GetProperty("up").GetInt32());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"twelve erasures took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task<JsonElement> Erase(string token)
    {
        using var client = host.Client(token);
        using var response = await client.PostAsJsonAsync("/api/me/erase", new { confirm = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
