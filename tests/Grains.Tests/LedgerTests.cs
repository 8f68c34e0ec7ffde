using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

[Trait("Category", "unit")]
public sealed class LedgerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private static readonly Viewer Alice = new(ViewerRole.Participant, "alice");
    private static readonly Viewer Bob = new(ViewerRole.Participant, "bob");
    private static readonly Viewer Moderator = new(ViewerRole.Moderator, null);

    private static ConsultationLedger WithItems(ConsultationMode mode, params ItemStatus[] statuses)
    {
        var ledger = new ConsultationLedger(mode);
        for (var i = 0; i < statuses.Length; i++)
        {
            ledger.Apply(ledger.LastSeq + 1, At, new ItemSubmitted($"i{i + 1}", "alice", "Warga-A", $"c{i}", $"text {i}", statuses[i]));
        }

        return ledger;
    }

    internal static Moderated Decision(long seq, string action, string itemId, string? reason = null, string? target = null) =>
        new(new ModerationLogEntry(seq, At, action, itemId, "Warga-A", reason, target, "mod", false, ModerationLog.Genesis, "h"));

    [Fact]
    public void Queue_length_follows_the_queue_through_decisions_merges_and_appeals()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published, ItemStatus.Published, ItemStatus.Published, ItemStatus.Pending);
        Assert.Equal(4, ledger.QueueLength);

        var steps = new (string Action, string Item, string? Target, int Expected)[]
        {
            (ModerationActions.Approve, "i1", null, 3),
            (ModerationActions.Approve, "i1", null, 3),
            (ModerationActions.Reject, "i2", null, 2),
            (ModerationActions.Merge, "i3", "i4", 1),
            (ModerationActions.Appeal, "i2", null, 2),
            (ModerationActions.Appeal, "i2", null, 2),
            (ModerationActions.Pin, "i4", null, 2),
        };
        foreach (var (action, item, target, expected) in steps)
        {
            var seq = ledger.LastSeq + 1;
            ledger.Apply(seq, At, Decision(seq, action, item, action == ModerationActions.Reject ? "spam" : null, target));
            Assert.Equal(expected, ledger.QueueLength);
            Assert.Equal(ledger.Queue().Count(), ledger.QueueLength);
        }
    }

    [Fact]
    public void One_vote_per_citizen_per_item_and_a_new_vote_replaces_the_old()
    {
        var ledger = WithItems(ConsultationMode.Deliberation, ItemStatus.Published);
        ledger.Apply(2, At, new VoteCast("i1", "bob", 1));
        ledger.Apply(3, At, new VoteCast("i1", "bob", -1));
        ledger.Apply(4, At, new VoteCast("i1", "carol", 0));

        Assert.Equal(new VoteTally(0, 0, 1, 1), ledger.Find("i1")!.Tally);
    }

    [Fact]
    public void Same_vote_again_changes_nothing()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published);
        Assert.Single(ledger.Apply(2, At, new VoteCast("i1", "bob", 1)));
        Assert.Empty(ledger.Apply(3, At, new VoteCast("i1", "bob", 1)));
        Assert.Equal(1, ledger.Find("i1")!.Tally.Up);
    }

    [Fact]
    public void Qa_vote_zero_withdraws_the_upvote()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published);
        ledger.Apply(2, At, new VoteCast("i1", "bob", 1));
        ledger.Apply(3, At, new VoteCast("i1", "bob", 0));
        Assert.Equal(VoteTally.Empty, ledger.Find("i1")!.Tally);
        Assert.Equal(0, ledger.Find("i1")!.Votes.Count);
        Assert.Empty(ledger.VotersOf(ledger.Find("i1")!));
    }

    [Fact]
    public void Page_after_seq_returns_exactly_the_items_changed_since()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published, ItemStatus.Published, ItemStatus.Published);
        ledger.Apply(4, At, new VoteCast("i1", "bob", 1));

        var page = ledger.Page(Bob, 2, 100, At);

        Assert.Equal(["i3", "i1"], page.Items.Select(i => i.Id));
        Assert.Equal([3L, 4L], page.Items.Select(i => i.Seq));
        Assert.Equal(4, page.LastSeq);
        Assert.False(page.HasMore);
    }

    [Fact]
    public void Paging_with_a_limit_continues_where_it_stopped()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published, ItemStatus.Published, ItemStatus.Published);
        var first = ledger.Page(Bob, 0, 2, At);
        var second = ledger.Page(Bob, first.LastSeq, 2, At);

        Assert.True(first.HasMore);
        Assert.Equal(["i1", "i2"], first.Items.Select(i => i.Id));
        Assert.Equal(["i3"], second.Items.Select(i => i.Id));
        Assert.False(second.HasMore);
    }

    [Fact]
    public void Pending_items_are_hidden_from_other_participants_but_shown_to_author_and_staff()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Pending);

        Assert.Empty(ledger.Page(Bob, 0, 10, At).Items);
        Assert.Single(ledger.Page(Alice, 0, 10, At).Items);
        Assert.Single(ledger.Page(Moderator, 0, 10, At).Items);
    }

    [Fact]
    public void Rejected_item_keeps_reason_visible_to_author_and_becomes_a_tombstone_for_others()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published);
        ledger.Apply(2, At, Decision(2, ModerationActions.Reject, "i1", reason: "abuse"));

        var own = Assert.Single(ledger.Page(Alice, 0, 10, At).Items);
        Assert.Equal("abuse", own.RejectionReason);
        Assert.Equal("text 0", own.Text);

        var others = Assert.Single(ledger.Page(Bob, 0, 10, At).Items);
        Assert.False(others.Visible);
        Assert.Equal(string.Empty, others.Text);
        Assert.Null(others.RejectionReason);
    }

    [Fact]
    public void Repeat_submission_is_found_by_citizen_and_client_id()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published);
        var repeat = ledger.FindSubmission("alice", "c0");

        Assert.Equal(new SubmitResult(SubmitOutcome.Repeat, "i1", 1, ItemStatus.Published), repeat);
        Assert.Null(ledger.FindSubmission("bob", "c0"));
    }

    [Fact]
    public void Events_out_of_order_are_refused()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published);
        Assert.Throws<InvalidOperationException>(() => ledger.Apply(1, At, new VoteCast("i1", "bob", 1)));
    }

    [Fact]
    public void Highest_item_number_survives_gaps_so_new_ids_never_collide()
    {
        var ledger = new ConsultationLedger(ConsultationMode.Qa);
        ledger.Apply(1, At, new ItemSubmitted("i1", "a", "W", "c1", "t", ItemStatus.Published));
        ledger.Apply(3, At, new ItemSubmitted("i7", "a", "W", "c2", "t", ItemStatus.Published));
        Assert.Equal(7, ledger.HighestItemNumber);
    }

    [Fact]
    public void Journal_codec_round_trips_every_event_with_its_kind()
    {
        ConsultationEvent[] events =
        [
            new ItemSubmitted("i1", "p1", "Warga-X", "c1", "Halo ✓", ItemStatus.Pending),
            new VoteCast("i1", "p2", -1),
            Decision(3, ModerationActions.Reject, "i1", reason: "spam") with { Note = "link farm" },
            new ItemsClaimed(["i1", "i2"], "mod", At.AddMinutes(1)),
        ];
        foreach (var e in events)
        {
            var record = ConsultationEventCodec.Encode("s", 1, e, null, At);
            Assert.Equal(ConsultationEventCodec.Encode("s", 1, ConsultationEventCodec.Decode(record), null, At).Payload, record.Payload);
            Assert.DoesNotContain("OpenGov", record.Payload, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Items_changed_by_one_event_share_its_seq_and_all_appear_after_it()
    {
        var ledger = WithItems(ConsultationMode.Qa, ItemStatus.Published, ItemStatus.Published, ItemStatus.Published);
        ledger.Apply(4, At, new ItemsClaimed(["i1", "i2", "i3"], "mod", At.AddMinutes(1)));

        var page = ledger.Page(Moderator, 3, 1, At);

        Assert.Equal(["i1", "i2", "i3"], page.Items.Select(i => i.Id).Order());
        Assert.All(page.Items, i => Assert.Equal(4, i.Seq));
        Assert.Equal((4L, false), (page.LastSeq, page.HasMore));
    }
}
