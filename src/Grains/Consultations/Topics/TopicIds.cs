using OpenGov.Dialogue.Analysis.Grouping;

namespace OpenGov.Dialogue.Consultations.Topics;

/// <summary>
/// What the topics grain stores so that group ids survive its reactivation: the next fresh id, and per
/// group a bounded set of its members. That is all the grouper reads from a previous grouping (warm-start
/// centroids and id matching by shared members); labels, sizes and the rest are rebuilt from the journal.
/// </summary>
[GenerateSerializer, Alias("dialogue.topic-ids-state")]
public sealed class TopicIdsState
{
    [Id(0)] public int NextGroupId { get; set; } = 1;

    [Id(1)] public List<StoredTopicGroup> Groups { get; set; } = [];
}

/// <summary>One group's id and up to <see cref="TopicIds.MembersPerGroup"/> of its item ids.</summary>
[GenerateSerializer, Alias("dialogue.stored-topic-group")]
public sealed class StoredTopicGroup
{
    [Id(0)] public int Id { get; set; }

    [Id(1)] public List<string> Members { get; set; } = [];
}

/// <summary>Turns a grouping into the stored ids and back into the seed of the next regrouping, without Orleans.</summary>
public static class TopicIds
{
    /// <summary>
    /// A regrouping sees at most 3,000 sampled items in at most 12 groups, about 250 a group: 150 keeps every
    /// member of a group in most consultations and plenty for a centroid and a plurality of shared members in
    /// the largest, while the stored row stays small (12 × 150 ids, under 20 KB of JSON).
    /// </summary>
    public const int MembersPerGroup = 150;

    /// <summary>
    /// Each group's typical items first, then members of the grouped <paramref name="sample"/> (an unchanged
    /// board samples the same items again, so they are the ones the next regrouping sees), then placed items;
    /// each kind spread evenly over submission order when there are more than fit.
    /// </summary>
    public static TopicIdsState Keep(ConcernGrouping grouping, IReadOnlyList<CommentText> sample, int perGroup = MembersPerGroup)
    {
        var sampled = new Dictionary<int, List<string>>();
        var inSample = new HashSet<string>(StringComparer.Ordinal);
        foreach (var comment in sample)
        {
            if (grouping.Assignments.TryGetValue(comment.Id, out var group))
            {
                Add(sampled, group, comment.Id);
                inSample.Add(comment.Id);
            }
        }

        var placed = new Dictionary<int, List<string>>();
        foreach (var (item, group) in grouping.Assignments.OrderBy(a => a.Key, TopicBoard.SubmissionOrder))
        {
            if (!inSample.Contains(item))
            {
                Add(placed, group, item);
            }
        }

        var state = new TopicIdsState { NextGroupId = grouping.NextGroupId };
        foreach (var group in grouping.Groups.OrderBy(g => g.GroupId))
        {
            var members = group.RepresentativeIds.Distinct(StringComparer.Ordinal).Take(perGroup).ToList();
            foreach (var kind in new[] { sampled, placed })
            {
                var rest = kind.GetValueOrDefault(group.GroupId)?.Except(members, StringComparer.Ordinal).ToList() ?? [];
                members.AddRange(TopicBoard.Spread(rest, perGroup - members.Count));
            }

            state.Groups.Add(new StoredTopicGroup { Id = group.GroupId, Members = members });
        }

        return state;
    }

    /// <summary>The previous grouping as the grouper reads it: members and the next id; no labels, so never shown.</summary>
    public static ConcernGrouping Seed(TopicIdsState state)
    {
        var assignments = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in state.Groups)
        {
            foreach (var item in group.Members)
            {
                assignments.TryAdd(item, group.Id);
            }
        }

        return new ConcernGrouping([], assignments, state.NextGroupId);
    }

    public static bool Same(TopicIdsState a, TopicIdsState b) =>
        a.NextGroupId == b.NextGroupId
        && a.Groups.Count == b.Groups.Count
        && a.Groups.Zip(b.Groups).All(p => p.First.Id == p.Second.Id && p.First.Members.SequenceEqual(p.Second.Members, StringComparer.Ordinal));

    private static void Add(Dictionary<int, List<string>> lists, int group, string item)
    {
        if (!lists.TryGetValue(group, out var list))
        {
            lists[group] = list = [];
        }

        list.Add(item);
    }
}
