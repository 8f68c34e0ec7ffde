using Orleans.Concurrency;

namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// Who acts: the display name and role from the staff account (or the single sign-on token), and the
/// account's id. Actors from before accounts existed have no id and are known by name alone.
/// </summary>
[GenerateSerializer, Alias("dialogue.actor")]
public sealed record Actor([property: Id(0)] string Name, [property: Id(1)] ViewerRole Role)
{
    /// <summary>The staff account ("s…"), single sign-on subject ("oidc:…") or admin-key session ("key:…").</summary>
    [Id(2)] public string? AccountId { get; init; }

    /// <summary>What tells two actors apart (claims are held by it): the account id, else the name.</summary>
    public string Key => AccountId ?? Name;
}

/// <summary>The moderation actions, as they appear in requests and in the public log.</summary>
public static class ModerationActions
{
    public const string Claim = "claim";
    public const string Release = "release";
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Edit = "edit";
    public const string Merge = "merge";
    public const string Tag = "tag";
    public const string Pin = "pin";
    public const string Unpin = "unpin";
    public const string Highlight = "highlight";
    public const string Unhighlight = "unhighlight";
    public const string MarkAnswered = "mark-answered";
    public const string Archive = "archive";

    /// <summary>Logged only: written through their own commands.</summary>
    public const string Answer = "answer";
    public const string Sanction = "sanction";
    public const string Appeal = "appeal";

    public static readonly IReadOnlySet<string> Bulk = new HashSet<string>(StringComparer.Ordinal)
    {
        Claim, Release, Approve, Reject, Edit, Merge, Tag, Pin, Unpin, Highlight, Unhighlight, MarkAnswered, Archive,
    };
}

/// <summary>Why an item was rejected; public in the moderation log.</summary>
public static class RejectionReasons
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "spam", "abuse", "duplicate", "off_topic", "multiple_ideas", "personal_data", "other",
    };
}

/// <summary>One action on one or more items (at most 50). Fields beyond the action are used by the actions that need them.</summary>
[GenerateSerializer, Alias("dialogue.moderation-command")]
public sealed record ModerationCommand(
    [property: Id(0)] string Action,
    [property: Id(1)] IReadOnlyList<string> ItemIds,
    [property: Id(2)] Actor Actor)
{
    [Id(3)] public string? Reason { get; init; }

    [Id(4)] public string? Note { get; init; }

    [Id(5)] public string? Text { get; init; }

    [Id(6)] public string? TargetId { get; init; }

    [Id(7)] public IReadOnlyList<string>? Tags { get; init; }

    [Id(8)] public int? LeaseSeconds { get; init; }
}

[GenerateSerializer, Immutable, Alias("dialogue.item-outcome")]
public sealed record ItemOutcome(
    [property: Id(0)] string ItemId,
    [property: Id(1)] bool Ok,
    [property: Id(2)] string? Error,
    [property: Id(3)] long Seq);

[GenerateSerializer, Immutable, Alias("dialogue.moderation-result")]
public sealed record ModerationResult([property: Id(0)] IReadOnlyList<ItemOutcome> Items);

/// <summary>
/// A burst of near-identical texts from different citizens within minutes: a label for moderators, not a
/// verdict. It never reaches participants, officials' views or the public record.
/// </summary>
/// <param name="Id">The cluster ("c17"); stable while the grain lives, recomputed from the journal on activation.</param>
/// <param name="Citizens">Distinct citizens who posted into it.</param>
/// <param name="Items">Its items, repeats included.</param>
[GenerateSerializer, Immutable, Alias("dialogue.campaign-label")]
public sealed record CampaignLabel(
    [property: Id(0)] string Id,
    [property: Id(1)] int Citizens,
    [property: Id(2)] int Items,
    [property: Id(3)] DateTimeOffset FirstAt,
    [property: Id(4)] DateTimeOffset LastAt);

/// <summary>A campaign-like cluster and its items that still wait for review.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.campaign-view")]
public sealed record CampaignView(
    [property: Id(0)] CampaignLabel Label,
    [property: Id(1)] IReadOnlyList<string> PendingItemIds);

/// <summary>One decision (approve, or reject with a reason) on every item of a campaign cluster that waits for review.</summary>
[GenerateSerializer, Alias("dialogue.campaign-decision")]
public sealed record CampaignDecision(
    [property: Id(0)] string ClusterId,
    [property: Id(1)] string Action,
    [property: Id(2)] Actor Actor)
{
    [Id(3)] public string? Reason { get; init; }

    [Id(4)] public string? Note { get; init; }
}

/// <summary>
/// What a group decision did: one outcome per item of the cluster. Items already decided (by anyone) are
/// untouched and reported as <c>not-pending</c>; items another moderator holds are reported as <c>claimed</c>.
/// </summary>
/// <param name="Remaining">Pending items left for another request (a decision takes at most 500 at a time).</param>
[GenerateSerializer, Immutable, Alias("dialogue.campaign-decision-result")]
public sealed record CampaignDecisionResult(
    [property: Id(0)] CampaignLabel Campaign,
    [property: Id(1)] IReadOnlyList<ItemOutcome> Items,
    [property: Id(2)] int Remaining);

[GenerateSerializer, Alias("dialogue.answer-command")]
public sealed record AnswerCommand(
    [property: Id(0)] string ItemId,
    [property: Id(1)] string Text,
    [property: Id(2)] AnswerStatus? Status,
    [property: Id(3)] string? Owner,
    [property: Id(4)] DateOnly? Due,
    [property: Id(5)] Actor Actor);

public enum SanctionKind
{
    /// <summary>May read and vote, may not submit.</summary>
    Mute = 0,

    /// <summary>May read only.</summary>
    Ban = 1,
}

[GenerateSerializer, Alias("dialogue.sanction-command")]
public sealed record SanctionCommand(
    [property: Id(0)] string ItemId,
    [property: Id(1)] SanctionKind Kind,
    [property: Id(2)] string Reason,
    [property: Id(3)] int? Minutes,
    [property: Id(4)] Actor Actor);

[GenerateSerializer, Alias("dialogue.sanction")]
public sealed record Sanction(
    [property: Id(0)] SanctionKind Kind,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset? Until);

/// <summary>One entry of the public moderation log: pseudonyms only, no texts; hash-chained.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.log-entry")]
public sealed record ModerationLogEntry(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Action,
    [property: Id(3)] string? ItemId,
    [property: Id(4)] string? Pseudonym,
    [property: Id(5)] string? Reason,
    [property: Id(6)] string? TargetId,
    [property: Id(7)] string By,
    [property: Id(8)] bool Appealed,
    [property: Id(9)] string PrevHash,
    [property: Id(10)] string Hash)
{
    /// <summary>The acting staff account's id (<see cref="Actor.AccountId"/>); null in entries from before accounts and for citizens' appeals.</summary>
    [Id(11)] public string? ByAccount { get; init; }
}

[GenerateSerializer, Immutable, Alias("dialogue.log-page")]
public sealed record ModerationLogPage(
    [property: Id(0)] IReadOnlyList<ModerationLogEntry> Entries,
    [property: Id(1)] IReadOnlyDictionary<string, int> Counts,
    [property: Id(2)] long LastSeq);

[GenerateSerializer, Alias("dialogue.log-verification")]
public sealed record LogVerification(
    [property: Id(0)] bool Valid,
    [property: Id(1)] int Entries,
    [property: Id(2)] long? BrokenAtSeq,
    [property: Id(3)] string? Problem)
{
    /// <summary>The consultation's last sequence number when the stored rows were read.</summary>
    [Id(4)] public long UpToSeq { get; init; }

    /// <summary>When the stored rows were read (anonymous readers may get a result up to half a minute old at the same sequence number).</summary>
    [Id(5)] public DateTimeOffset VerifiedAt { get; init; }
}

public enum RankingSort
{
    Popular = 0,
    Recent = 1,
    Trending = 2,
}

/// <summary>A message kept for a citizen until read ("your question was answered").</summary>
[GenerateSerializer, Immutable, Alias("dialogue.notification")]
public sealed record Notification(
    [property: Id(0)] string Id,
    [property: Id(1)] string ConsultationId,
    [property: Id(2)] string ItemId,
    [property: Id(3)] string Kind,
    [property: Id(4)] string? Detail,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] bool Read);

[GenerateSerializer, Immutable, Alias("dialogue.notification-delivery")]
public sealed record NotificationDelivery(
    [property: Id(0)] IReadOnlyList<string> CitizenIds,
    [property: Id(1)] Notification Notification);
