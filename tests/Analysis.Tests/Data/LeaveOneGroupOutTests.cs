using OpenGov.Dialogue.Analysis.Data;

namespace OpenGov.Dialogue.Analysis.Tests.Data;

[Trait("Category", "unit")]
public sealed class LeaveOneGroupOutTests
{
    [Fact]
    public void Each_group_is_one_fold_numbered_in_order_of_first_appearance()
    {
        string[] conversations = ["seattle", "austria", "seattle", "vtaiwan", "austria", "austria"];
        var folds = LeaveOneGroupOut.Assign(conversations);
        Assert.Equal([0, 1, 0, 2, 1, 1], folds);

        // Held out in turn, no group is ever on both sides.
        for (var f = 0; f < 3; f++)
        {
            var test = conversations.Where((_, i) => folds[i] == f).Distinct().ToList();
            var train = conversations.Where((_, i) => folds[i] != f).Distinct().ToList();
            Assert.Single(test);
            Assert.DoesNotContain(test[0], train);
        }
    }

    [Fact]
    public void One_group_only_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LeaveOneGroupOut.Assign(["a", "a"]));
        Assert.Throws<ArgumentException>(() => LeaveOneGroupOut.Assign([]));
    }
}
