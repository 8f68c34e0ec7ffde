namespace OpenGov.Dialogue.Opinion.Tests;

[Trait("Category", "unit")]
public sealed class StatisticsTests
{
    [Fact]
    public void Consensus_is_the_product_of_smoothed_agree_rates()
    {
        StatementTally[] groups = [new(Agrees: 3, Disagrees: 1, Passes: 0), new(Agrees: 1, Disagrees: 2, Passes: 1)];

        // (3 + 1) / (4 + 2) × (1 + 1) / (4 + 2) = 4/6 × 2/6
        Assert.Equal(8.0 / 36.0, GroupInformedConsensus.Score(groups), 12);
    }

    [Fact]
    public void Consensus_of_an_unseen_statement_is_one_half_per_group()
    {
        Assert.Equal(0.125, GroupInformedConsensus.Score([default, default, default]), 12);
    }

    [Fact]
    public void One_proportion_test_matches_the_formula()
    {
        // 9 agrees of 10 with +1 pseudo-counts: 2·√11·(10/11 − 0.5)
        Assert.Equal(2 * Math.Sqrt(11) * ((10.0 / 11) - 0.5), ProportionTests.OneProportion(9, 10), 12);
        Assert.True(ProportionTests.OneProportion(5, 10) < ProportionTests.Significant90);
    }

    [Fact]
    public void Two_proportion_test_is_positive_when_the_group_agrees_more_than_the_rest()
    {
        Assert.True(ProportionTests.TwoProportion(18, 2, 20, 20) > ProportionTests.Significant90);
        Assert.True(ProportionTests.TwoProportion(2, 18, 20, 20) < 0);
        Assert.Equal(0, ProportionTests.TwoProportion(10, 10, 10, 10), 12);
    }

    [Fact]
    public void Repness_leans_agree_when_the_group_agrees_and_the_rest_does_not()
    {
        var score = Representativeness.Score(7, group: new(18, 1, 1), rest: new(3, 17, 0));

        Assert.Equal(Leaning.Agree, score.Leaning);
        Assert.True(score.Significant);
        Assert.Equal(19.0 / 22.0, score.Probability, 12);
        Assert.True(score.Ratio > 4);
    }

    [Fact]
    public void Repness_leans_disagree_when_the_group_rejects_what_the_rest_accepts()
    {
        var score = Representativeness.Score(7, group: new(1, 18, 1), rest: new(17, 3, 0));

        Assert.Equal(Leaning.Disagree, score.Leaning);
        Assert.True(score.Significant);
    }

    [Fact]
    public void Repness_of_a_statement_everyone_treats_alike_is_not_significant()
    {
        Assert.False(Representativeness.Score(7, group: new(10, 10, 0), rest: new(10, 10, 0)).Significant);
    }

    [Fact]
    public void Selection_orders_by_strength_and_puts_agreements_first()
    {
        RepresentativeStatement[] scored =
        [
            Representativeness.Score(1, new(12, 2, 0), new(5, 9, 0)),
            Representativeness.Score(2, new(19, 0, 1), new(2, 18, 0)),
            Representativeness.Score(3, new(0, 19, 1), new(18, 2, 0)),
            Representativeness.Score(4, new(10, 10, 0), new(10, 10, 0)),
        ];

        var selected = Representativeness.Select(scored, limit: 5).Select(s => s.StatementId).ToList();

        Assert.Equal([2, 1, 3], selected);
    }

    [Fact]
    public void Selection_still_shows_one_statement_when_none_is_significant()
    {
        RepresentativeStatement[] scored =
        [
            Representativeness.Score(1, new(3, 2, 0), new(2, 3, 0)),
            Representativeness.Score(2, new(2, 2, 0), new(2, 2, 0)),
        ];

        Assert.Equal([1L], Representativeness.Select(scored, limit: 5).Select(s => s.StatementId));
    }

    [Fact]
    public void Priority_favours_few_votes_and_divisive_statements()
    {
        var fresh = StatementPicker.Priority(new(1, 1, 0), extremity: 1);
        var worn = StatementPicker.Priority(new(50, 50, 0), extremity: 1);
        var divisive = StatementPicker.Priority(new(50, 50, 0), extremity: 3);
        var passed = StatementPicker.Priority(new(5, 5, 90), extremity: 1);

        Assert.True(fresh > worn);
        Assert.True(divisive > worn);
        Assert.True(passed < worn);
    }

    [Fact]
    public void Common_ground_lists_what_most_agree_with_and_what_most_reject()
    {
        (long, StatementTally)[] statements =
        [
            (1, new(40, 5, 5)),
            (2, new(5, 40, 5)),
            (3, new(25, 25, 0)),
            (4, new(45, 1, 4)),
        ];

        var common = CommonGround.Select(statements, limit: 5);

        Assert.Equal([4L, 1L], common.Agreed.Select(s => s.StatementId));
        Assert.Equal([2L], common.Rejected.Select(s => s.StatementId));
    }
}
