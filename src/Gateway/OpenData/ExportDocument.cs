using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;

namespace OpenGov.Dialogue.Gateway.OpenData;

/// <summary>
/// The JSON export: one document with the consultation, its items (status, tallies, answers), the vote
/// events by pseudonymous participant numbers, the opinion and topic groups at export time, and the
/// moderation-log summary, and the segment breakdown with small cells withheld. No citizen ids, tokens, addresses or moderators' notes are in it.
/// </summary>
public sealed record ExportDocument(
    string Format,
    string Licence,
    DateTimeOffset ExportedAt,
    ConsultationInfo Consultation,
    IReadOnlyList<ExportDocumentItem> Items,
    IReadOnlyList<ExportDocumentVote> Votes,
    OpinionView? OpinionGroups,
    TopicsView? TopicGroups,
    ExportLogSummary ModerationLog)
{
    /// <summary>The consultation's brief at export time (largest, most-voted and growing concerns, open questions).</summary>
    public ConsultationBrief? Brief { get; init; }

    /// <summary>Who is being heard, by self-described segment, with cells under five people withheld; null when no questions were asked.</summary>
    public SegmentsBreakdown? Segments { get; init; }

    public const string FormatName = "opengov-dialogue-export/1";

    public static async Task<ExportDocument> Build(ConsultationExport export, IGrainFactory grains)
    {
        var id = export.Info.Id;
        var opinion = export.Info.Mode == ConsultationMode.Deliberation
            ? (await grains.GetGrain<IOpinionGrain>(id).Get(null)) with { Map = [] }
            : null;
        // Topic groups as the public feed shows them: the tagger's guesses are a moderators' working aid.
        var (topics, published) = await ConsultationBrief.ReadInputs(grains, id);
        var segments = await grains.GetGrain<ISegmentsGrain>(id).GetBreakdown();
        return new ExportDocument(
            FormatName,
            "CC-BY-4.0",
            export.ExportedAt,
            export.Info,
            [.. export.Items.Select(i => new ExportDocumentItem(
                $"i{i.Number}", i.Author, i.Pseudonym, i.Text, i.Status, i.Reviewed, i.Votes, i.CreatedAt, i.Tags, i.MergedInto, i.Answer, i.Erased, i.RejectionReason))],
            [.. export.Votes.Select(v => new ExportDocumentVote(v.At, $"i{v.Item}", v.Participant, v.Value))],
            opinion,
            topics,
            new ExportLogSummary(export.LogEntries, export.LogCounts, export.LastLogHash, $"/api/consultations/{id}/moderation-log", $"/api/consultations/{id}/moderation-log/verify"))
        {
            Brief = ConsultationBrief.Build(export.Info, topics, published, export.ExportedAt),
            Segments = segments.Questions.Count > 0 ? segments : null,
        };
    }
}

/// <param name="Participant">Pseudonymous number of the author (the order participants first took part); -1 when unknown.</param>
/// <param name="Text">Null when withheld: rejected or never reviewed, and the consultation does not publish those.</param>
public sealed record ExportDocumentItem(
    string Id,
    int Participant,
    string Pseudonym,
    string? Text,
    ItemStatus Status,
    bool Reviewed,
    VoteTally Votes,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Tags,
    string? MergedInto,
    OfficialAnswer? Answer,
    bool Erased,
    string? RejectionReason);

/// <param name="Value">Q&amp;A: 1 upvote, 0 withdrawn; deliberation: 1 agree, -1 disagree, 0 pass.</param>
public sealed record ExportDocumentVote(DateTimeOffset At, string Item, int Participant, int Value);

public sealed record ExportLogSummary(int Entries, IReadOnlyDictionary<string, int> Counts, string LastHash, string Log, string Verify);
