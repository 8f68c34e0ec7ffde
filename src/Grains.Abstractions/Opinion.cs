using Orleans.Concurrency;

namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// The opinion groups of a deliberation (the Pol.is method), as officials and participants see
/// them. <see cref="Map"/> holds anonymous points (at most a few thousand, for the map);
/// <see cref="You"/> is set only in answers to a participant.
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.opinion-view")]
public sealed record OpinionView(
    [property: Id(0)] string ConsultationId,
    [property: Id(1)] long Version,
    [property: Id(2)] int Participants,
    [property: Id(3)] int ParticipantsInAnalysis,
    [property: Id(4)] IReadOnlyList<OpinionGroupView> Groups,
    [property: Id(5)] IReadOnlyList<StatementConsensusView> Consensus,
    [property: Id(6)] IReadOnlyList<string> CommonGroundAgreed,
    [property: Id(7)] IReadOnlyList<string> CommonGroundRejected,
    [property: Id(8)] IReadOnlyList<OpinionPoint> Map,
    [property: Id(9)] OpinionPosition? You,
    [property: Id(10)] DateTimeOffset ComputedAt)
{
    /// <summary>How many consensus statements a participant's view carries.</summary>
    public const int ParticipantConsensus = 10;

    /// <summary>
    /// What a participant's phone is sent: no map, and only the <see cref="ParticipantConsensus"/>
    /// statements with the highest consensus. The full list has one entry per statement; pushed to
    /// every participant at every recomputation it made a deliberation of 3,000 statements send each
    /// phone some 300 KB a few times a minute.
    /// </summary>
    public OpinionView ForParticipant() => this with
    {
        Map = [],
        Consensus = [.. Consensus.OrderByDescending(c => c.Consensus).ThenBy(c => c.ItemId, StringComparer.Ordinal).Take(ParticipantConsensus)],
    };
}

[GenerateSerializer, Immutable, Alias("dialogue.opinion-group")]
public sealed record OpinionGroupView(
    [property: Id(0)] int Id,
    [property: Id(1)] double X,
    [property: Id(2)] double Y,
    [property: Id(3)] int Members,
    [property: Id(4)] IReadOnlyList<RepresentativeView> Representative);

/// <param name="Leaning">"agree" or "disagree": how the group differs from the rest on this statement.</param>
[GenerateSerializer, Immutable, Alias("dialogue.representative")]
public sealed record RepresentativeView(
    [property: Id(0)] string ItemId,
    [property: Id(1)] string Leaning,
    [property: Id(2)] double Probability,
    [property: Id(3)] double Ratio,
    [property: Id(4)] bool Significant);

/// <param name="Consensus">Group-informed consensus: product over groups of (agrees + 1) / (seen + 2).</param>
[GenerateSerializer, Immutable, Alias("dialogue.statement-consensus")]
public sealed record StatementConsensusView(
    [property: Id(0)] string ItemId,
    [property: Id(1)] double Consensus,
    [property: Id(2)] int Agree,
    [property: Id(3)] int Disagree,
    [property: Id(4)] int Pass);

[GenerateSerializer, Immutable, Alias("dialogue.opinion-point")]
public sealed record OpinionPoint([property: Id(0)] double X, [property: Id(1)] double Y, [property: Id(2)] int? GroupId);

/// <param name="ClosestGroupId">Shown even before the participant has voted enough to count in a group.</param>
[GenerateSerializer, Immutable, Alias("dialogue.opinion-position")]
public sealed record OpinionPosition(
    [property: Id(0)] double X,
    [property: Id(1)] double Y,
    [property: Id(2)] bool InAnalysis,
    [property: Id(3)] int? GroupId,
    [property: Id(4)] int? ClosestGroupId,
    [property: Id(5)] int Votes);

/// <summary>What the opinion analysis needs from the journal: a vote, or a statement becoming (in)visible.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.opinion-input")]
public sealed record OpinionInput(
    [property: Id(0)] long Seq,
    [property: Id(1)] string ItemId,
    [property: Id(2)] string? CitizenId,
    [property: Id(3)] int? Vote,
    [property: Id(4)] bool? Public);

/// <summary>
/// The opinion analysis of one deliberation (same key as the consultation): votes arrive one-way
/// from the consultation grain; groups are recomputed in the background and pushed through it.
/// </summary>
[Alias("dialogue.opinion")]
public interface IOpinionGrain : IGrainWithStringKey
{
    [Orleans.Concurrency.OneWay, Alias("apply")]
    Task Apply(IReadOnlyList<OpinionInput> inputs);

    /// <param name="citizenId">When set, the answer carries that participant's own position.</param>
    [Alias("get")]
    Task<OpinionView> Get(string? citizenId);

    /// <summary>The statement to show this participant next (few votes, high spread, not yet seen); null when none is left.</summary>
    [Alias("next")]
    Task<string?> NextStatement(string citizenId);

    /// <summary>Each placed participant's opinion group, by citizen id (for the consultation's exports).</summary>
    [Alias("groups-of")]
    Task<IReadOnlyDictionary<string, int>> GroupsOf();

    /// <summary>Drops the analysis, to be rebuilt from the (rewritten) journal on the next call.</summary>
    [Alias("rebuild")]
    Task Rebuild();
}
