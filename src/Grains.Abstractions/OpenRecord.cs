using Orleans.Concurrency;

namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// The public record of one consultation for open-data exports. Participants are numbers in the
/// order they first took part (pseudonymous; never a citizen id); items are numbered by their id
/// ("i7" is 7). Texts of rejected and unreviewed items are null unless the consultation publishes them.
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.consultation-export")]
public sealed record ConsultationExport(
    [property: Id(0)] ConsultationInfo Info,
    [property: Id(1)] IReadOnlyList<ExportItem> Items,
    [property: Id(2)] IReadOnlyList<ExportVote> Votes,
    [property: Id(3)] IReadOnlyList<ExportCell> Matrix,
    [property: Id(4)] IReadOnlyDictionary<int, int> Groups,
    [property: Id(5)] IReadOnlyDictionary<string, int> LogCounts,
    [property: Id(6)] int LogEntries,
    [property: Id(7)] string LastLogHash,
    [property: Id(8)] DateTimeOffset ExportedAt);

[GenerateSerializer, Immutable, Alias("dialogue.export-item")]
public sealed record ExportItem(
    [property: Id(0)] int Number,
    [property: Id(1)] int Author,
    [property: Id(2)] string Pseudonym,
    [property: Id(3)] string? Text,
    [property: Id(4)] ItemStatus Status,
    [property: Id(5)] bool Reviewed,
    [property: Id(6)] VoteTally Votes,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] IReadOnlyList<string> Tags,
    [property: Id(9)] string? MergedInto,
    [property: Id(10)] OfficialAnswer? Answer,
    [property: Id(11)] bool Erased,
    [property: Id(12)] string? RejectionReason);

/// <summary>One vote event as it happened (later changes of mind are further events).</summary>
[GenerateSerializer, Immutable, Alias("dialogue.export-vote")]
public sealed record ExportVote(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] int Item,
    [property: Id(2)] int Participant,
    [property: Id(3)] int Value);

/// <summary>One cell of the final vote matrix: the participant's current vote on the item.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.export-cell")]
public sealed record ExportCell(
    [property: Id(0)] int Participant,
    [property: Id(1)] int Item,
    [property: Id(2)] int Value);

/// <summary>
/// One event of an imported conversation. An item when <see cref="Text"/> is set (with its
/// moderation: 1 accepted, -1 rejected, 0 never moderated), else a vote of <see cref="Vote"/>.
/// Citizen ids are fresh ids made for the import, one per imported participant.
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.imported-event")]
public sealed record ImportedEvent(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string ItemId,
    [property: Id(2)] string CitizenId,
    [property: Id(3)] string? Text,
    [property: Id(4)] int Vote,
    [property: Id(5)] int Moderated);

/// <summary>What a consultation holds about one citizen (their data-access request).</summary>
[GenerateSerializer, Immutable, Alias("dialogue.citizen-contributions")]
public sealed record CitizenContributions(
    [property: Id(0)] string ConsultationId,
    [property: Id(1)] string? Pseudonym,
    [property: Id(2)] IReadOnlyList<ItemView> Items,
    [property: Id(3)] IReadOnlyList<ModerationLogEntry> History,
    [property: Id(4)] IReadOnlyList<OwnVote> Votes);

[GenerateSerializer, Immutable, Alias("dialogue.own-vote")]
public sealed record OwnVote([property: Id(0)] string ItemId, [property: Id(1)] int Value);

[GenerateSerializer, Immutable, Alias("dialogue.erasure-result")]
public sealed record ErasureResult(
    [property: Id(0)] string ConsultationId,
    [property: Id(1)] int Items,
    [property: Id(2)] int Votes,
    [property: Id(3)] long Seq);

/// <summary>Everything the service holds about a citizen, across the consultations they took part in.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.citizen-data")]
public sealed record CitizenData(
    [property: Id(0)] IReadOnlyList<CitizenContributions> Consultations,
    [property: Id(1)] IReadOnlyList<Notification> Notifications,
    [property: Id(2)] IReadOnlyDictionary<string, Sanction> Sanctions,
    [property: Id(3)] DateTimeOffset ExportedAt)
{
    /// <summary>The citizen's self-described segments per consultation (question key → option).</summary>
    [Id(4)] public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Segments { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();
}
