using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

[Trait("Category", "unit")]
public sealed class VoteSetTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_vote_set_keeps_one_value_per_citizen_and_lists_them_by_citizen_number()
    {
        var votes = new VoteSet();
        votes.Set(7, 1);
        votes.Set(2, -1);
        votes.Set(9, 0);
        votes.Set(2, 1);

        Assert.Equal(3, votes.Count);
        Assert.True(votes.TryGetValue(2, out var changed));
        Assert.Equal(1, changed);
        Assert.True(votes.TryGetValue(9, out var pass));
        Assert.Equal(0, pass);
        Assert.False(votes.TryGetValue(3, out _));
        Assert.Equal([(2, 1), (7, 1), (9, 0)], Listed(votes));
    }

    [Fact]
    public void Removing_a_vote_leaves_the_others_and_a_cleared_set_is_empty()
    {
        var votes = new VoteSet();
        for (var citizen = 0; citizen < 100; citizen++)
        {
            votes.Set(99 - citizen, citizen % 3 - 1);
        }

        Assert.True(votes.Remove(50));
        Assert.False(votes.Remove(50));
        Assert.Equal(99, votes.Count);
        Assert.False(votes.Contains(50));
        Assert.Equal(Enumerable.Range(0, 100).Where(c => c != 50), Listed(votes).Select(v => v.Citizen));
        Assert.All(Listed(votes), v => Assert.Equal((99 - v.Citizen) % 3 - 1, v.Value));

        votes.Clear();
        Assert.Equal(0, votes.Count);
        Assert.Empty(Listed(votes));
    }

    [Fact]
    public void A_vote_set_holds_only_minus_one_zero_or_one_for_numbered_citizens()
    {
        var votes = new VoteSet();
        Assert.Throws<ArgumentOutOfRangeException>(() => votes.Set(1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => votes.Set(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => votes.Set(VoteSet.MaxCitizen + 1, 1));
        votes.Set(VoteSet.MaxCitizen, -1);
        Assert.True(votes.TryGetValue(VoteSet.MaxCitizen, out var value));
        Assert.Equal(-1, value);
    }

    [Fact]
    public void Citizens_are_numbered_in_order_of_first_sight_and_one_id_string_is_kept()
    {
        var numbers = new CitizenNumbers();
        var first = new string("pabc".AsSpan());
        var copy = new string("pabc".AsSpan());

        Assert.Equal(0, numbers.Of(first));
        Assert.Equal(1, numbers.Of("pdef"));
        Assert.Equal(0, numbers.Of(copy));
        Assert.Same(first, numbers.Intern(copy));
        Assert.Equal("pdef", numbers.IdOf(1));
        Assert.False(numbers.TryFind("pxyz", out _));
        Assert.Equal(2, numbers.Count);
    }

    [Fact]
    public void The_ledger_answers_a_citizens_vote_and_the_voters_by_id_whatever_string_instance_asks()
    {
        var ledger = new ConsultationLedger(ConsultationMode.Deliberation);
        ledger.Apply(1, At, new ItemSubmitted("i1", "alice", "Warga-A", "c1", "Satu", ItemStatus.Published));
        ledger.Apply(2, At, new VoteCast("i1", new string("bob".AsSpan()), -1));
        ledger.Apply(3, At, new VoteCast("i1", "carol", 0));
        var item = ledger.Find("i1")!;

        Assert.Equal(-1, ledger.VoteOf(item, new string("bob".AsSpan())));
        Assert.Equal(0, ledger.VoteOf(item, "carol"));
        Assert.Null(ledger.VoteOf(item, "alice"));
        Assert.Null(ledger.VoteOf(item, "dave"));
        Assert.Equal(["bob", "carol"], ledger.VotersOf(item));
    }

    [Fact]
    public void A_merge_moves_votes_counting_a_citizen_who_voted_on_both_once_with_their_vote_on_the_target()
    {
        var ledger = new ConsultationLedger(ConsultationMode.Deliberation);
        ledger.Apply(1, At, new ItemSubmitted("i1", "alice", "Warga-A", "c1", "Satu", ItemStatus.Published));
        ledger.Apply(2, At, new ItemSubmitted("i2", "alice", "Warga-A", "c2", "Satu lagi", ItemStatus.Published));
        ledger.Apply(3, At, new VoteCast("i2", "bob", 1));
        ledger.Apply(4, At, new VoteCast("i2", "carol", -1));
        ledger.Apply(5, At, new VoteCast("i1", "carol", 1));
        ledger.Apply(6, At, new VoteCast("i2", "dave", 0));

        ledger.Apply(7, At, LedgerTests.Decision(7, ModerationActions.Merge, "i2", target: "i1"));

        var target = ledger.Find("i1")!;
        var source = ledger.Find("i2")!;
        Assert.Equal(new VoteTally(0, 2, 0, 1), target.Tally);
        Assert.Equal(VoteTally.Empty, source.Tally);
        Assert.Empty(ledger.VotersOf(source));
        Assert.Equal(["bob", "carol", "dave"], ledger.VotersOf(target).Order(StringComparer.Ordinal));
        Assert.Equal(1, ledger.VoteOf(target, "carol"));
    }

    private static List<(int Citizen, int Value)> Listed(VoteSet votes)
    {
        var list = new List<(int, int)>();
        foreach (var vote in votes)
        {
            list.Add(vote);
        }

        return list;
    }
}
