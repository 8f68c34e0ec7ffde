using OpenGov.Dialogue.Analysis.Grouping;

namespace OpenGov.Dialogue.Analysis.Tests.Grouping;

[Trait("Category", "unit")]
public sealed class ConcernGrouperTests
{
    private static List<CommentText> Comments(int perTopic, int seed, string prefix = "c") =>
        SyntheticComments.Generate(perTopic, seed).Select((r, i) => new CommentText($"{prefix}{i}", r.Text)).ToList();

    private static Dictionary<string, string> TopicOf(int perTopic, int seed, string prefix = "c") =>
        SyntheticComments.Generate(perTopic, seed).Select((r, i) => (Id: $"{prefix}{i}", r.Topic)).ToDictionary(p => p.Id, p => p.Topic);

    private readonly ConcernGrouper _grouper = new(new GrouperOptions { Groups = 4, Dimensions = 10 });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Groups_comments_by_topic_with_distinctive_labels(bool coOccurrenceVectors)
    {
        var grouper = new ConcernGrouper(new GrouperOptions { Groups = 4, Dimensions = 10, CoOccurrenceVectors = coOccurrenceVectors });
        var grouping = grouper.Group(Comments(40, seed: 1));
        var topics = TopicOf(40, seed: 1);
        Assert.Equal(4, grouping.Groups.Count);
        foreach (var group in grouping.Groups)
        {
            var members = grouping.Assignments.Where(a => a.Value == group.GroupId).Select(a => topics[a.Key]).ToList();
            var purity = members.GroupBy(t => t).Max(g => g.Count()) / (double)members.Count;
            Assert.True(purity > 0.8, $"group {group.GroupId} ({group.Label}) purity {purity}");
            var majority = members.GroupBy(t => t).MaxBy(g => g.Count())!.Key;
            Assert.Contains(group.DistinctiveTerms, t => SyntheticComments.Vocabulary[majority].Contains(t));
            Assert.Equal(3, group.RepresentativeIds.Count);
            Assert.All(group.RepresentativeIds, id => Assert.Equal(group.GroupId, grouping.Assignments[id]));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Comments_outside_the_grouped_sample_are_placed_in_the_group_of_their_topic(bool coOccurrenceVectors)
    {
        var grouper = new ConcernGrouper(new GrouperOptions { Groups = 4, Dimensions = 10, CoOccurrenceVectors = coOccurrenceVectors });
        var (grouping, placer) = grouper.GroupWithPlacer(Comments(40, seed: 1));
        var topics = TopicOf(40, seed: 1);
        var groupOfTopic = grouping.Groups.ToDictionary(
            g => grouping.Assignments.Where(a => a.Value == g.GroupId).GroupBy(a => topics[a.Key]).MaxBy(t => t.Count())!.Key,
            g => g.GroupId);

        var others = SyntheticComments.Generate(25, seed: 9);
        var right = others.Count(c => placer.Place(c.Text) == groupOfTopic[c.Topic]);

        Assert.Equal(4, groupOfTopic.Count);
        Assert.True(right >= others.Count * 0.9, $"{right} of {others.Count} placed in their topic's group");
    }

    [Fact]
    public void A_comment_with_no_known_word_is_placed_in_the_largest_group()
    {
        var (grouping, placer) = _grouper.GroupWithPlacer(Comments(40, seed: 3));

        Assert.Equal(grouping.Groups[0].GroupId, placer.Place("zzz qqq"));
        Assert.Equal(grouping.Groups[0].GroupId, placer.Place(string.Empty));
    }

    [Fact]
    public void Recomputing_the_same_comments_keeps_every_group_id()
    {
        var comments = Comments(40, seed: 2);
        var first = _grouper.Group(comments);
        var second = _grouper.Group(comments, first);
        Assert.Equal(first.Assignments, second.Assignments);
        Assert.Equal(first.NextGroupId, second.NextGroupId);
    }

    [Fact]
    public void New_comments_join_existing_groups_and_ids_carry_over()
    {
        var comments = Comments(40, seed: 3);
        var first = _grouper.Group(comments);
        var more = comments.Concat(Comments(10, seed: 4, prefix: "new")).ToList();
        var second = _grouper.Group(more, first);
        var kept = comments.Count(c => second.Assignments[c.Id] == first.Assignments[c.Id]) / (double)comments.Count;
        Assert.True(kept > 0.95, $"only {kept:P0} kept their group id");
        Assert.Equal(first.Groups.Select(g => g.GroupId).Order(), second.Groups.Select(g => g.GroupId).Order());
    }

    [Fact]
    public void A_fresh_grouper_with_no_history_is_deterministic()
    {
        var comments = Comments(30, seed: 5);
        Assert.Equal(_grouper.Group(comments).Assignments, new ConcernGrouper(new GrouperOptions { Groups = 4, Dimensions = 10 }).Group(comments).Assignments);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_handful_of_unrelated_comments_still_gets_grouped(bool coOccurrenceVectors)
    {
        var grouper = new ConcernGrouper(new GrouperOptions { Groups = 10, CoOccurrenceVectors = coOccurrenceVectors });
        var grouping = grouper.Group([new CommentText("a", "jalan rusak"), new CommentText("b", "!!!"), new CommentText("c", "sekolah")]);
        Assert.Equal(3, grouping.Assignments.Count);
        Assert.InRange(grouping.Groups.Count, 1, 3);
        Assert.Equal(3, grouping.Groups.Sum(g => g.Size));
    }

    [Fact]
    public void No_comments_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => _grouper.Group([]));
        Assert.StartsWith("no comments to group", error.Message);
    }

    [Fact]
    public void Grouping_round_trips_through_json()
    {
        var grouping = _grouper.Group(Comments(20, seed: 6));
        var json = System.Text.Json.JsonSerializer.Serialize(grouping);
        var back = System.Text.Json.JsonSerializer.Deserialize<ConcernGrouping>(json)!;
        Assert.Equal(grouping.Assignments, back.Assignments);
        Assert.Equal(grouping.Groups.Select(g => g.Label), back.Groups.Select(g => g.Label));
    }
}
