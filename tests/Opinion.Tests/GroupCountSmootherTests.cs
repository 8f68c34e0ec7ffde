namespace OpenGov.Dialogue.Opinion.Tests;

[Trait("Category", "unit")]
public sealed class GroupCountSmootherTests
{
    [Fact]
    public void First_recomputation_adopts_its_best_k()
    {
        Assert.Equal(3, GroupCountSmoother.Initial.Next(3, buffer: 4).SmoothedK);
    }

    [Fact]
    public void A_new_k_is_adopted_only_after_winning_buffer_times_in_a_row()
    {
        var smoother = GroupCountSmoother.Initial.Next(2, buffer: 4);
        var seen = new List<int>();
        foreach (var best in new[] { 3, 3, 3, 3 })
        {
            smoother = smoother.Next(best, buffer: 4);
            seen.Add(smoother.SmoothedK);
        }

        Assert.Equal([2, 2, 2, 3], seen);
    }

    [Fact]
    public void An_interrupted_run_starts_counting_again()
    {
        var smoother = GroupCountSmoother.Initial.Next(2, buffer: 3);
        foreach (var best in new[] { 4, 4, 5, 4, 4 })
        {
            smoother = smoother.Next(best, buffer: 3);
        }

        Assert.Equal(2, smoother.SmoothedK);
        Assert.Equal(4, smoother.Next(4, buffer: 3).SmoothedK);
    }
}
