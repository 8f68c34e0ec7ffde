using System.Globalization;
using OpenGov.Dialogue.Analysis.Grouping;
using OpenGov.Dialogue.Analysis.Topics;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Topics;

/// <summary>
/// The topic analysis' view of a consultation, without Orleans: which published items are in the
/// analysis with their text, tags and votes; whether the groups or the tagger's examples are out of
/// date; and the officials' view built from the last grouping and suggestions. Not thread-safe:
/// the grain owns it and hands only copies to background work.
/// </summary>
public sealed class TopicBoard
{
    /// <summary>Below this many published items, grouping says "too few" instead of making groups up.</summary>
    public const int MinItems = 20;

    /// <summary>The typical items the grouper picks per group; the view tops up with the most voted.</summary>
    public const int Representatives = 5;

    private readonly Dictionary<string, Item> _items = new(StringComparer.Ordinal);

    // Inputs at or below the snapshot's sequence number are already in it.
    private long _floorSeq;
    private long _groupedVersion;

    public int Count { get; private set; }

    /// <summary>Counts changes that matter to the groups: items coming, going or changing text.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>Items came, went or changed text since the last grouping.</summary>
    public bool GroupsDirty => Version != _groupedVersion;

    /// <summary>A tag changed, or a tagged item came, went or changed text, since the tagger last got its examples.</summary>
    public bool TagsDirty { get; private set; }

    public ConcernGrouping? Grouping { get; private set; }

    public IReadOnlyDictionary<string, TopicPrediction> Suggestions { get; private set; } = new Dictionary<string, TopicPrediction>();

    public DateTimeOffset? ComputedAt { get; private set; }

    public void Load(TopicSnapshot snapshot)
    {
        foreach (var input in snapshot.Items)
        {
            Apply(input);
        }

        _floorSeq = Math.Max(_floorSeq, snapshot.LastSeq);
        Version++;
    }

    public void Apply(TopicInput input)
    {
        if (input.Seq <= _floorSeq)
        {
            return;
        }

        _items.TryGetValue(input.ItemId, out var item);
        if (input.Text is null)
        {
            // Votes move often and alone: they never make the groups stale.
            if (item is not null && input.Seq > item.VoteSeq)
            {
                item.Votes = input.Votes;
                item.VoteSeq = input.Seq;
            }

            return;
        }

        if (item is not null && input.Seq <= item.Seq)
        {
            return;
        }

        var tags = input.Tags ?? [];
        if (item is null)
        {
            item = new Item(input.ItemId, Number(input.ItemId));
            _items.Add(item.Id, item);
        }

        var wasIn = item.InAnalysis;
        var textChanged = item.Text != input.Text;
        var tagsChanged = !item.Tags.SequenceEqual(tags, StringComparer.Ordinal);
        if (wasIn != input.InAnalysis || (input.InAnalysis && textChanged))
        {
            Version++;
        }

        if ((wasIn || input.InAnalysis) && (tags.Count > 0 || item.Tags.Count > 0) && (wasIn != input.InAnalysis || textChanged || tagsChanged))
        {
            TagsDirty = true;
        }

        Count += (input.InAnalysis ? 1 : 0) - (wasIn ? 1 : 0);
        item.InAnalysis = input.InAnalysis;
        item.Text = input.Text;
        item.Tags = [.. tags];
        item.Seq = input.Seq;
        if (input.Seq > item.VoteSeq)
        {
            item.Votes = input.Votes;
            item.VoteSeq = input.Seq;
        }
    }

    /// <summary>The texts to group, in submission order (the grouper is deterministic for a given order).</summary>
    public IReadOnlyList<CommentText> Comments() =>
        [.. InAnalysis().Select(i => new CommentText(i.Id, i.Text))];

    /// <summary>One example per moderator's tag on an item in the analysis.</summary>
    public IReadOnlyList<LabelledText> TrainingExamples() =>
        [.. InAnalysis().SelectMany(i => i.Tags.Select(tag => new LabelledText(i.Text, tag)))];

    public IReadOnlyList<CommentText> Untagged() =>
        [.. InAnalysis().Where(i => i.Tags.Count == 0).Select(i => new CommentText(i.Id, i.Text))];

    public void TagsTaken() => TagsDirty = false;

    /// <summary>
    /// Takes a background run's results. <paramref name="groupedVersion"/> is the <see cref="Version"/>
    /// the run grouped (null when it did not group); changes since then keep the groups dirty. A null
    /// <paramref name="grouping"/> keeps the previous one (too few items): it stays the seed that keeps ids stable.
    /// </summary>
    public void Computed(long? groupedVersion, ConcernGrouping? grouping, IReadOnlyDictionary<string, TopicPrediction>? suggestions, DateTimeOffset at)
    {
        if (groupedVersion is { } version)
        {
            _groupedVersion = version;
            Grouping = grouping ?? Grouping;
        }

        if (suggestions is not null)
        {
            Suggestions = suggestions;
        }

        ComputedAt = at;
    }

    /// <summary>
    /// The number of groups for <paramref name="items"/> comments: about √(n/2), 3 for a small room, 12 at most
    /// (more would not fit on a dashboard). Grows slowly so that a few new comments rarely change it.
    /// </summary>
    public static int GroupCount(int items) => Math.Clamp((int)Math.Sqrt(items / 2.0), 2, 12);

    /// <summary>The officials' view: sizes, votes and members counted now, over the last grouping.</summary>
    public TopicsView View(string consultationId, int itemsPerGroup, bool taggerReady)
    {
        var inAnalysis = InAnalysis().ToList();
        var votes = inAnalysis.Sum(i => i.Votes);
        var status = Count < MinItems ? TopicsStatus.TooFewItems
            : Grouping is null || ComputedAt is null ? TopicsStatus.Computing
            : TopicsStatus.Grouped;
        var groups = status == TopicsStatus.Grouped ? Groups(inAnalysis, votes, itemsPerGroup) : [];
        return new TopicsView(consultationId, status, Count, votes, MinItems, groups, TagCounts(inAnalysis), inAnalysis.Count(i => i.Tags.Count == 0), taggerReady, ComputedAt);
    }

    private List<TopicGroupView> Groups(List<Item> inAnalysis, int totalVotes, int itemsPerGroup)
    {
        var grouping = Grouping!;
        var members = new Dictionary<int, List<Item>>();
        foreach (var item in inAnalysis)
        {
            if (grouping.Assignments.TryGetValue(item.Id, out var group))
            {
                if (!members.TryGetValue(group, out var list))
                {
                    members[group] = list = [];
                }

                list.Add(item);
            }
        }

        var views = new List<TopicGroupView>();
        foreach (var group in grouping.Groups)
        {
            if (!members.TryGetValue(group.GroupId, out var list))
            {
                continue;
            }

            // Typical items first, then the most voted of the rest.
            var typical = group.RepresentativeIds.Select(id => _items[id]).Where(i => i.InAnalysis);
            var top = typical.Concat(list.OrderByDescending(i => i.Votes).ThenBy(i => i.Number))
                .DistinctBy(i => i.Id)
                .Take(itemsPerGroup)
                .Select(ItemView)
                .ToList();
            var groupVotes = list.Sum(i => i.Votes);
            views.Add(new TopicGroupView(group.GroupId, group.DistinctiveTerms, list.Count, groupVotes, totalVotes == 0 ? 0 : groupVotes / (double)totalVotes, top));
        }

        return [.. views.OrderByDescending(v => v.Size).ThenBy(v => v.Id)];
    }

    private TopicItemView ItemView(Item item) =>
        new(item.Id, item.Text, item.Votes, item.Tags, item.Tags.Count == 0 && Suggestions.TryGetValue(item.Id, out var s) ? Suggestion(s) : null);

    private static TopicSuggestion Suggestion(TopicPrediction p) => new(p.Topic, Math.Round(p.Confidence, 3), p.IsUnsure);

    private List<TagCountView> TagCounts(List<Item> inAnalysis)
    {
        var counts = new Dictionary<string, (int Tagged, int Suggested, int Unsure)>(StringComparer.Ordinal);
        foreach (var item in inAnalysis)
        {
            foreach (var tag in item.Tags)
            {
                var c = counts.GetValueOrDefault(tag);
                counts[tag] = c with { Tagged = c.Tagged + 1 };
            }

            if (item.Tags.Count == 0 && Suggestions.TryGetValue(item.Id, out var s))
            {
                var c = counts.GetValueOrDefault(s.Topic);
                counts[s.Topic] = s.IsUnsure ? c with { Unsure = c.Unsure + 1 } : c with { Suggested = c.Suggested + 1 };
            }
        }

        return [.. counts
            .Select(c => new TagCountView(c.Key, c.Value.Tagged, c.Value.Suggested, c.Value.Unsure))
            .OrderByDescending(c => c.Tagged + c.Suggested).ThenBy(c => c.Tag, StringComparer.Ordinal)];
    }

    private IEnumerable<Item> InAnalysis() => _items.Values.Where(i => i.InAnalysis).OrderBy(i => i.Number).ThenBy(i => i.Id, StringComparer.Ordinal);

    private static long Number(string itemId) =>
        itemId.StartsWith('i') && long.TryParse(itemId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;

    private sealed class Item(string id, long number)
    {
        public string Id { get; } = id;

        public long Number { get; } = number;

        public string Text { get; set; } = string.Empty;

        public IReadOnlyList<string> Tags { get; set; } = [];

        public bool InAnalysis { get; set; }

        public int Votes { get; set; }

        public long Seq { get; set; }

        public long VoteSeq { get; set; }
    }
}
