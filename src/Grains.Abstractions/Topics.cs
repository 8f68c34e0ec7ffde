using Orleans.Concurrency;

namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// What the topic analysis needs to know about one item after a change. <see cref="Text"/> is null
/// when only the votes moved (text and tags unchanged); <see cref="InAnalysis"/> is false once the
/// item is hidden, rejected, merged or archived.
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.topic-input")]
public sealed record TopicInput(
    [property: Id(0)] string ItemId,
    [property: Id(1)] long Seq,
    [property: Id(2)] bool InAnalysis,
    [property: Id(3)] string? Text,
    [property: Id(4)] IReadOnlyList<string>? Tags,
    [property: Id(5)] int Votes,
    [property: Id(6)] DateTimeOffset? CreatedAt = null);

/// <summary>Every published item of a consultation as of <see cref="LastSeq"/>: how the topic analysis rebuilds itself.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.topic-snapshot")]
public sealed record TopicSnapshot(
    [property: Id(0)] long LastSeq,
    [property: Id(1)] IReadOnlyList<TopicInput> Items);

public enum TopicsStatus
{
    /// <summary>The first computation after activation has not finished yet.</summary>
    Computing = 0,

    /// <summary>Fewer published items than grouping needs: no groups, only the tag counts.</summary>
    TooFewItems = 1,

    Grouped = 2,
}

/// <summary>
/// Citizens' concerns grouped by topic, for officials and moderators. Group ids stay the same across
/// recomputations while a group keeps most of its members. Sizes, votes and shares are counted when
/// the view is built; the grouping itself is recomputed in the background.
/// </summary>
/// <param name="Items">Published items in the analysis.</param>
/// <param name="Votes">All votes cast on those items (upvotes, or agree + disagree + pass).</param>
/// <param name="MinItems">How many published items grouping needs.</param>
/// <param name="Untagged">Items without a moderator's tag.</param>
/// <param name="TaggerReady">A topic model trained from moderators' tags exists (it needs two tags at least).</param>
/// <param name="Grouped">Items the last regrouping grouped (a bounded sample of a large consultation); every other item was placed into the nearest group.</param>
[GenerateSerializer, Immutable, Alias("dialogue.topics-view")]
public sealed record TopicsView(
    [property: Id(0)] string ConsultationId,
    [property: Id(1)] TopicsStatus Status,
    [property: Id(2)] int Items,
    [property: Id(3)] int Votes,
    [property: Id(4)] int MinItems,
    [property: Id(5)] IReadOnlyList<TopicGroupView> Groups,
    [property: Id(6)] IReadOnlyList<TagCountView> Tags,
    [property: Id(7)] int Untagged,
    [property: Id(8)] bool TaggerReady,
    [property: Id(9)] DateTimeOffset? ComputedAt,
    [property: Id(10)] int Grouped)
{
    [Id(11)] public int RecentMinutes { get; init; } = 10;

    /// <summary>Items posted in the last <see cref="RecentMinutes"/> minutes (the trend window).</summary>
    [Id(12)] public int Recent { get; init; }

    /// <summary>When this view was built: the trend counts are as of then.</summary>
    [Id(13)] public DateTimeOffset? At { get; init; }
}

/// <param name="Terms">Distinctive words of the group, most distinctive first: its label.</param>
/// <param name="VoteShare">The group's votes over all votes (0 when nobody voted yet).</param>
/// <param name="Items">The most typical items of the group, most typical first.</param>
[GenerateSerializer, Immutable, Alias("dialogue.topic-group")]
public sealed record TopicGroupView(
    [property: Id(0)] int Id,
    [property: Id(1)] IReadOnlyList<string> Terms,
    [property: Id(2)] int Size,
    [property: Id(3)] int Votes,
    [property: Id(4)] double VoteShare,
    [property: Id(5)] IReadOnlyList<TopicItemView> Items)
{
    /// <summary>The group's items posted in the trend window (<see cref="TopicsView.RecentMinutes"/>): its growth.</summary>
    [Id(6)] public int Recent { get; init; }

    /// <summary>Sentences taken verbatim from the group's posts, each with the posts it stands for (empty until grouped).</summary>
    [Id(7)] public IReadOnlyList<BriefSentence> Brief { get; init; } = [];
}

/// <summary>
/// One sentence of an extractive brief, quoted verbatim from post <see cref="SourceItemId"/>; it stands for
/// the posts in <see cref="ItemIds"/> (those of its group nearest to it), which carry <see cref="Votes"/> votes.
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.brief-sentence")]
public sealed record BriefSentence(
    [property: Id(0)] string Text,
    [property: Id(1)] string SourceItemId,
    [property: Id(2)] IReadOnlyList<string> ItemIds,
    [property: Id(3)] int Votes);

/// <param name="Suggested">The tagger's topic for an untagged item, or null (tagged, or no model yet).</param>
[GenerateSerializer, Immutable, Alias("dialogue.topic-item")]
public sealed record TopicItemView(
    [property: Id(0)] string ItemId,
    [property: Id(1)] string Text,
    [property: Id(2)] int Votes,
    [property: Id(3)] IReadOnlyList<string> Tags,
    [property: Id(4)] TopicSuggestion? Suggested);

/// <param name="Unsure">Confidence is below the tagger's threshold: a guess to check, not a tag.</param>
/// <param name="Source"><c>model</c>: the tagger trained on this consultation's tags; <c>default</c>: the team's default
/// starting taxonomy (infrastruktur, kesehatan, pendidikan, …), used until moderators have tagged two topics.</param>
[GenerateSerializer, Immutable, Alias("dialogue.topic-suggestion")]
public sealed record TopicSuggestion(
    [property: Id(0)] string Topic,
    [property: Id(1)] double Confidence,
    [property: Id(2)] bool Unsure,
    [property: Id(3)] string Source = TopicSuggestionSources.Model);

public static class TopicSuggestionSources
{
    public const string Model = "model";
    public const string Default = "default";
}

/// <param name="Tagged">Items a moderator gave this tag.</param>
/// <param name="Suggested">Untagged items the tagger puts here with confidence.</param>
/// <param name="Unsure">Untagged items whose best guess is this tag, below the confidence threshold.</param>
[GenerateSerializer, Immutable, Alias("dialogue.tag-count")]
public sealed record TagCountView(
    [property: Id(0)] string Tag,
    [property: Id(1)] int Tagged,
    [property: Id(2)] int Suggested,
    [property: Id(3)] int Unsure);

/// <summary>
/// The topic analysis of one consultation (same key): published items, tags and hides arrive
/// one-way from the consultation grain; concern groups are recomputed in the background and the
/// topic tagger retrains from moderators' tags. Rebuilt from the consultation on activation.
/// </summary>
[Alias("dialogue.topics")]
public interface ITopicsGrain : IGrainWithStringKey
{
    [OneWay, Alias("apply")]
    Task Apply(IReadOnlyList<TopicInput> inputs);

    /// <param name="itemsPerGroup">How many typical items each group carries (1–20).</param>
    [Alias("get")]
    Task<TopicsView> Get(int itemsPerGroup);

    /// <summary>The topic groups' view is pushed to staff and officials after each regrouping; this sends one now (a test hook and a resync).</summary>
    [Alias("push")]
    Task Push();

    /// <summary>Every item in the analysis with its topic group, over the last grouping (for the segment breakdown).</summary>
    [Alias("assignments")]
    Task<TopicAssignments> GetAssignments();
}

/// <summary>Item → topic group for every grouped or placed item, and each group's distinctive words; empty before the first grouping.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.topic-assignments")]
public sealed record TopicAssignments(
    [property: Id(0)] IReadOnlyDictionary<string, int> ItemGroups,
    [property: Id(1)] IReadOnlyList<TopicGroupTerms> Groups)
{
    public static TopicAssignments None { get; } = new(new Dictionary<string, int>(), []);
}

[GenerateSerializer, Immutable, Alias("dialogue.topic-group-terms")]
public sealed record TopicGroupTerms([property: Id(0)] int GroupId, [property: Id(1)] IReadOnlyList<string> Terms);
