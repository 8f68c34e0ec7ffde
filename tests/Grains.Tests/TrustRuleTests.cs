using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>Votes that change nothing, votes racing a rejection, and sanctions the consultation enforces itself.</summary>
[Trait("Category", "unit")]
public sealed class TrustRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_vote_applied_after_its_item_was_rejected_does_not_count_but_imported_history_does()
    {
        var ledger = new ConsultationLedger(ConsultationMode.Deliberation);
        ledger.Apply(1, At, new ItemSubmitted("i1", "alice", "Warga-A", "c1", "text", ItemStatus.Published));
        ledger.Apply(2, At, LedgerTests.Decision(2, ModerationActions.Reject, "i1", "spam"));

        Assert.Empty(ledger.Apply(3, At, new VoteCast("i1", "bob", 1)));
        Assert.Equal(VoteTally.Empty, ledger.Find("i1")!.Tally);
        Assert.Single(ledger.Apply(4, At, new VoteCast("i1", "carol", 1, Imported: true)));
        Assert.Equal(1, ledger.Find("i1")!.Tally.Agree);
    }

    [Fact]
    public void Withdrawing_an_upvote_never_given_changes_nothing()
    {
        var ledger = new ConsultationLedger(ConsultationMode.Qa);
        ledger.Apply(1, At, new ItemSubmitted("i1", "alice", "Warga-A", "c1", "text", ItemStatus.Published));
        var item = ledger.Find("i1")!;
        Assert.False(ledger.WouldChange(item, "bob", 0));
        Assert.Empty(ledger.Apply(2, At, new VoteCast("i1", "bob", 0)));
        Assert.True(ledger.WouldChange(item, "bob", 1));
    }

    [Fact]
    public async Task A_vote_that_changes_nothing_writes_nothing()
    {
        await using var silo = await TestSilo.StartAsync();
        var id = ConsultationIds.New();
        var consultation = silo.Grains.GetGrain<IConsultationGrain>(id);
        await consultation.Create(new CreateConsultation("Tanya", "d", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        await silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Submit(id, "a", "Kapan?");
        var voter = silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New());

        async Task<long> Seq() => (await consultation.GetInfo())!.LastSeq;
        var start = await Seq();
        await voter.Vote(id, "i1", 0);
        await voter.Vote(id, "i1", 0);
        Assert.Equal(start, await Seq());
        await voter.Vote(id, "i1", 1);
        await voter.Vote(id, "i1", 1);
        Assert.Equal(start + 1, await Seq());
        await voter.Vote(id, "i1", 0);
        await voter.Vote(id, "i1", 0);
        Assert.Equal(start + 2, await Seq());
    }

    [Fact]
    public async Task The_consultation_enforces_a_ban_from_its_own_journal_even_when_called_directly()
    {
        await using var silo = await TestSilo.StartAsync();
        var id = ConsultationIds.New();
        var consultation = silo.Grains.GetGrain<IConsultationGrain>(id);
        await consultation.Create(new CreateConsultation("Tanya", "d", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        var citizenId = CitizenIds.New();
        await silo.Grains.GetGrain<ICitizenGrain>(citizenId).Submit(id, "a", "Spam spam");
        await silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Submit(id, "b", "Pertanyaan lain");
        await consultation.Sanction(new SanctionCommand("i1", SanctionKind.Ban, "spam", null, new Actor("Moderator", ViewerRole.Moderator)));

        // Past the citizen grain (whose copy could have been lost): the consultation itself says no.
        var submit = await Assert.ThrowsAsync<DialogueException>(() => consultation.Submit(new SubmitItem(citizenId, "Warga-X", "b", "Lagi")));
        Assert.Equal(ErrorCodes.Sanctioned, submit.Code);
        var vote = await Assert.ThrowsAsync<DialogueException>(() => consultation.Vote(new CastVote(citizenId, "i2", 1)));
        Assert.Equal(ErrorCodes.Sanctioned, vote.Code);
        Assert.Equal("sanction:ban", (await consultation.GetModerationLog(0, 10)).Entries[^1].Action);

        // And after a restart, from the replayed journal.
        await silo.StopHostAsync();
        await silo.StartHostAsync();
        var again = await Assert.ThrowsAsync<DialogueException>(() => silo.Grains.GetGrain<IConsultationGrain>(id).Vote(new CastVote(citizenId, "i2", 1)));
        Assert.Equal(ErrorCodes.Sanctioned, again.Code);
    }
}

/// <summary>Asking for consultations that do not exist leaves nothing running.</summary>
[Trait("Category", "unit")]
public sealed class UnknownConsultationTests
{
    [Fact]
    public async Task Probing_codes_that_were_never_created_leaves_no_consultation_activations_behind()
    {
        await using var silo = await TestSilo.StartAsync();
        var created = ConsultationIds.New();
        await silo.Grains.GetGrain<IConsultationGrain>(created).Create(new CreateConsultation("Ada", "d", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        for (var i = 0; i < 40; i++)
        {
            Assert.Null(await silo.Grains.GetGrain<IConsultationGrain>(ConsultationIds.New()).GetInfo());
        }

        var management = silo.Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        int active;
        do
        {
            await Task.Delay(200);
            active = (await management.GetSimpleGrainStatistics())
                .Where(s => s.GrainType.Contains("ConsultationGrain", StringComparison.Ordinal))
                .Sum(s => s.ActivationCount);
        }
        while (active > 1 && DateTime.UtcNow < deadline);

        // Only the one that exists stays active (with its presenter timer), and it still works.
        Assert.Equal(1, active);
        Assert.NotNull(await silo.Grains.GetGrain<IConsultationGrain>(created).GetInfo());
    }
}
