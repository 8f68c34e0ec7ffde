using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>Who may take part by how their token was admitted, and the vote-burst flag, as plain rules over the ledger.</summary>
[Trait("Category", "unit")]
public sealed class AdmissionRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly VoteBurstRule Rule = new(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), MinVotes: 5);

    [Theory]
    [InlineData(AdmissionMode.Open, null, null, true)]
    [InlineData(AdmissionMode.Open, AdmissionMode.Code, "c1", true)]
    [InlineData(AdmissionMode.Open, AdmissionMode.Code, "c2", false)]
    [InlineData(AdmissionMode.Code, null, null, false)]
    [InlineData(AdmissionMode.Code, AdmissionMode.Code, "c1", true)]
    [InlineData(AdmissionMode.Code, AdmissionMode.Invite, "c1", true)]
    [InlineData(AdmissionMode.Code, AdmissionMode.Code, "c2", false)]
    [InlineData(AdmissionMode.Invite, AdmissionMode.Code, "c1", false)]
    [InlineData(AdmissionMode.Invite, AdmissionMode.Invite, "c1", true)]
    [InlineData(AdmissionMode.Invite, AdmissionMode.Invite, "c2", false)]
    [InlineData(AdmissionMode.Invite, AdmissionMode.Open, "c1", false)]
    public void A_token_takes_part_only_where_its_admission_counts(AdmissionMode consultation, AdmissionMode? token, string? boundTo, bool admitted)
    {
        var admission = token is null ? null : new Admission(token.Value, boundTo);
        var check = () => AdmissionRules.Check(consultation, "c1", admission);
        if (admitted)
        {
            check();
        }
        else
        {
            Assert.Equal(ErrorCodes.AdmissionRequired, Assert.Throws<DialogueException>(check).Code);
        }
    }

    [Fact]
    public void New_identities_voting_one_way_in_a_short_window_make_a_burst()
    {
        var watch = new VoteBurstWatch(Rule);
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(watch.Observe("i1", i, 1, AdmissionMode.Open, At.AddSeconds(i), i + 1));
        }

        var burst = watch.Observe("i1", 4, 1, AdmissionMode.Open, At.AddSeconds(4), 5);
        Assert.NotNull(burst);
        Assert.Equal((1, 5, 5, 5L), (burst.Value, burst.NewIdentities, burst.WindowVotes, burst.Seq));
    }

    [Fact]
    public void Old_identities_code_holders_slow_votes_and_split_votes_make_no_burst()
    {
        // Identities seen long before voting.
        var old = new VoteBurstWatch(Rule);
        for (var i = 0; i < 10; i++)
        {
            old.Seen(i, At);
            Assert.Null(old.Observe("i1", i, 1, AdmissionMode.Open, At.AddMinutes(11), i + 1));
        }

        // Admitted in person with the join code.
        var hall = new VoteBurstWatch(Rule);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(hall.Observe("i1", i, 1, AdmissionMode.Code, At.AddSeconds(i), i + 1));
        }

        // Spread over more than the window.
        var slow = new VoteBurstWatch(Rule);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(slow.Observe("i1", i, 1, AdmissionMode.Open, At.AddMinutes(i), i + 1));
        }

        // Many new identities, but voting many ways: 5 agree among 10 votes is under the 60 % share.
        var split = new VoteBurstWatch(Rule);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(split.Observe("i1", i, i % 2 == 0 ? 1 : -1, AdmissionMode.Open, At.AddSeconds(i), i + 1));
        }
    }

    [Fact]
    public void The_ledger_flags_once_per_window_and_a_replay_flags_the_same()
    {
        ConsultationLedger Build()
        {
            var ledger = new ConsultationLedger(ConsultationMode.Qa, Rule);
            ledger.Apply(1, At, new ItemSubmitted("i1", "author", "Warga-A", "c1", "text", ItemStatus.Published));
            for (var i = 0; i < 8; i++)
            {
                ledger.Apply(i + 2, At.AddSeconds(i), new VoteCast("i1", $"v{i}", 1));
            }

            return ledger;
        }

        var first = Build().Find("i1")!;
        var again = Build().Find("i1")!;
        Assert.NotNull(first.Burst);
        Assert.Equal(6, first.Burst.Seq);
        Assert.Equal(first.Burst, again.Burst);
        Assert.Equal(first.Burst, first.StaffView(At).Review!.Burst);
        Assert.Null(first.PublicView()!.Review);
    }

    [Fact]
    public void Tallies_count_current_voters_by_admission_and_erased_citizens_not_at_all()
    {
        var ledger = new ConsultationLedger(ConsultationMode.Qa);
        ledger.Apply(1, At, new ItemSubmitted("i1", "author", "Warga-A", "c1", "text", ItemStatus.Published, Admission: AdmissionMode.Invite));
        ledger.Apply(2, At, new VoteCast("i1", "a", 1));
        ledger.Apply(3, At, new VoteCast("i1", "b", 1, Admission: AdmissionMode.Code));
        ledger.Apply(4, At, new VoteCast("i1", "c", 1, Admission: AdmissionMode.Code));
        ledger.Apply(5, At, new VoteCast("i1", "c", 0, Admission: AdmissionMode.Code));
        var tallies = ledger.AdmissionTallies(AdmissionMode.Code);
        Assert.Equal(new AdmissionCount(1, 1, 0), tallies.Items.Single().Voters);
        Assert.Equal(new AdmissionCount(1, 2, 1), tallies.Participants);
    }
}
