using System.Globalization;
using System.Runtime.InteropServices;
using OpenGov.Dialogue.Analysis.Briefs;
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

    /// <summary>The trend window: a group's growth is its items posted in the last this many minutes.</summary>
    public static readonly TimeSpan TrendWindow = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, Item> _items = new(StringComparer.Ordinal);

    // One copy of each word for the items' token lists.
    private readonly Dictionary<string, string> _words = new(StringComparer.Ordinal);

    // Items placed into the last grouping's groups since it was made (new, or with a new text).
    private readonly Dictionary<string, int> _placed = new(StringComparer.Ordinal);
    private ConcernPlacer? _placer;

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

    /// <summary>Counts changes that may want a suggestion: an item came into the analysis, changed its text or its tags.</summary>
    public long SuggestionInputs { get; private set; }

    /// <summary>The tagger's suggestion per untagged item, for the text it was made for.</summary>
    public IReadOnlyDictionary<string, TopicPrediction> Suggestions => _suggestions;

    private readonly Dictionary<string, TopicPrediction> _suggestions = new(StringComparer.Ordinal);

    // Where the suggestions come from: a new suggester replaces them all, so they share one source.
    private string _suggestionSource = TopicSuggestionSources.Model;

    // The extractive brief of each group of the last grouping, made with it.
    private IReadOnlyDictionary<int, IReadOnlyList<ExtractedSentence>> _briefs = new Dictionary<int, IReadOnlyList<ExtractedSentence>>();

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
        if (input.InAnalysis && (!wasIn || textChanged))
        {
            // Words are read once per text, so placing the item again after a regrouping is only lookups.
            item.Tokens = [.. ConcernPlacer.Tokenize(input.Text).Select(Word)];
            item.ChangedAt = Version;
            if (_placer is not null)
            {
                _placed[item.Id] = _placer.Place(item.Tokens);
            }
        }

        if (textChanged)
        {
            // A suggestion belongs to the text it was made for.
            _suggestions.Remove(item.Id);
        }

        if (input.InAnalysis && (!wasIn || textChanged || tagsChanged))
        {
            SuggestionInputs++;
        }

        item.InAnalysis = input.InAnalysis;
        item.Text = input.Text;
        item.CreatedAt = input.CreatedAt ?? item.CreatedAt;
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

    /// <summary>
    /// At most <paramref name="max"/> texts to group, in submission order; the other items are placed into
    /// the groups the sample makes. Below the bound, every item. Above it: a quarter the most voted (what the
    /// room cares about; ties go to the newer), half the newest of the rest (new concerns in a live hall get
    /// their own group), and the remaining quarter spread evenly over the older rest (early concerns keep a
    /// say). Deterministic for a given board.
    /// </summary>
    public IReadOnlyList<CommentText> Sample(int max) => Sample(Snapshot(), max);

    /// <summary>
    /// The items in the analysis as they are now, for work off the grain's thread (<see cref="Sample(IReadOnlyList{BoardItem}, int)"/>,
    /// <see cref="Outside(IReadOnlyList{BoardItem}, IReadOnlyList{CommentText})"/>): texts and word lists are never changed in place.
    /// </summary>
    public IReadOnlyList<BoardItem> Snapshot() =>
        [.. _items.Values.Where(i => i.InAnalysis).Select(i => new BoardItem(i.Id, i.Number, i.Text, i.Tokens, i.Votes))];



    /// <inheritdoc cref="Sample(int)"/>
    public static IReadOnlyList<CommentText> Sample(IReadOnlyList<BoardItem> snapshot, int max)
    {
        var all = InOrder(snapshot);
        if (all.Count <= max)
        {
            return [.. all.Select(i => new CommentText(i.Id, i.Text))];
        }

        var chosen = new bool[all.Count];
        foreach (var index in Enumerable.Range(0, all.Count).OrderByDescending(i => all[i].Votes).ThenByDescending(i => i).Take(max / 4))
        {
            chosen[index] = true;
        }

        var taken = max / 4;
        for (var i = all.Count - 1; i >= 0 && taken < max / 4 + max / 2; i--)
        {
            if (!chosen[i])
            {
                chosen[i] = true;
                taken++;
            }
        }

        foreach (var index in Spread(Enumerable.Range(0, all.Count).Where(i => !chosen[i]).ToList(), max - taken))
        {
            chosen[index] = true;
        }

        return [.. all.Where((_, i) => chosen[i]).Select(i => new CommentText(i.Id, i.Text))];
    }

    /// <summary>The items in the analysis that are not in <paramref name="sample"/>, with their words, to place.</summary>
    public IReadOnlyList<WordsOfItem> Outside(IReadOnlyList<CommentText> sample) => Outside(Snapshot(), sample);

    /// <inheritdoc cref="Outside(IReadOnlyList{CommentText})"/>
    public static IReadOnlyList<WordsOfItem> Outside(IReadOnlyList<BoardItem> snapshot, IReadOnlyList<CommentText> sample)
    {
        var inSample = sample.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return [.. InOrder(snapshot).Where(i => !inSample.Contains(i.Id)).Select(i => new WordsOfItem(i.Id, i.Tokens))];
    }

    /// <summary><paramref name="count"/> of <paramref name="items"/> spread evenly over their order (all of them when they fit).</summary>
    public static IEnumerable<T> Spread<T>(IReadOnlyList<T> items, int count)
    {
        if (items.Count <= count)
        {
            return items;
        }

        var stride = items.Count / (double)count;
        return Enumerable.Range(0, count).Select(j => items[(int)(j * stride)]);
    }

    private static List<BoardItem> InOrder(IReadOnlyList<BoardItem> snapshot) =>
        [.. snapshot.OrderBy(i => i.Number).ThenBy(i => i.Id, StringComparer.Ordinal)];

    /// <summary>One example per moderator's tag on an item in the analysis.</summary>
    public IReadOnlyList<LabelledText> TrainingExamples() =>
        [.. InAnalysis().SelectMany(i => i.Tags.Select(tag => new LabelledText(i.Text, tag)))];

    /// <summary>Untagged items in the analysis: all of them, or only those without a suggestion yet (new or edited).</summary>
    public IReadOnlyList<CommentText> Untagged(bool onlyUnsuggested = false) =>
        [.. InAnalysis().Where(i => i.Tags.Count == 0 && !string.IsNullOrWhiteSpace(i.Text) && !(onlyUnsuggested && _suggestions.ContainsKey(i.Id))).Select(i => new CommentText(i.Id, i.Text))];

    public void TagsTaken() => TagsDirty = false;

    /// <summary>
    /// Takes a background run's results. <paramref name="groupedVersion"/> is the <see cref="Version"/>
    /// the run grouped (null when it did not group); changes since then keep the groups dirty. A null
    /// <paramref name="grouping"/> keeps the previous one (too few items): it stays the seed that keeps ids stable.
    /// <paramref name="placer"/> puts items that came or changed since the run into its groups, now and as they arrive.
    /// <paramref name="suggestions"/> are the tagger's answers for the texts in <paramref name="suggestedFor"/>; with
    /// <paramref name="newModel"/> they replace every earlier suggestion, otherwise they add to them. An answer
    /// for a text that has changed since is dropped (the next run asks again). <paramref name="source"/> says where
    /// suggestions come from (taken with a new suggester); <paramref name="briefs"/> are the new grouping's briefs.
    /// </summary>
    public void Computed(
        long? groupedVersion,
        ConcernGrouping? grouping,
        ConcernPlacer? placer,
        IReadOnlyList<CommentText>? suggestedFor,
        IReadOnlyDictionary<string, TopicPrediction>? suggestions,
        bool newModel,
        DateTimeOffset at,
        string source = TopicSuggestionSources.Model,
        IReadOnlyDictionary<int, IReadOnlyList<ExtractedSentence>>? briefs = null)
    {
        if (groupedVersion is { } version)
        {
            _groupedVersion = version;
            if (grouping is not null)
            {
                Grouping = grouping;
                _briefs = briefs ?? new Dictionary<int, IReadOnlyList<ExtractedSentence>>();
                _placer = placer;
                _placed.Clear();
                foreach (var item in _items.Values)
                {
                    if (placer is not null && item.InAnalysis && (item.ChangedAt > version || !grouping.Assignments.ContainsKey(item.Id)))
                    {
                        _placed[item.Id] = placer.Place(item.Tokens);
                    }
                }
            }
        }

        if (suggestions is not null && suggestedFor is not null)
        {
            if (newModel)
            {
                _suggestions.Clear();
                _suggestionSource = source;
            }

            foreach (var asked in suggestedFor)
            {
                if (suggestions.TryGetValue(asked.Id, out var prediction) && _items.TryGetValue(asked.Id, out var item) && item.Text == asked.Text)
                {
                    _suggestions[asked.Id] = prediction;
                }
            }
        }

        ComputedAt = at;
    }

    /// <summary>
    /// The number of groups for <paramref name="items"/> comments: about √(n/2), 3 for a small room, 12 at most
    /// (more would not fit on a dashboard). Grows slowly so that a few new comments rarely change it.
    /// </summary>
    public static int GroupCount(int items) => Math.Clamp((int)Math.Sqrt(items / 2.0), 2, 12);

    /// <summary>
    /// The officials' view: sizes, votes, members and growth (items posted after <paramref name="now"/> minus
    /// <see cref="TrendWindow"/>) counted now, over the last grouping. Once the consultation's own tagger is
    /// ready, suggestions of the default taxonomy still held are left out (the tagger's replace them within a tick).
    /// </summary>
    public TopicsView View(string consultationId, int itemsPerGroup, bool taggerReady, DateTimeOffset? now = null)
    {
        var inAnalysis = InAnalysis().ToList();
        var votes = inAnalysis.Sum(i => i.Votes);
        var status = Count < MinItems ? TopicsStatus.TooFewItems
            : Grouping is null || ComputedAt is null ? TopicsStatus.Computing
            : TopicsStatus.Grouped;
        var since = (now ?? DateTimeOffset.MaxValue) - TrendWindow;
        var showSuggestions = !(taggerReady && _suggestionSource == TopicSuggestionSources.Default);
        var groups = status == TopicsStatus.Grouped ? Groups(inAnalysis, votes, itemsPerGroup, since, showSuggestions) : [];
        return new TopicsView(consultationId, status, Count, votes, MinItems, groups, TagCounts(inAnalysis, showSuggestions), inAnalysis.Count(i => i.Tags.Count == 0), taggerReady, ComputedAt, Grouping?.Groups.Sum(g => g.Size) ?? 0)
        {
            RecentMinutes = (int)TrendWindow.TotalMinutes,
            Recent = inAnalysis.Count(i => i.CreatedAt > since),
            At = now,
        };
    }

    /// <summary>Each item in the analysis with its group (placed since the grouping, or grouped by it), over the last grouping.</summary>
    public TopicAssignments Assignments()
    {
        if (Grouping is not { } grouping || Count < MinItems)
        {
            return TopicAssignments.None;
        }

        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in InAnalysis())
        {
            if (_placed.TryGetValue(item.Id, out var group) || grouping.Assignments.TryGetValue(item.Id, out group))
            {
                items[item.Id] = group;
            }
        }

        return new TopicAssignments(items, [.. grouping.Groups.Select(g => new TopicGroupTerms(g.GroupId, g.DistinctiveTerms))]);
    }

    private bool HasSuggestion(Item item, bool showSuggestions, out TopicPrediction prediction)
    {
        prediction = null!;
        return item.Tags.Count == 0 && showSuggestions && _suggestions.TryGetValue(item.Id, out prediction!);
    }

    private List<TopicGroupView> Groups(List<Item> inAnalysis, int totalVotes, int itemsPerGroup, DateTimeOffset since, bool showSuggestions)
    {
        var grouping = Grouping!;
        var members = new Dictionary<int, List<Item>>();
        foreach (var item in inAnalysis)
        {
            if (_placed.TryGetValue(item.Id, out var group) || grouping.Assignments.TryGetValue(item.Id, out group))
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
                .Select(i => ItemView(i, showSuggestions))
                .ToList();
            var groupVotes = list.Sum(i => i.Votes);
            views.Add(new TopicGroupView(group.GroupId, group.DistinctiveTerms, list.Count, groupVotes, totalVotes == 0 ? 0 : groupVotes / (double)totalVotes, top)
            {
                Recent = list.Count(i => i.CreatedAt > since),
                Brief = _briefs.TryGetValue(group.GroupId, out var brief) ? [.. brief.Where(StillQuotable).Select(Sentence)] : [],
            });
        }

        return [.. views.OrderByDescending(v => v.Size).ThenBy(v => v.Id)];
    }

    private TopicItemView ItemView(Item item, bool showSuggestions) =>
        new(item.Id, item.Text, item.Votes, item.Tags, HasSuggestion(item, showSuggestions, out var s) ? Suggestion(s) : null);

    private TopicSuggestion Suggestion(TopicPrediction p) => new(p.Topic, Math.Round(p.Confidence, 3), p.IsUnsure, _suggestionSource);

    /// <summary>
    /// A sentence is quoted only while its post is in the analysis with the same text: a post hidden, rejected,
    /// erased by its author or edited since the grouping takes its sentence out of the brief at once.
    /// </summary>
    private bool StillQuotable(ExtractedSentence draft) =>
        _items.TryGetValue(draft.SourceId, out var source) && source.InAnalysis && source.Text.Contains(draft.Text, StringComparison.Ordinal);

    /// <summary>A brief sentence with the votes its posts carry now (posts that left the analysis since are dropped).</summary>
    private BriefSentence Sentence(ExtractedSentence draft)
    {
        var ids = draft.ItemIds.Where(id => _items.TryGetValue(id, out var i) && i.InAnalysis).ToList();
        return new BriefSentence(draft.Text, draft.SourceId, ids, ids.Sum(id => _items[id].Votes));
    }

    private List<TagCountView> TagCounts(List<Item> inAnalysis, bool showSuggestions)
    {
        var counts = new Dictionary<string, (int Tagged, int Suggested, int Unsure)>(StringComparer.Ordinal);
        foreach (var item in inAnalysis)
        {
            foreach (var tag in item.Tags)
            {
                var c = counts.GetValueOrDefault(tag);
                counts[tag] = c with { Tagged = c.Tagged + 1 };
            }

            if (HasSuggestion(item, showSuggestions, out var s))
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

    private string Word(string word)
    {
        ref var kept = ref CollectionsMarshal.GetValueRefOrAddDefault(_words, word, out var exists);
        if (!exists)
        {
            kept = word;
        }

        return kept!;
    }

    private static long Number(string itemId) =>
        itemId.StartsWith('i') && long.TryParse(itemId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;

    /// <summary>Item ids in submission order: <c>i2</c> before <c>i10</c>; other ids after, in ordinal order.</summary>
    public static readonly IComparer<string> SubmissionOrder = Comparer<string>.Create((x, y) =>
    {
        var byNumber = Number(x!).CompareTo(Number(y!));
        return byNumber != 0 ? byNumber : string.CompareOrdinal(x, y);
    });

    private sealed class Item(string id, long number)
    {
        public string Id { get; } = id;

        public long Number { get; } = number;

        public string Text { get; set; } = string.Empty;

        public IReadOnlyList<string> Tags { get; set; } = [];

        public string[] Tokens { get; set; } = [];

        /// <summary>The board's <see cref="Version"/> when the item last came into the analysis or changed text.</summary>
        public long ChangedAt { get; set; }

        public bool InAnalysis { get; set; }

        public int Votes { get; set; }

        /// <summary>When the item was posted (null from an older input without it: never counted as recent).</summary>
        public DateTimeOffset? CreatedAt { get; set; }

        public long Seq { get; set; }

        public long VoteSeq { get; set; }
    }
}

/// <summary>One item of the analysis at the time of a <see cref="TopicBoard.Snapshot"/>.</summary>
public sealed record BoardItem(string Id, long Number, string Text, IReadOnlyList<string> Tokens, int Votes);

/// <summary>An item's id and the words it is placed by.</summary>
public sealed record WordsOfItem(string Id, IReadOnlyList<string> Words);
