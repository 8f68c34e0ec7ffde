using OpenGov.Dialogue.Analysis.Grouping;
using OpenGov.Dialogue.Consultations.Topics;
using OpenGov.Dialogue.Silo;
using OpenGov.Dialogue.Storage;

namespace OpenGov.Dialogue.Tests;

/// <summary>What the topics grain stores to keep its group ids, without a silo.</summary>
[Trait("Category", "unit")]
public sealed class TopicIdsTests
{
    private static ConcernGrouping Grouping(int groups, int membersEach, int nextId, int representatives = 5)
    {
        var assignments = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = new List<ConcernGroup>();
        for (var g = 0; g < groups; g++)
        {
            var id = g + 1;
            var members = Enumerable.Range(0, membersEach).Select(m => $"i{(m * groups) + g + 1}").ToList();
            members.ForEach(m => assignments[m] = id);
            list.Add(new ConcernGroup(id, "label", [], [.. members.TakeLast(representatives)], membersEach));
        }

        return new ConcernGrouping(list, assignments, nextId);
    }

    private static List<CommentText> Texts(IEnumerable<string> ids) => [.. ids.Select(id => new CommentText(id, "text"))];

    [Fact]
    public void A_small_grouping_is_stored_whole_and_seeds_the_same_assignments()
    {
        var grouping = Grouping(3, 8, nextId: 7);

        var seed = TopicIds.Seed(TopicIds.Keep(grouping, Texts(grouping.Assignments.Keys)));

        Assert.Equal(7, seed.NextGroupId);
        Assert.Equal(grouping.Assignments.OrderBy(a => a.Key), seed.Assignments.OrderBy(a => a.Key));
        Assert.Empty(seed.Groups);
    }

    [Fact]
    public void A_large_group_keeps_its_typical_items_and_a_spread_of_the_sample_up_to_the_bound()
    {
        var grouping = Grouping(2, 1_000, nextId: 3);
        var sampled = grouping.Assignments.Keys.Where((_, i) => i % 4 == 0).ToList();

        var state = TopicIds.Keep(grouping, Texts(sampled));

        Assert.All(state.Groups, g => Assert.Equal(TopicIds.MembersPerGroup, g.Members.Count));
        Assert.All(state.Groups, g => Assert.Equal(g.Members.Count, g.Members.Distinct().Count()));
        foreach (var group in grouping.Groups)
        {
            var kept = state.Groups.Single(g => g.Id == group.GroupId).Members;
            Assert.Equal(group.RepresentativeIds, kept.Take(group.RepresentativeIds.Count));
            Assert.All(kept.Skip(group.RepresentativeIds.Count), id => Assert.Contains(id, sampled));
            Assert.All(kept, id => Assert.Equal(group.GroupId, grouping.Assignments[id]));
        }

        // Spread over submission order, not the first 150 submitted.
        var numbers = state.Groups[0].Members.Skip(5).Select(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(numbers.Max() - numbers.Min() > 1_000, "the kept members should span the group's whole history");
    }

    [Fact]
    public void Placed_items_fill_up_a_group_the_sample_barely_saw()
    {
        var grouping = Grouping(1, 200, nextId: 2, representatives: 0);
        var sampled = grouping.Assignments.Keys.Take(10).ToList();

        var kept = TopicIds.Keep(grouping, Texts(sampled)).Groups.Single().Members;

        Assert.Equal(TopicIds.MembersPerGroup, kept.Count);
        Assert.Equal(sampled.Order(), kept.Take(10).Order());
    }

    [Fact]
    public void Equal_groupings_store_the_same_and_a_new_member_or_id_differs()
    {
        var grouping = Grouping(3, 8, nextId: 4);
        var sample = Texts(grouping.Assignments.Keys);
        var stored = TopicIds.Keep(grouping, sample);

        var moved = new Dictionary<string, int>(grouping.Assignments) { ["i1"] = 2 };

        Assert.True(TopicIds.Same(stored, TopicIds.Keep(grouping, sample)));
        Assert.False(TopicIds.Same(stored, TopicIds.Keep(grouping with { NextGroupId = 5 }, sample)));
        Assert.False(TopicIds.Same(stored, TopicIds.Keep(grouping with { Assignments = moved }, sample)));
    }

    [Fact]
    public void The_stored_row_stays_under_20_KB_at_12_full_groups()
    {
        var grouping = Grouping(12, 10_000, nextId: 500);
        var state = TopicIds.Keep(grouping, Texts(grouping.Assignments.Keys));

        var bytes = new JsonGrainStorageSerializer().Serialize(state).ToArray().Length;

        Assert.Equal(12 * TopicIds.MembersPerGroup, state.Groups.Sum(g => g.Members.Count));
        Assert.InRange(bytes, 10_000, 20_000);
        var back = new JsonGrainStorageSerializer().Deserialize<TopicIdsState>(new BinaryData(new JsonGrainStorageSerializer().Serialize(state).ToArray()));
        Assert.True(TopicIds.Same(state, back));
    }
}
