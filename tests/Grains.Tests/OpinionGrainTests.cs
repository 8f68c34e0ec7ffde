using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>The live opinion analysis through real grains: votes go in through the consultation, groups come out.</summary>
[Trait("Category", "unit")]
public sealed class OpinionGrainTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(new() { ["Dialogue:SubmissionsPerMinute"] = "1000" });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    /// <summary>Two camps of 20 that agree within and disagree across on 10 statements.</summary>
    private async Task<(string Id, string[] CampA, string[] CampB, string[] Statements)> TwoCamps(int statementsVoted = 10)
    {
        var id = ConsultationIds.New();
        await _silo.Grains.GetGrain<IConsultationGrain>(id).Create(new CreateConsultation("Tata ruang", "", ConsultationMode.Deliberation, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        var author = _silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New());
        var statements = new List<string>();
        for (var s = 0; s < 12; s++)
        {
            statements.Add((await author.Submit(id, $"s{s}", $"Pernyataan nomor {s} tentang tata ruang kota")).ItemId);
        }

        var campA = Enumerable.Range(0, 20).Select(_ => CitizenIds.New()).ToArray();
        var campB = Enumerable.Range(0, 20).Select(_ => CitizenIds.New()).ToArray();
        await Task.WhenAll(campA.Select(c => Vote(c, +1)).Concat(campB.Select(c => Vote(c, -1))));
        return (id, campA, campB, [.. statements]);

        async Task Vote(string citizen, int sign)
        {
            var grain = _silo.Grains.GetGrain<ICitizenGrain>(citizen);
            for (var s = 0; s < statementsVoted; s++)
            {
                // Even statements split the camps; odd ones everyone agrees with.
                await grain.Vote(id, statements[s], s % 2 == 0 ? sign : 1);
            }
        }
    }

    private async Task<OpinionView> Settled(string id, string? citizen, Func<OpinionView, bool> done)
    {
        var opinion = _silo.Grains.GetGrain<IOpinionGrain>(id);
        for (var i = 0; i < 100; i++)
        {
            var view = await opinion.Get(citizen);
            if (done(view))
            {
                return view;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The opinion groups did not settle within 10 s.");
    }

    [Fact]
    public async Task Two_camps_become_two_groups_with_the_splitting_statements_as_representative()
    {
        var (id, campA, campB, statements) = await TwoCamps();

        var view = await Settled(id, campA[0], v => v.ParticipantsInAnalysis == 40 && v.Groups.Count == 2);

        Assert.Equal(40, view.Participants);
        Assert.Equal([20, 20], view.Groups.Select(g => g.Members));
        var groupOfA = view.You!.GroupId;
        var groupOfB = (await _silo.Grains.GetGrain<IOpinionGrain>(id).Get(campB[0])).You!.GroupId;
        Assert.NotNull(groupOfA);
        Assert.NotEqual(groupOfA, groupOfB);
        var splitting = statements.Where((_, s) => s % 2 == 0 && s < 10).ToHashSet();
        Assert.All(view.Groups, g => Assert.Contains(g.Representative, r => splitting.Contains(r.ItemId)));

        // Statements everyone agrees with have high group-informed consensus; the splitting ones low.
        var consensus = view.Consensus.ToDictionary(c => c.ItemId, c => c.Consensus);
        Assert.True(consensus[statements[1]] > 0.8);
        Assert.True(consensus[statements[0]] < 0.1);
        Assert.Contains(statements[1], view.CommonGroundAgreed);
    }

    [Fact]
    public async Task Next_statement_is_one_the_participant_has_not_voted_on()
    {
        var (id, campA, _, statements) = await TwoCamps(statementsVoted: 10);
        await Settled(id, null, v => v.ParticipantsInAnalysis == 40);

        var next = await _silo.Grains.GetGrain<IOpinionGrain>(id).NextStatement(campA[0]);

        Assert.Contains(next, new[] { statements[10], statements[11] });
    }

    [Fact]
    public async Task A_rejected_statement_leaves_the_analysis()
    {
        var (id, _, _, statements) = await TwoCamps();
        await Settled(id, null, v => v.Groups.Count == 2);
        await _silo.Grains.GetGrain<IConsultationGrain>(id).Moderate(
            new ModerationCommand(ModerationActions.Reject, [statements[11]], new Actor("Ana", ViewerRole.Moderator)) { Reason = "off_topic" });

        var next = await _silo.Grains.GetGrain<IOpinionGrain>(id).NextStatement(CitizenIds.New());
        for (var i = 0; i < 50 && next == statements[11]; i++)
        {
            next = await _silo.Grains.GetGrain<IOpinionGrain>(id).NextStatement(CitizenIds.New());
        }

        Assert.NotEqual(statements[11], next);
    }

    [Fact]
    public async Task Groups_are_pushed_to_gateways_and_rebuilt_after_a_restart()
    {
        var (id, campA, _, _) = await TwoCamps();
        var observer = new PushedViews<OpinionView>(batch => batch.Opinion, "opinion summary");
        await _silo.Grains.GetGrain<IConsultationGrain>(id).Subscribe(_silo.Grains.CreateObjectReference<IConsultationObserver>(observer));
        await _silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Vote(id, "i1", 1);

        var pushed = await observer.WaitFor(v => v.Groups.Count == 2, TimeSpan.FromSeconds(10));
        Assert.Null(pushed.You);
        Assert.NotEmpty(pushed.Map);

        var before = await Settled(id, campA[0], v => v.ParticipantsInAnalysis == 40);
        await _silo.StopHostAsync();
        await _silo.StartHostAsync();
        var after = await Settled(id, campA[0], v => v.ParticipantsInAnalysis == 40);
        Assert.Equal(before.Groups.Select(g => g.Members).Order(), after.Groups.Select(g => g.Members).Order());
        Assert.Equal(41, after.Participants);
    }
}
