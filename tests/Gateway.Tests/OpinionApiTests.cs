using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

[Trait("Category", "http")]
public sealed class OpinionApiTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Fact]
    public async Task Participants_see_groups_live_and_their_own_position_over_rest()
    {
        var id = await host.CreateConsultation("deliberation");
        var (authorToken, _) = await host.Participant();
        using var author = host.Client(authorToken);
        var statements = new List<string>();
        // More statements than a participant's view carries consensus for.
        for (var s = 0; s < OpinionView.ParticipantConsensus + 4; s++)
        {
            using var r = await author.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"s{s}", text = $"Pernyataan {s} tentang transportasi" });
            statements.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        var (watcherToken, _) = await host.Participant();
        var pushed = new ConcurrentQueue<OpinionView>();
        await using var watcher = host.Hub(watcherToken);
        watcher.On<OpinionView>("opinion", pushed.Enqueue);
        await watcher.StartAsync();
        await watcher.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);
        var toOfficial = new ConcurrentQueue<OpinionView>();
        await using var official = host.Hub(await host.StaffToken("official"));
        official.On<OpinionView>("opinion", toOfficial.Enqueue);
        await official.StartAsync();
        await official.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

        var voters = new List<string>();
        for (var p = 0; p < 30; p++)
        {
            var (token, _) = await host.Participant();
            voters.Add(token);
            using var client = host.Client(token);
            for (var s = 0; s < statements.Count; s++)
            {
                var value = s % 2 == 0 ? (p < 15 ? 1 : -1) : 1;
                using var vote = await client.PostAsJsonAsync($"/api/consultations/{id}/items/{statements[s]}/votes", new { value });
                Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
            }
        }

        OpinionView? live = null;
        for (var i = 0; i < 100 && live is null; i++)
        {
            live = pushed.FirstOrDefault(v => v.ParticipantsInAnalysis == 30 && v.Groups.Count == 2);
            await Task.Delay(100);
        }

        Assert.NotNull(live);

        // Phones get the summary without everyone's points and with the highest consensus statements
        // only; the official's dashboard gets the map and every statement.
        Assert.Empty(live.Map);
        Assert.Equal(OpinionView.ParticipantConsensus, live.Consensus.Count);
        Assert.Equal(live.Consensus.OrderByDescending(c => c.Consensus).Select(c => c.ItemId), live.Consensus.Select(c => c.ItemId));
        for (var i = 0; i < 50 && !toOfficial.Any(v => v.Map.Count >= 30 && v.Version == live.Version); i++)
        {
            await Task.Delay(100);
        }

        var full = toOfficial.First(v => v.Map.Count >= 30 && v.Version == live.Version);
        Assert.Equal(statements.Count, full.Consensus.Count);
        var lowest = live.Consensus.Min(c => c.Consensus);
        Assert.All(full.Consensus.Where(c => !live.Consensus.Any(l => l.ItemId == c.ItemId)), c => Assert.True(c.Consensus <= lowest));
        var asked = await watcher.InvokeAsync<OpinionView>(nameof(DialogueHub.OpinionGroups), id);
        Assert.Empty(asked.Map);
        Assert.Equal(OpinionView.ParticipantConsensus, asked.Consensus.Count);
        using var mine = host.Client(voters[0]);
        var view = await mine.GetFromJsonAsync<OpinionView>($"/api/consultations/{id}/opinion-groups", GatewayHost.Json);
        Assert.NotNull(view!.You);
        Assert.Equal(statements.Count, view.You.Votes);
        Assert.Equal(statements.Count, view.Consensus.Count);
        Assert.NotNull(view.You.GroupId);
        var anonymous = await host.Client().GetFromJsonAsync<OpinionView>($"/api/consultations/{id}/opinion-groups", GatewayHost.Json);
        Assert.Null(anonymous!.You);
    }

    [Fact]
    public async Task Opinion_groups_of_a_qa_consultation_are_a_clear_400()
    {
        var id = await host.CreateConsultation("qa");
        using var response = await host.Client().GetAsync($"/api/consultations/{id}/opinion-groups");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:opengov-dialogue:problem:invalid-consultation", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }
}
