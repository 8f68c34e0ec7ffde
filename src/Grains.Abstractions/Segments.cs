using Orleans.Concurrency;

namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// One optional, self-described question an admin asks the participants of a consultation (kelurahan, age band,
/// "I live / work / study here"). Nothing else about a person is asked.
/// </summary>
/// <param name="Key">Stable id of the question (lower-case letters, digits, '-').</param>
/// <param name="Label">The question as participants read it.</param>
/// <param name="Options">The answers to choose from, in the order shown.</param>
/// <param name="ReferenceShares">
/// Optional share of each option in a reference population the admin enters (census figures); "who is missing"
/// then compares contributors with it instead of with the participants who answered.
/// </param>
[GenerateSerializer, Immutable, Alias("dialogue.segment-question")]
public sealed record SegmentQuestion(
    [property: Id(0)] string Key,
    [property: Id(1)] string Label,
    [property: Id(2)] IReadOnlyList<string> Options,
    [property: Id(3)] IReadOnlyDictionary<string, double>? ReferenceShares = null);

/// <summary>The segment questions of a consultation; empty when the admin defined none.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.segment-questions")]
public sealed record SegmentQuestions(
    [property: Id(0)] string ConsultationId,
    [property: Id(1)] IReadOnlyList<SegmentQuestion> Questions,
    [property: Id(2)] DateTimeOffset? UpdatedAt);

/// <summary>A count of distinct people that may be withheld: <see cref="Count"/> and <see cref="Share"/> are null when the cell is suppressed.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.segment-cell")]
public sealed record SegmentCell(
    [property: Id(0)] string Option,
    [property: Id(1)] int? Count,
    [property: Id(2)] double? Share);

/// <summary>One under-represented option: its share among contributors against its share among participants or the reference population.</summary>
/// <param name="ContributorShare">Null when the contributors' cell is withheld (fewer than five people).</param>
[GenerateSerializer, Immutable, Alias("dialogue.segment-gap")]
public sealed record SegmentGap(
    [property: Id(0)] string Option,
    [property: Id(1)] double BaseShare,
    [property: Id(2)] double? ContributorShare,
    [property: Id(3)] bool FromReference);

/// <summary>The people of one topic group or opinion group by answer.</summary>
/// <param name="Terms">A topic group's distinctive words (empty for an opinion group).</param>
[GenerateSerializer, Immutable, Alias("dialogue.segment-group-row")]
public sealed record SegmentGroupRow(
    [property: Id(0)] int GroupId,
    [property: Id(1)] IReadOnlyList<string> Terms,
    [property: Id(2)] IReadOnlyList<SegmentCell> Cells);

/// <summary>One question's breakdown: everyone who answered, those who contributed, each group, and who is missing.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.question-breakdown")]
public sealed record QuestionBreakdown(
    [property: Id(0)] string Key,
    [property: Id(1)] string Label,
    [property: Id(2)] IReadOnlyList<SegmentCell> Participants,
    [property: Id(3)] IReadOnlyList<SegmentCell> Contributors,
    [property: Id(4)] IReadOnlyList<SegmentGroupRow> TopicGroups,
    [property: Id(5)] IReadOnlyList<SegmentGroupRow> OpinionGroups,
    [property: Id(6)] IReadOnlyList<SegmentGap> Missing);

/// <summary>
/// Who is being heard in a consultation, by the segments participants chose to describe themselves with. Every
/// number counts distinct people; a cell of fewer than <see cref="MinCell"/> people is withheld everywhere (here, on the
/// dashboard and in exports), and so is a total below it.
/// </summary>
/// <param name="Answered">People who answered at least one question; null when fewer than <see cref="MinCell"/>.</param>
/// <param name="Contributors">Of those, people with a published post; null when fewer than <see cref="MinCell"/>.</param>
/// <param name="Final">The answers were dropped at the end of the retention period; this is the breakdown made just before.</param>
[GenerateSerializer, Immutable, Alias("dialogue.segments-breakdown")]
public sealed record SegmentsBreakdown(
    [property: Id(0)] string ConsultationId,
    [property: Id(1)] int MinCell,
    [property: Id(2)] int? Answered,
    [property: Id(3)] int? Contributors,
    [property: Id(4)] IReadOnlyList<QuestionBreakdown> Questions,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] bool Final);

/// <summary>
/// The self-described segments of one consultation (keyed by its id): the admin's questions and each participant's
/// answers. Answers are kept in this grain's state only (never in the journal), so a participant's change or erasure
/// overwrites them, and the retention job drops them all (keeping the suppressed breakdown made just before).
/// </summary>
[Alias("dialogue.segments")]
public interface ISegmentsGrain : IGrainWithStringKey
{
    /// <summary>Replaces the questions (admins); answers to a removed question or option are dropped.</summary>
    [Alias("define")]
    Task<SegmentQuestions> Define(IReadOnlyList<SegmentQuestion> questions, Actor actor);

    [Alias("questions")]
    Task<SegmentQuestions> GetQuestions();

    /// <summary>
    /// Sets the citizen's answers: a question given null or left out is not answered (skipped). Called by the
    /// citizen's grain, which remembers where it answered (for data requests and erasure).
    /// </summary>
    [Alias("answer")]
    Task<IReadOnlyDictionary<string, string>> Answer(string citizenId, IReadOnlyDictionary<string, string?> answers, Admission? admission);

    [Alias("answers-of")]
    Task<IReadOnlyDictionary<string, string>> GetAnswers(string citizenId);

    /// <summary>Drops the citizen's answers (erasure).</summary>
    [Alias("forget")]
    Task Forget(string citizenId);

    [Alias("breakdown")]
    Task<SegmentsBreakdown> GetBreakdown();

    /// <summary>
    /// Once the consultation's retention period is over (closed or archived, and its retention days passed): keeps
    /// the breakdown made now and drops every answer. The retention job calls it before the consultation destroys its
    /// identity links, so the breakdown still knows who wrote what. True when the answers were dropped now.
    /// </summary>
    [Alias("retire")]
    Task<bool> Retire();
}
