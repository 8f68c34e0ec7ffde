namespace OpenGov.Dialogue.Opinion.Tests;

[Trait("Category", "unit")]
public sealed class SparsePcaTests
{
    [Fact]
    public void First_component_follows_the_statements_that_split_the_room()
    {
        // Half agree with 0 and disagree with 1, the other half the reverse; statement 2 is agreed by all.
        var matrix = new VoteMatrix();
        for (var p = 0; p < 10; p++)
        {
            var side = p < 5 ? (sbyte)1 : (sbyte)-1;
            matrix.Apply(p, 0, side);
            matrix.Apply(p, 1, (sbyte)-side);
            matrix.Apply(p, 2, 1);
        }

        var basis = SparsePca.Compute(matrix, previous: null, maxIterations: 100);

        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(basis.Component1[0]), 6);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(basis.Component1[1]), 6);
        Assert.Equal(-Math.Sign(basis.Component1[0]), Math.Sign(basis.Component1[1]));
        Assert.Equal(0, basis.Component1[2], 9);
        Assert.Equal(new[] { 0.0, 0.0, 1.0 }, basis.Center);
    }

    [Fact]
    public void Second_component_is_orthogonal_to_the_first()
    {
        var model = SyntheticConversation.Camps(camps: 3, perCamp: 20, statements: 12, noise: 0.3);
        var basis = SparsePca.Compute(model.Matrix, previous: null, maxIterations: 100);

        var dot = basis.Component1.Zip(basis.Component2, (a, b) => a * b).Sum();
        Assert.Equal(0, dot, 9);
        Assert.Equal(1, Math.Sqrt(basis.Component2.Sum(v => v * v)), 9);
    }

    [Fact]
    public void Missing_votes_count_as_the_statement_mean_so_they_do_not_move_the_centre()
    {
        var matrix = new VoteMatrix();
        matrix.Apply(1, 0, 1);
        matrix.Apply(1, 1, 1);
        matrix.Apply(2, 0, -1);
        matrix.Apply(2, 1, -1);
        matrix.Apply(3, 0, 1);

        var basis = SparsePca.Compute(matrix, previous: null, maxIterations: 100);

        Assert.Equal(1 / 3.0, basis.Center[0], 9);
        Assert.Equal(0, basis.Center[1], 9);
    }

    [Fact]
    public void Sparse_voters_are_scaled_out_by_the_root_of_statements_over_votes()
    {
        var basis = new PcaBasis([true, true, true, true], [0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], CountedColumns: 4, ModeratedOutColumns: 0);
        var oneVote = VoteRow.Of(new Dictionary<int, sbyte> { [0] = 1 });
        var allVotes = VoteRow.Of(new Dictionary<int, sbyte> { [0] = 1, [1] = 0, [2] = 1, [3] = -1 });

        Assert.Equal(new Point2(2, 0), basis.Project(oneVote));
        Assert.Equal(new Point2(1, 0), basis.Project(allVotes));
    }

    [Fact]
    public void Moderated_out_statements_take_no_part_in_the_map_but_count_as_seen_as_in_Polis()
    {
        var matrix = new VoteMatrix();
        for (var p = 0; p < 6; p++)
        {
            matrix.Apply(p, 0, p < 3 ? (sbyte)1 : (sbyte)-1);
            matrix.Apply(p, 1, p % 2 == 0 ? (sbyte)1 : (sbyte)-1);
        }

        matrix.SetModeratedOut(1, moderatedOut: true);
        var basis = SparsePca.Compute(matrix, previous: null, maxIterations: 100);

        Assert.False(basis.Active[1]);
        Assert.Equal(0, basis.Component1[1]);
        Assert.Equal(2, basis.CountedColumns);
        Assert.Equal(1, basis.ModeratedOutColumns);

        // One vote on statement 0 plus the zeroed moderated column: scale sqrt(2 / 2) = 1.
        var projected = basis.Project(VoteRow.Of(new Dictionary<int, sbyte> { [0] = 1 }));
        Assert.Equal(Math.Abs(basis.Component1[0]), Math.Abs(projected.X), 9);
    }
}
