using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Live;
using OpenGov.Dialogue.Gateway.Moderation;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// Real SignalR clients that pick MessagePack in the handshake, connected to the real gateway at the
/// same time as JSON clients: both must learn the same things.
/// </summary>
[Trait("Category", "http")]
public sealed class MessagePackHubTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    /// <summary>Every "changes" frame a connection receives, in order.</summary>
    private sealed class FrameLog : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(ItemView[] Items, VoteUpdate[] Votes)> _frames = new();

        public FrameLog(HubConnection connection)
        {
            Connection = connection;
            connection.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, votes) => _frames.Enqueue((items, votes)));
        }

        public HubConnection Connection { get; }

        public JoinResponse Join { get; set; } = null!;

        public int Frames => _frames.Count;

        /// <summary>The full views of one item, as JSON text so that two clients' views compare field by field.</summary>
        public string[] Views(string itemId) =>
            [.. _frames.SelectMany(f => f.Items).Where(i => i.Id == itemId).Select(i => JsonSerializer.Serialize(i, GatewayHost.Json))];

        public VoteUpdate[] Votes(string itemId) => [.. _frames.SelectMany(f => f.Votes).Where(v => v.Id == itemId)];

        /// <summary>The newest up-vote count of an item, whether it came as a vote update or in a full view.</summary>
        public int Up(string itemId) =>
            _frames.SelectMany(f => f.Items.Where(i => i.Id == itemId).Select(i => (i.Seq, i.Votes.Up)).Concat(f.Votes.Where(v => v.Id == itemId).Select(v => (v.Seq, v.Votes.Up))))
                .DefaultIfEmpty().MaxBy(x => x.Seq).Up;

        public async Task WaitFor(Func<FrameLog, bool> done, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!done(this))
            {
                Assert.True(DateTime.UtcNow < deadline, $"Not received in time: {what}");
                await Task.Delay(20);
            }
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private static async Task<FrameLog> Connect(HubConnection connection, string consultationId)
    {
        var log = new FrameLog(connection);
        await connection.StartAsync();
        log.Join = await connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), consultationId, 0L);
        return log;
    }

    [Fact]
    public async Task A_MessagePack_client_receives_the_same_items_and_vote_counts_as_a_json_client()
    {
        var id = await host.CreateConsultation();
        var (asker, _) = await host.Participant();
        var (watcher, _) = await host.Participant();
        var moderatorToken = await host.StaffToken("moderator");
        await using var packed = await Connect(host.Hub(asker, messagePack: true), id);
        await using var json = await Connect(host.Hub(watcher), id);
        await using var packedStaff = await Connect(host.Hub(moderatorToken, messagePack: true), id);
        await using var jsonStaff = await Connect(host.Hub(moderatorToken), id);
        Assert.Equal(json.Join.Consultation, packed.Join.Consultation);
        Assert.Equal(ConsultationMode.Qa, packed.Join.Consultation.Mode);

        // Arguments and results cross in MessagePack too: the submit and one of the votes, and a moderator's pin.
        var ack = await packed.Connection.InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, "mp-1", "Bisakah bus malam lewat Cempaka?");
        Assert.Equal(ItemStatus.Published, ack.Status);
        var jsonVote = await json.Connection.InvokeAsync<VoteResult>(nameof(DialogueHub.Vote), id, ack.Id, 1);
        var packedVote = await packed.Connection.InvokeAsync<VoteResult>(nameof(DialogueHub.Vote), id, ack.Id, 1);
        Assert.Equal(2, Math.Max(jsonVote.Tally.Up, packedVote.Tally.Up));
        var logs = new[] { packed, json, packedStaff, jsonStaff };
        foreach (var log in logs)
        {
            await log.WaitFor(l => l.Up(ack.Id) == 2, "the second vote");
        }

        var pin = await packedStaff.Connection.InvokeAsync<ModerationResult>(nameof(DialogueHub.Moderate), id, new ModerationRequest("pin", [ack.Id]));
        Assert.True(Assert.Single(pin.Items).Ok);
        foreach (var log in logs)
        {
            await log.WaitFor(l => l.Views(ack.Id).Any(v => v.Contains("\"pinned\":true", StringComparison.Ordinal)), "the pinned view");
        }

        var views = packed.Views(ack.Id);
        Assert.Equal(json.Views(ack.Id), views);
        Assert.Equal(jsonStaff.Views(ack.Id), packedStaff.Views(ack.Id));
        // Staff share one group and get the same frames; two participants may sit in different groups
        // of the feed, whose sweeps can coalesce two quick votes differently: their newest count agrees.
        Assert.Equal(jsonStaff.Votes(ack.Id), packedStaff.Votes(ack.Id));
        Assert.Equal(json.Votes(ack.Id).MaxBy(v => v.Seq), packed.Votes(ack.Id).MaxBy(v => v.Seq));

        var first = JsonSerializer.Deserialize<ItemView>(views[0], GatewayHost.Json)!;
        Assert.Equal(ack.Seq, first.Seq);
        Assert.Equal("Bisakah bus malam lewat Cempaka?", first.Text);
        Assert.StartsWith("Warga-", first.Author, StringComparison.Ordinal);
        Assert.Equal(ItemStatus.Published, first.Status);
        Assert.True(first.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.NotEmpty(packed.Votes(ack.Id));
        Assert.Equal(2, packed.Up(ack.Id));
        Assert.All(packed.Votes(ack.Id), v => Assert.True(v.Seq > ack.Seq));

        // Staff views carry the review; participants' views never do, in either protocol.
        Assert.Contains("\"review\":", packedStaff.Views(ack.Id)[0], StringComparison.Ordinal);
        Assert.DoesNotContain(views, v => v.Contains("\"review\":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_input_over_MessagePack_is_a_hub_exception_and_changes_nothing()
    {
        var id = await host.CreateConsultation();
        var (participant, _) = await host.Participant();
        var (watcher, _) = await host.Participant();
        await using var client = await Connect(host.Hub(participant, messagePack: true), id);
        await using var json = await Connect(host.Hub(watcher), id);

        var empty = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, "e", "  "));
        var vote = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<VoteResult>(nameof(DialogueHub.Vote), id, "i404", 1));
        var unknown = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), "kzzzzzzz", 0L));
        var notStaff = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<ModerationResult>(nameof(DialogueHub.Moderate), id, new ModerationRequest("reject", ["i1"], "spam")));

        // A text where the vote's number goes: the arguments do not bind, and the connection stays.
        var wrongType = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<VoteResult>(nameof(DialogueHub.Vote), id, "i1", "up"));

        Assert.Contains("invalid-text", empty.Message, StringComparison.Ordinal);
        Assert.Contains("not-found", vote.Message, StringComparison.Ordinal);
        Assert.Contains("not-found", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("unauthorized", notStaff.Message, StringComparison.Ordinal);
        Assert.StartsWith("Failed to invoke 'Vote' due to an error on the server", wrongType.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, client.Connection.State);

        var after = await client.Connection.InvokeAsync<ItemPage>(nameof(DialogueHub.Items), id, 0L);
        Assert.Empty(after.Items);
        Assert.Equal(client.Join.LastSeq, after.LastSeq);
        await Task.Delay(300);
        Assert.Equal(0, client.Frames);
        Assert.Equal(0, json.Frames);
    }
}
