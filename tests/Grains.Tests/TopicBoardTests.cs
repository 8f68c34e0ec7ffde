using OpenGov.Dialogue.Consultations.Topics;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>The topic analysis' bookkeeping, without a silo.</summary>
public sealed class TopicBoardTests
{
    private static TopicInput Full(string id, long seq, string text, params string[] tags) => new(id, seq, true, text, tags, 0);

    private static TopicBoard Grouped(params TopicInput[] inputs)
    {
        var board = new TopicBoard();
        foreach (var input in inputs)
        {
            board.Apply(input);
        }

        board.Computed(board.Version, null, null, DateTimeOffset.UnixEpoch);
        return board;
    }

    [Fact]
    public void Votes_alone_never_make_the_groups_stale()
    {
        var board = Grouped(Full("i1", 1, "jalan rusak"));

        board.Apply(new TopicInput("i1", 2, true, null, null, 5));

        Assert.False(board.GroupsDirty);
        Assert.False(board.TagsDirty);
        Assert.Equal(5, board.View("c", 3, false).Votes);
    }

    [Fact]
    public void A_new_tag_retrains_the_tagger_but_does_not_regroup()
    {
        var board = Grouped(Full("i1", 1, "jalan rusak"));

        board.Apply(Full("i1", 2, "jalan rusak", "jalan"));

        Assert.False(board.GroupsDirty);
        Assert.True(board.TagsDirty);
        Assert.Equal([new Analysis.Topics.LabelledText("jalan rusak", "jalan")], board.TrainingExamples());
    }

    [Fact]
    public void An_item_that_leaves_regroups_and_takes_its_tags_out_of_training()
    {
        var board = Grouped(Full("i1", 1, "jalan rusak", "jalan"), Full("i2", 2, "sampah"));
        board.TagsTaken();

        board.Apply(new TopicInput("i1", 3, false, string.Empty, [], 0));

        Assert.True(board.GroupsDirty);
        Assert.True(board.TagsDirty);
        Assert.Equal(1, board.Count);
        Assert.Empty(board.TrainingExamples());
        Assert.Equal(["i2"], board.Comments().Select(c => c.Id));
    }

    [Fact]
    public void Older_changes_arriving_late_are_ignored()
    {
        var board = new TopicBoard();
        board.Load(new TopicSnapshot(10, [Full("i1", 10, "jalan rusak")]));

        board.Apply(Full("i2", 9, "already in the snapshot, or gone since"));
        board.Apply(new TopicInput("i1", 12, false, string.Empty, [], 0));
        board.Apply(Full("i1", 11, "an edit before it was rejected"));

        Assert.Equal(0, board.Count);
    }

    [Fact]
    public void Changes_during_a_grouping_keep_the_groups_stale()
    {
        var board = new TopicBoard();
        board.Apply(Full("i1", 1, "jalan rusak"));
        var running = board.Version;

        board.Apply(Full("i2", 2, "sampah menumpuk"));
        board.Computed(running, null, null, DateTimeOffset.UnixEpoch);

        Assert.True(board.GroupsDirty);
    }

    [Theory]
    [InlineData(20, 3)]
    [InlineData(31, 3)]
    [InlineData(32, 4)]
    [InlineData(200, 10)]
    [InlineData(100_000, 12)]
    public void The_number_of_groups_grows_slowly_with_the_items(int items, int groups) =>
        Assert.Equal(groups, TopicBoard.GroupCount(items));
}
