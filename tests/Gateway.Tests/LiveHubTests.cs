using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>Real SignalR connections over WebSockets to the real gateway; run once per storage (StorageSpecs.cs).</summary>
public abstract class LiveHubTests(GatewayHost host)
{
    /// <summary>A hub client that records every item it is pushed, by item id, newest seq kept.</summary>
    private sealed class LiveClient : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, ItemView> _items = new();
        private readonly ConcurrentQueue<ItemView> _received = new();

        public LiveClient(HubConnection connection)
        {
            Connection = connection;
            // One frame per round: full views first, then compact counts of items whose votes alone moved.
            connection.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, updates) =>
            {
                foreach (var item in items)
                {
                    _received.Enqueue(item);
                    _items.AddOrUpdate(item.Id, item, (_, old) => item.Seq > old.Seq ? item : old);
                }

                foreach (var update in updates)
                {
                    _items.AddOrUpdate(
                        update.Id,
                        _ => throw new InvalidOperationException($"A vote update for unknown item {update.Id}."),
                        (_, old) => update.Seq > old.Seq ? old with { Seq = update.Seq, Votes = update.Votes } : old);
                }
            });
        }

        public HubConnection Connection { get; }

        public IReadOnlyCollection<ItemView> Received => _received;

        public long LastSeq => _items.IsEmpty ? 0 : _items.Values.Max(i => i.Seq);

        public async Task<ItemView> WaitFor(Func<ItemView, bool> match, int seconds = 10)
        {
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            while (DateTime.UtcNow < deadline)
            {
                if (_items.Values.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                await Task.Delay(20);
            }

            throw new TimeoutException("No matching live item arrived.");
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private async Task<LiveClient> Connect(string token, string consultationId, long afterSeq = 0)
    {
        var client = new LiveClient(host.Hub(token));
        await client.Connection.StartAsync();
        await client.Connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), consultationId, afterSeq);
        return client;
    }

    [Fact]
    public async Task One_participant_submits_and_another_receives_it_live_with_its_seq()
    {
        var id = await host.CreateConsultation();
        var (asker, _) = await host.Participant();
        var (watcher, _) = await host.Participant();
        await using var a = await Connect(asker, id);
        await using var b = await Connect(watcher, id);

        var ack = await a.Connection.InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, "hub-1", "Apakah ada subsidi bus?");
        var seen = await b.WaitFor(i => i.Id == ack.Id);

        Assert.Equal(ack.Seq, seen.Seq);
        Assert.Equal("Apakah ada subsidi bus?", seen.Text);
        Assert.StartsWith("Warga-", seen.Author, StringComparison.Ordinal);

        await b.Connection.InvokeAsync<VoteResult>(nameof(DialogueHub.Vote), id, ack.Id, 1);
        var voted = await a.WaitFor(i => i.Id == ack.Id && i.Votes.Up == 1);
        Assert.True(voted.Seq > ack.Seq);
    }

    [Fact]
    public async Task Participants_still_in_the_room_keep_receiving_when_others_join_twice_leave_or_disconnect()
    {
        // Twelve participants spread over the feed's participant groups; the ways of leaving one (Leave,
        // disconnect) and joining again must not take anyone else out of the live feed.
        var id = await host.CreateConsultation();
        var clients = new List<LiveClient>();
        for (var i = 0; i < 12; i++)
        {
            clients.Add(await Connect((await host.Participant()).Token, id));
        }

        try
        {
            await clients[0].Connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);
            foreach (var leaver in clients[1..4])
            {
                await leaver.Connection.InvokeAsync(nameof(DialogueHub.Leave), id);
            }

            foreach (var gone in clients[4..7])
            {
                await gone.Connection.StopAsync();
            }


            var first = await clients[7].Connection.InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, "after-leaving", "Siapa yang masih mendengar?");
            foreach (var stayed in clients.Where((_, i) => i == 0 || i >= 7))
            {
                Assert.Equal(first.Seq, (await stayed.WaitFor(i => i.Id == first.Id)).Seq);
            }

            await Task.Delay(300);
            Assert.All(clients[1..4], leaver => Assert.DoesNotContain(leaver.Received, i => i.Id == first.Id));

            await clients[1].Connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, clients[1].LastSeq);
            var second = await clients[8].Connection.InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, "back-again", "Saya kembali.");
            Assert.Equal(second.Seq, (await clients[1].WaitFor(i => i.Id == second.Id)).Seq);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Reconnecting_client_gets_exactly_the_gap_after_its_last_seq()
    {
        var id = await host.CreateConsultation();
        var (asker, _) = await host.Participant();
        var (watcher, _) = await host.Participant();
        using var rest = host.Client(asker);
        await rest.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "before", text = "Sebelum putus" });

        var b = await Connect(watcher, id);
        var join = await b.Connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);
        var lastSeen = join.LastSeq;
        await b.DisposeAsync();

        var missed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var r = await rest.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"gap-{i}", text = $"Selama putus {i}" });
            missed.Add((await r.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!.Id);
        }

        await using var again = new LiveClient(host.Hub(watcher));
        await again.Connection.StartAsync();
        var resumed = await again.Connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, lastSeen);

        Assert.Equal(missed, resumed.Items.Select(i => i.Id));
        Assert.Equal(lastSeen + 3, resumed.LastSeq);
        Assert.All(resumed.Items, i => Assert.True(i.Seq > lastSeen));
    }

    [Fact]
    public async Task Pending_items_go_live_to_staff_and_author_but_not_to_other_participants()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var (author, _) = await host.Participant();
        var (other, _) = await host.Participant();
        await using var moderator = await Connect(await host.StaffToken("moderator"), id);
        await using var authorLive = await Connect(author, id);
        await using var otherLive = await Connect(other, id);

        var ack = await authorLive.Connection.InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, "p1", "Menunggu moderasi");

        Assert.Equal(ItemStatus.Pending, (await moderator.WaitFor(i => i.Id == ack.Id)).Status);
        Assert.Equal(ItemStatus.Pending, (await authorLive.WaitFor(i => i.Id == ack.Id)).Status);

        // Staff, author and public frames leave in the same round of the send loop; a moment later nothing may have arrived.
        await Task.Delay(300);
        Assert.Empty(otherLive.Received);
        Assert.Empty((await otherLive.Connection.InvokeAsync<ItemPage>(nameof(DialogueHub.Items), id, 0L)).Items);
    }

    [Fact]
    public async Task Bad_input_on_the_hub_is_a_hub_exception_with_its_code()
    {
        var id = await host.CreateConsultation();
        var (participant, _) = await host.Participant();
        await using var client = await Connect(participant, id);

        var empty = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, "e", "  "));
        var vote = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<VoteResult>(nameof(DialogueHub.Vote), id, "i404", 1));
        var unknown = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), "kzzzzzzz", 0L));

        Assert.Contains("invalid-text", empty.Message, StringComparison.Ordinal);
        Assert.Contains("not-found", vote.Message, StringComparison.Ordinal);
        Assert.Contains("not-found", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, client.Connection.State);
    }

    [Fact]
    public async Task Staff_cannot_submit_as_citizens_over_the_hub_and_anonymous_cannot_connect()
    {
        var id = await host.CreateConsultation();
        await using var moderator = await Connect(await host.StaffToken("moderator"), id);
        await Assert.ThrowsAsync<HubException>(() => moderator.Connection.InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, "m", "text"));

        await using var anonymous = host.Hub("not-a-token");
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
    }
}
