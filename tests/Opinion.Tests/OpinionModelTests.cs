namespace OpenGov.Dialogue.Opinion.Tests;

[Trait("Category", "unit")]
public sealed class OpinionModelTests
{
    [Fact]
    public void Two_camps_become_two_groups_with_every_member_in_their_camp()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 40, statements: 20);
        model.Recompute();
        var snapshot = model.Snapshot();

        Assert.Equal(2, snapshot.Groups.Count);
        var camps = new List<int>();
        var groups = new List<int>();
        for (var c = 0; c < 2; c++)
        {
            for (var p = 0; p < 40; p++)
            {
                camps.Add(c);
                groups.Add(snapshot.Participant(SyntheticConversation.ParticipantId(c, p, 40))!.GroupId!.Value);
            }
        }

        Assert.Equal(1, AdjustedRandIndex.Compute(camps, groups), 9);
    }

    [Fact]
    public void Participants_enter_the_analysis_at_the_seventh_vote()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 20, statements: 10);
        for (var s = 0; s < 6; s++)
        {
            model.ApplyVote(999, s, 1);
        }

        model.Recompute();
        Assert.False(model.Snapshot().Participant(999)!.InAnalysis);
        Assert.Null(model.Snapshot().Participant(999)!.GroupId);
        Assert.NotNull(model.Snapshot().Participant(999)!.ClosestGroupId);

        model.ApplyVote(999, 6, 1);
        Assert.True(model.Snapshot().Participant(999)!.InAnalysis);
        Assert.NotNull(model.Snapshot().Participant(999)!.GroupId);
    }

    [Fact]
    public void Consensus_ranks_common_ground_above_divisive_statements()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 30, statements: 10);
        for (var p = 0; p < 60; p++)
        {
            model.ApplyVote(p, 100, 1);
        }

        model.Recompute();
        var consensus = model.Snapshot().Consensus.ToDictionary(c => c.StatementId);

        Assert.True(consensus[100].Consensus > 0.8);
        Assert.True(consensus[0].Consensus < 0.2);
        var groupSizes = model.Snapshot().Groups.Select(g => g.MemberCount).ToList();
        var expected = groupSizes.Aggregate(1.0, (product, n) => product * (n + 1.0) / (n + 2.0));
        Assert.Equal(expected, consensus[100].Consensus, 12);
    }

    [Fact]
    public void Each_group_is_represented_by_the_statements_it_agrees_with_and_the_other_rejects()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 30, statements: 10, noise: 0.05);
        model.Recompute();
        var snapshot = model.Snapshot();

        foreach (var group in snapshot.Groups)
        {
            var member = snapshot.Participants.First(p => p.GroupId == group.Id);
            var camp = (int)(member.ParticipantId / 30);
            var top = group.Representative[0];
            Assert.True(top.Significant);
            var campAgrees = (top.StatementId + camp) % 2 == 0;
            Assert.Equal(campAgrees ? Leaning.Agree : Leaning.Disagree, top.Leaning);
        }
    }

    [Fact]
    public void Incremental_votes_match_a_full_rebuild_on_the_same_map()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 25, statements: 12);
        model.Recompute();
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            model.ApplyVote(random.Next(60), random.Next(14), (sbyte)(random.Next(3) - 1));
        }

        var live = model.Snapshot();
        var rebuilt = OpinionModel.FromState(model.ExportState()).Snapshot();

        foreach (var participant in live.Participants)
        {
            var fresh = rebuilt.Participant(participant.ParticipantId)!;
            Assert.Equal(fresh.Position.X, participant.Position.X, 12);
            Assert.Equal(fresh.Position.Y, participant.Position.Y, 12);
            Assert.Equal(fresh.GroupId, participant.GroupId);
        }

        Assert.Equal(rebuilt.Consensus.Select(c => (c.StatementId, c.Consensus)), live.Consensus.Select(c => (c.StatementId, c.Consensus)));
        Assert.Equal(rebuilt.Groups.Select(g => g.MemberCount), live.Groups.Select(g => g.MemberCount));
    }

    [Fact]
    public void A_participants_live_position_is_the_projection_of_their_votes()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 20, statements: 10);
        model.Recompute();
        model.ApplyVote(5, 3, 0);
        model.ApplyVote(5, 4, -1);

        model.Matrix.TryGetParticipant(5, out var row);
        var expected = model.Basis.Project(model.Matrix.Row(row));
        Assert.Equal(expected, model.Snapshot().Participant(5)!.Position);
    }

    [Fact]
    public void Group_ids_survive_recomputation()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 30, statements: 12);
        model.Recompute();
        var before = model.Snapshot();
        var random = new Random(11);
        for (var p = 0; p < 10; p++)
        {
            for (var s = 0; s < 12; s++)
            {
                model.ApplyVote(1000 + p, s, SyntheticConversation.Vote(p % 2, s, random, 0.1));
            }
        }

        model.Recompute();
        var after = model.Snapshot();

        for (var p = 0; p < 60; p++)
        {
            Assert.Equal(before.Participant(p)!.GroupId, after.Participant(p)!.GroupId);
        }
    }

    [Fact]
    public void Group_count_holds_until_the_new_count_wins_four_recomputations()
    {
        // Three camps that each agree with their own block of four statements and reject the rest.
        var model = new OpinionModel(new OpinionOptions { GroupCountBuffer = 4 });
        var random = new Random(5);
        void AddCamp(int camp, int people)
        {
            for (var p = 0; p < people; p++)
            {
                for (var s = 0; s < 12; s++)
                {
                    var agree = s / 4 == camp;
                    var noisy = random.NextDouble() < 0.05;
                    model.ApplyVote((camp * 1000) + p, s, agree != noisy ? (sbyte)1 : (sbyte)-1);
                }
            }
        }

        AddCamp(0, 30);
        AddCamp(1, 30);
        model.Recompute();
        Assert.Equal(2, model.Snapshot().Groups.Count);

        // The third camp arrives: silhouette now prefers 3, but the screen keeps 2 groups for three more runs.
        AddCamp(2, 30);
        var counts = new List<int>();
        for (var run = 0; run < 4; run++)
        {
            model.Recompute();
            counts.Add(model.Snapshot().Groups.Count);
        }

        Assert.Equal([2, 2, 2, 3], counts);
    }

    [Fact]
    public void Moderated_out_statements_are_neither_shown_nor_counted_in_consensus()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 10, statements: 8);
        model.SetModeratedOut(3, moderatedOut: true);
        model.Recompute();

        Assert.DoesNotContain(model.Snapshot().Consensus, c => c.StatementId == 3);
        Assert.All(model.Snapshot().Groups, g => Assert.DoesNotContain(g.Representative, r => r.StatementId == 3));
    }

    [Fact]
    public void Next_statement_is_one_the_participant_has_not_seen_and_not_moderated_out()
    {
        var model = SyntheticConversation.Camps(camps: 2, perCamp: 10, statements: 8);
        model.SetModeratedOut(6, moderatedOut: true);
        model.Recompute();
        for (var s = 0; s < 4; s++)
        {
            model.ApplyVote(77, s, 1);
        }

        var random = new Random(1);
        var picks = Enumerable.Range(0, 50).Select(_ => model.NextStatement(77, random)).ToHashSet();

        Assert.Subset(new HashSet<long?> { 4, 5, 7 }, picks);
        model.ApplyVote(77, 4, 1);
        model.ApplyVote(77, 5, 1);
        model.ApplyVote(77, 7, 1);
        Assert.Null(model.NextStatement(77, random));
    }

    [Fact]
    public void Exported_state_restores_the_same_snapshot()
    {
        var model = SyntheticConversation.Camps(camps: 3, perCamp: 20, statements: 12);
        model.SetModeratedOut(2, moderatedOut: true);
        model.Recompute();
        model.ApplyVote(3, 0, -1);

        var restored = OpinionModel.FromState(model.ExportState());
        var original = model.Snapshot();
        var copy = restored.Snapshot();

        Assert.Equal(original.Version, copy.Version);
        Assert.Equal(original.Groups.Select(g => (g.Id, g.MemberCount)), copy.Groups.Select(g => (g.Id, g.MemberCount)));
        Assert.Equal(original.Participants, copy.Participants);

        // The restored model carries on: the next recomputation keeps the same groups.
        restored.Recompute();
        Assert.Equal(original.Groups.Select(g => g.Id), restored.Snapshot().Groups.Select(g => g.Id));
    }

    [Fact]
    public void An_empty_or_tiny_conversation_recomputes_to_no_groups()
    {
        var model = new OpinionModel();
        model.Recompute();
        Assert.Empty(model.Snapshot().Groups);

        model.ApplyVote(1, 1, 1);
        model.Recompute();
        Assert.Empty(model.Snapshot().Groups);
        Assert.True(model.Snapshot().Participant(1)!.InAnalysis);
    }

    [Fact]
    public void A_vote_outside_agree_pass_disagree_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpinionModel().ApplyVote(1, 1, 2));
    }
}
