namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// What officials and participants see at one moment: immutable, so a grain can hand it to many
/// readers while votes keep arriving.
/// </summary>
public sealed record OpinionSnapshot(
    long Version,
    int ParticipantsInAnalysis,
    IReadOnlyList<OpinionGroup> Groups,
    IReadOnlyList<ParticipantPosition> Participants,
    IReadOnlyList<StatementConsensus> Consensus,
    CommonGroundStatements CommonGround)
{
    public static OpinionSnapshot Empty { get; } = new(0, 0, [], [], [], CommonGroundStatements.Empty);

    private readonly Lazy<Dictionary<long, ParticipantPosition>> _byParticipant =
        new(() => Participants.ToDictionary(p => p.ParticipantId));

    public ParticipantPosition? Participant(long participantId) =>
        _byParticipant.Value.GetValueOrDefault(participantId);
}

/// <param name="Centre">Weighted centre on the opinion map.</param>
/// <param name="Representative">Statements that set this group apart, most telling first.</param>
public sealed record OpinionGroup(int Id, Point2 Centre, int MemberCount, IReadOnlyList<RepresentativeStatement> Representative);

/// <param name="InAnalysis">Has voted enough to count in the groups.</param>
/// <param name="GroupId">The group the participant counts in, when in the analysis.</param>
/// <param name="ClosestGroupId">The nearest group on the map, shown even to newcomers ("you are closest to…").</param>
public sealed record ParticipantPosition(long ParticipantId, Point2 Position, bool InAnalysis, int? GroupId, int? ClosestGroupId);

/// <param name="Consensus">Product over groups of (agrees + 1) / (seen + 2).</param>
/// <param name="Votes">All votes on the statement, in or out of the analysis.</param>
public sealed record StatementConsensus(long StatementId, double Consensus, StatementTally Votes);
