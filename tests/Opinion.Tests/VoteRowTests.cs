namespace OpenGov.Dialogue.Opinion.Tests;

[Trait("Category", "unit")]
public sealed class VoteRowTests
{
    [Fact]
    public void A_row_lists_votes_in_the_order_first_cast_and_a_changed_vote_keeps_its_place()
    {
        var matrix = new VoteMatrix();
        matrix.Apply(1, 30, 1);
        matrix.Apply(1, 10, -1);
        matrix.Apply(1, 20, 0);
        var (_, _, previous) = matrix.Apply(1, 30, -1);

        Assert.Equal((sbyte)1, previous);
        var row = matrix.Row(0);
        Assert.Equal(3, row.Count);
        Assert.Equal([(0, (sbyte)-1), (1, (sbyte)-1), (2, (sbyte)0)], Listed(row));
        Assert.True(row.TryGetValue(2, out var pass));
        Assert.Equal(0, pass);
        Assert.True(row.ContainsKey(1));
        Assert.False(row.TryGetValue(3, out _));
        Assert.Equal(new StatementTally(0, 1, 0), matrix.Tally(0));
    }

    [Fact]
    public void A_long_row_finds_every_column()
    {
        var matrix = new VoteMatrix();
        for (var statement = 999; statement >= 0; statement--)
        {
            matrix.Apply(7, statement, (sbyte)(statement % 3 - 1));
        }

        var row = matrix.Row(0);
        Assert.Equal(1000, row.Count);
        for (var column = 0; column < 1000; column++)
        {
            Assert.True(row.TryGetValue(column, out var vote));
            Assert.Equal((sbyte)((999 - column) % 3 - 1), vote);
        }
    }

    [Fact]
    public void A_row_built_from_pairs_keeps_their_order()
    {
        var row = VoteRow.Of([new(5, 1), new(2, -1), new(5, 0)]);

        Assert.Equal([(5, (sbyte)0), (2, (sbyte)-1)], Listed(row));
    }

    private static List<(int Column, sbyte Vote)> Listed(VoteRow row)
    {
        var list = new List<(int, sbyte)>();
        foreach (var vote in row)
        {
            list.Add(vote);
        }

        return list;
    }
}
