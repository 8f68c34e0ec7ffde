using System.Text.Json.Serialization;
using Orleans.Concurrency;

namespace OpenGov.Dialogue.Contracts;

/// <summary>Live town-hall Q&amp;A (upvotes) or deliberation (agree / disagree / pass on statements).</summary>
public enum ConsultationMode
{
    Qa = 0,
    Deliberation = 1,
}

/// <summary>Pre-moderation holds items until a moderator approves; post-moderation publishes at once.</summary>
public enum ModerationMode
{
    Pre = 0,
    Post = 1,
}

public enum ConsultationStatus
{
    Draft = 0,
    Open = 1,
    Closed = 2,

    /// <summary>Read-only for good: the public record.</summary>
    Archived = 3,
}

/// <summary>
/// Who may find and read a consultation. Public: listed, and its export, live feed and report are open
/// to anyone. Unlisted: reachable by its code, not listed; export for staff. Private: not listed, and
/// readers need a token (participants or staff); export for staff.
/// </summary>
public enum ConsultationVisibility
{
    Public = 0,
    Unlisted = 1,
    Private = 2,
}

public enum ItemStatus
{
    Pending = 0,
    Published = 1,
    Rejected = 2,
    Answered = 3,
    Merged = 4,
    Archived = 5,
}

public enum ViewerRole
{
    Participant = 0,
    Moderator = 1,
    Official = 2,
    Admin = 3,
}

[GenerateSerializer, Alias("dialogue.create-consultation")]
public sealed record CreateConsultation(
    [property: Id(0)] string Title,
    [property: Id(1)] string Description,
    [property: Id(2)] ConsultationMode Mode,
    [property: Id(3)] ModerationMode Moderation,
    [property: Id(4)] ConsultationStatus Status,
    [property: Id(5)] string CreatedBy)
{
    [Id(6)] public ConsultationVisibility Visibility { get; init; }

    [Id(7)] public bool PublishRejected { get; init; }

    [Id(8)] public int? RetentionDays { get; init; }

    [Id(9)] public AdmissionMode Admission { get; init; }

    /// <summary>Minutes a join code is shown before the next one (code admission).</summary>
    [Id(10)] public int JoinCodeMinutes { get; init; } = ConsultationDefaults.JoinCodeMinutes;
}

public static class ConsultationDefaults
{
    public const int JoinCodeMinutes = 10;
}

[GenerateSerializer, Immutable, Alias("dialogue.consultation-info")]
public sealed record ConsultationInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Description,
    [property: Id(3)] ConsultationMode Mode,
    [property: Id(4)] ModerationMode Moderation,
    [property: Id(5)] ConsultationStatus Status,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] long LastSeq,
    [property: Id(8)] int ItemCount)
{
    [Id(9)] public ConsultationVisibility Visibility { get; init; }

    /// <summary>Whether exports and the report carry the texts of rejected items (default: no).</summary>
    [Id(10)] public bool PublishRejected { get; init; }

    /// <summary>Days after closing until identity links are destroyed; null keeps them while the consultation exists.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(11)] public int? RetentionDays { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(12)] public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When the retention job destroyed the identity links; null while they are kept.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(13)] public DateTimeOffset? AnonymisedAt { get; init; }

    /// <summary>Open (anonymous), code (join code shown in the hall) or invite (one-time codes).</summary>
    [Id(14)] public AdmissionMode Admission { get; init; }

    [Id(15)] public int JoinCodeMinutes { get; init; } = ConsultationDefaults.JoinCodeMinutes;
}

/// <summary>An admin's change to a consultation's settings; null fields stay as they are.</summary>
[GenerateSerializer, Alias("dialogue.update-consultation")]
public sealed record UpdateConsultation(
    [property: Id(0)] string? Title,
    [property: Id(1)] string? Description,
    [property: Id(2)] ConsultationStatus? Status,
    [property: Id(3)] ConsultationVisibility? Visibility,
    [property: Id(4)] bool? PublishRejected,
    [property: Id(5)] int? RetentionDays,
    [property: Id(6)] Actor Actor)
{
    /// <summary>Set to remove the retention period (keep identity links while the consultation exists).</summary>
    [Id(7)] public bool ClearRetention { get; init; }

    [Id(8)] public AdmissionMode? Admission { get; init; }

    [Id(9)] public int? JoinCodeMinutes { get; init; }
}

/// <summary>A submission as the citizen grain forwards it: the pseudonym is already resolved.</summary>
[GenerateSerializer, Alias("dialogue.submit-item")]
public sealed record SubmitItem(
    [property: Id(0)] string CitizenId,
    [property: Id(1)] string Pseudonym,
    [property: Id(2)] string ClientId,
    [property: Id(3)] string Text)
{
    /// <summary>How the author was admitted (from their token); null means an open, unbound token.</summary>
    [Id(4)] public Admission? Admission { get; init; }
}

public enum SubmitOutcome
{
    Accepted = 0,

    /// <summary>The same client id was submitted before: this is the first result again.</summary>
    Repeat = 1,
}

[GenerateSerializer, Immutable, Alias("dialogue.submit-result")]
public sealed record SubmitResult(
    [property: Id(0)] SubmitOutcome Outcome,
    [property: Id(1)] string ItemId,
    [property: Id(2)] long Seq,
    [property: Id(3)] ItemStatus Status);

[GenerateSerializer, Alias("dialogue.cast-vote")]
public sealed record CastVote(
    [property: Id(0)] string CitizenId,
    [property: Id(1)] string ItemId,
    [property: Id(2)] int Value)
{
    /// <summary>How the voter was admitted (from their token); null means an open, unbound token.</summary>
    [Id(3)] public Admission? Admission { get; init; }
}

[GenerateSerializer, Immutable, Alias("dialogue.vote-result")]
public sealed record VoteResult(
    [property: Id(0)] string ItemId,
    [property: Id(1)] int Value,
    [property: Id(2)] long Seq,
    [property: Id(3)] VoteTally Tally);

/// <summary>Vote counts of one item: upvotes in Q&amp;A, agree/disagree/pass in deliberation.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.vote-tally")]
public sealed record VoteTally(
    [property: Id(0)] int Up,
    [property: Id(1)] int Agree,
    [property: Id(2)] int Disagree,
    [property: Id(3)] int Pass)
{
    public static VoteTally Empty { get; } = new(0, 0, 0, 0);
}

public static class VoteTallies
{
    /// <summary>Every vote cast: upvotes in Q&amp;A, agree + disagree + pass in deliberation (an extension, so the wire shape stays as it is).</summary>
    public static int Total(this VoteTally tally) => tally.Up + tally.Agree + tally.Disagree + tally.Pass;
}

/// <summary>
/// What a client sees of an item. <see cref="Seq"/> is the sequence number of the item's latest
/// change, so a client keeps the newest version of each item and resumes from its highest seq.
/// Staff views carry <see cref="Review"/>; the author's own view carries the rejection reason and
/// the original text; the public view carries neither. In JSON, empty optional fields and unset
/// flags are left out (every live frame of a busy hall carries these views to every connection).
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.item-view")]
public sealed record ItemView(
    [property: Id(0)] string Id,
    [property: Id(1)] long Seq,
    [property: Id(2)] string Author,
    [property: Id(3)] string Text,
    [property: Id(4)] ItemStatus Status,
    [property: Id(5)] VoteTally Votes,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] bool Visible)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(8)] public string? RejectionReason { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(9)] public string? RejectionNote { get; init; }

    [Id(10)] public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [Id(11)] public bool Pinned { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [Id(12)] public bool Highlighted { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [Id(13)] public bool Edited { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(14)] public string? OriginalText { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(15)] public string? MergedInto { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(16)] public OfficialAnswer? Answer { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [Id(17)] public bool Appealed { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(18)] public ReviewInfo? Review { get; init; }

    /// <summary>The author had it erased: <see cref="Text"/> is the Indonesian marker; pages show it in their language.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [Id(19)] public bool Erased { get; init; }
}

/// <summary>Moderator-only facts about an item: queue state, triage and lease.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.review-info")]
public sealed record ReviewInfo(
    [property: Id(0)] bool NeedsReview,
    [property: Id(1)] double TriageScore,
    [property: Id(2)] string TriageReason,
    [property: Id(3)] string? DuplicateOf,
    [property: Id(4)] string? ClaimedBy,
    [property: Id(5)] DateTimeOffset? ClaimedUntil,
    [property: Id(6)] string? AppealText)
{
    /// <summary>Set when new identities voted this item the same way in a burst (see <see cref="VoteBurst"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(7)] public VoteBurst? Burst { get; init; }

    /// <summary>Who holds the claim, as the moderation commands know them (account id); <see cref="ClaimedBy"/> is the name to show.</summary>
    [Id(8)] public string? ClaimedByAccount { get; init; }

    /// <summary>Set when the item is part of a campaign-like burst (see <see cref="CampaignLabel"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Id(9)] public CampaignLabel? Campaign { get; init; }
}

public enum AnswerStatus
{
    Accepted = 0,
    UnderReview = 1,
    Declined = 2,
}

[GenerateSerializer, Immutable, Alias("dialogue.official-answer")]
public sealed record OfficialAnswer(
    [property: Id(0)] string Text,
    [property: Id(1)] AnswerStatus? Status,
    [property: Id(2)] string? Owner,
    [property: Id(3)] DateOnly? Due,
    [property: Id(4)] string By,
    [property: Id(5)] DateTimeOffset At)
{
    /// <summary>The answering staff account's id; null in answers from before accounts.</summary>
    [Id(6)] public string? ByAccount { get; init; }
}

/// <summary>A published item that reads like a draft: "upvote this instead?".</summary>
[GenerateSerializer, Immutable, Alias("dialogue.similar-item")]
public sealed record SimilarItem(
    [property: Id(0)] ItemView Item,
    [property: Id(1)] double Score);

/// <summary>Who asks: decides which items and how much of them come back.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.viewer")]
public sealed record Viewer(
    [property: Id(0)] ViewerRole Role,
    [property: Id(1)] string? CitizenId);

[GenerateSerializer, Immutable, Alias("dialogue.item-page")]
public sealed record ItemPage(
    [property: Id(0)] IReadOnlyList<ItemView> Items,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] bool HasMore);

/// <summary>
/// A change pushed to gateways. <see cref="Staff"/> is the moderators' view; <see cref="Public"/>
/// is what participants and officials may see (null when it never was public); <see cref="Own"/>
/// is the author's view, sent to <see cref="AuthorId"/> while the item is not public. When only
/// the votes moved since the last batch, the views are null and <see cref="Votes"/> carries the
/// new counts. The author id itself never reaches a client.
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.item-change")]
public sealed record ItemChange(
    [property: Id(0)] string ItemId,
    [property: Id(1)] long Seq,
    [property: Id(2)] ItemView? Staff,
    [property: Id(3)] ItemView? Public,
    [property: Id(4)] ItemView? Own,
    [property: Id(5)] string AuthorId,
    [property: Id(6)] VoteUpdate? Votes = null);

/// <summary>A vote count moved: what a live list needs, without resending the item's text.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.vote-update")]
public sealed record VoteUpdate(
    [property: Id(0)] string Id,
    [property: Id(1)] long Seq,
    [property: Id(2)] VoteTally Votes);

/// <summary>What one committed batch changed: items, notifications to citizens and (when it moved) the presenter screen.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.change-batch")]
public sealed record ChangeBatch(
    [property: Id(0)] IReadOnlyList<ItemChange> Items,
    [property: Id(1)] IReadOnlyList<NotificationDelivery> Notifications,
    [property: Id(2)] PresenterFrame? Presenter,
    [property: Id(3)] OpinionView? Opinion = null)
{
    /// <summary>Set when the consultation's settings or status changed (closed, reopened, retitled).</summary>
    [Id(4)] public ConsultationInfo? Consultation { get; init; }

    /// <summary>Moderation-log entries committed in this batch (public: pseudonyms and reason codes only).</summary>
    [Id(5)] public IReadOnlyList<ModerationLogEntry> Log { get; init; } = [];

    /// <summary>
    /// The batch covers the changes after this seq: the <see cref="UpToSeq"/> of the batch the grain
    /// published before it. A gateway that has forwarded less has missed something (the grain was
    /// reactivated, a one-way call was lost) and fetches the gap with <see cref="IConsultationGrain.GetChanges"/>.
    /// </summary>
    [Id(6)] public long AfterSeq { get; init; }

    /// <summary>The consultation's last seq when the batch was published: the batch covers every change up to it.</summary>
    [Id(7)] public long UpToSeq { get; init; }

    /// <summary>The topic groups after a regrouping, for staff and officials only (not the public feed).</summary>
    [Id(8)] public TopicsView? Topics { get; init; }
}

/// <summary>The presenter screen: the highlighted item large, the next few below.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.presenter-frame")]
public sealed record PresenterFrame(
    [property: Id(0)] string ConsultationId,
    [property: Id(1)] ItemView? Highlighted,
    [property: Id(2)] IReadOnlyList<ItemView> Next,
    [property: Id(3)] long Seq);
