using System.Text.Json;
using System.Text.Json.Serialization;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Consultations;

/// <summary>
/// What the journal records for a consultation. The stored form is JSON with an explicit
/// <c>Kind</c> string per event type, so renaming a .NET type never breaks old rows.
/// </summary>
public abstract record ConsultationEvent;

/// <param name="ItemId">Assigned by the grain, deterministic on replay ("i1", "i2", ...).</param>
/// <param name="Triage">The queue score when it was submitted; stored so a rule change never reorders history.</param>
public sealed record ItemSubmitted(
    string ItemId,
    string CitizenId,
    string Pseudonym,
    string ClientId,
    string Text,
    ItemStatus Status,
    TriageResult? Triage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] AdmissionMode Admission = AdmissionMode.Open) : ConsultationEvent;

/// <summary>
/// A citizen's vote on an item; replaces their earlier vote on it. It counts only if the item is public
/// when the vote is applied (a rejection or merge committed just before wins), except for
/// <paramref name="Imported"/> history, where votes on later-rejected comments are part of the record.
/// <paramref name="Admission"/> is how the voter was admitted (officials weigh votes by it).
/// </summary>
public sealed record VoteCast(
    string ItemId,
    string CitizenId,
    int Value,
    bool Imported = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] AdmissionMode Admission = AdmissionMode.Open) : ConsultationEvent;

/// <summary>A moderator takes (or renews) items for review until <paramref name="Until"/>.</summary>
/// <param name="By">Who holds the claim: the actor's key (account id; the name in claims from before accounts).</param>
/// <param name="ByName">The holder's display name, shown to other moderators; null in claims from before accounts.</param>
public sealed record ItemsClaimed(IReadOnlyList<string> ItemIds, string By, DateTimeOffset Until, string? ByName = null) : ConsultationEvent;

public sealed record ItemsReleased(IReadOnlyList<string> ItemIds, string By) : ConsultationEvent;

/// <summary>
/// Every decision that goes into the public moderation log. <see cref="Log"/> is the public,
/// hash-chained part and the ledger applies the decision from it; the rest is private detail.
/// <see cref="Campaign"/> names the campaign cluster when the decision was one group decision on it: kept
/// for staff and audits, never in the public log (the label is not a verdict).
/// </summary>
public sealed record Moderated(
    ModerationLogEntry Log,
    string? Note = null,
    string? Text = null,
    IReadOnlyList<string>? Tags = null,
    OfficialAnswer? Answer = null,
    string? CitizenId = null,
    Sanction? Sanction = null,
    ConsultationSettings? Settings = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Campaign = null) : ConsultationEvent;

/// <summary>The consultation's settings after an admin's change (status, title, visibility, retention, admission).</summary>
public sealed record ConsultationSettings(
    string Title,
    string Description,
    ConsultationStatus Status,
    ConsultationVisibility Visibility,
    bool PublishRejected,
    int? RetentionDays,
    DateTimeOffset? ClosedAt,
    AdmissionMode Admission = AdmissionMode.Open,
    int JoinCodeMinutes = ConsultationDefaults.JoinCodeMinutes);

/// <summary>
/// A citizen asked for their contributions to be erased: their items' texts are replaced, their votes
/// withdrawn, and every journal row that named them is rewritten to <paramref name="ErasedAs"/>.
/// <paramref name="CitizenId"/> is only there until that rewrite is done (it is stripped by it), so an
/// erasure interrupted by a crash is finished on the next activation.
/// </summary>
public sealed record ContributionsErased(string ErasedAs, IReadOnlyList<string> ItemIds, string? CitizenId, ModerationLogEntry? Log = null) : ConsultationEvent;

/// <summary>
/// The retention period after closing is over: every citizen id in this consultation's journal is
/// replaced by an anonymous number ("anon-n"). <paramref name="Pending"/> is true until the stored rows are rewritten.
/// </summary>
public sealed record IdentitiesAnonymised(bool Pending) : ConsultationEvent;

/// <summary>Maps events to journal rows and back.</summary>
public static class ConsultationEventCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private static readonly Dictionary<Type, string> KindByType = new()
    {
        [typeof(ItemSubmitted)] = "item-submitted",
        [typeof(VoteCast)] = "vote-cast",
        [typeof(ItemsClaimed)] = "items-claimed",
        [typeof(ItemsReleased)] = "items-released",
        [typeof(Moderated)] = "moderated",
        [typeof(ContributionsErased)] = "contributions-erased",
        [typeof(IdentitiesAnonymised)] = "identities-anonymised",
    };

    private static readonly Dictionary<string, Type> TypeByKind = KindByType.ToDictionary(p => p.Value, p => p.Key);

    public static JournalRecord Encode(string streamId, long seq, ConsultationEvent e, string? clientKey, DateTimeOffset at) =>
        new(streamId, seq, Guid.NewGuid(), KindByType[e.GetType()], clientKey, at, JsonSerializer.Serialize(e, e.GetType(), Json));

    /// <summary>The same row with a new payload (and client key): used only by erasure and anonymisation.</summary>
    public static JournalRecord Rewrite(JournalRecord record, ConsultationEvent e, string? clientKey) =>
        record with { Payload = JsonSerializer.Serialize(e, e.GetType(), Json), ClientKey = clientKey };

    public static ConsultationEvent Decode(JournalRecord record) =>
        TypeByKind.TryGetValue(record.Kind, out var type)
            ? (ConsultationEvent)(JsonSerializer.Deserialize(record.Payload, type, Json)
                ?? throw new InvalidDataException($"Empty journal payload at {record.StreamId}#{record.Seq}"))
            : throw new InvalidDataException($"Unknown journal event kind '{record.Kind}' at {record.StreamId}#{record.Seq}");
}
