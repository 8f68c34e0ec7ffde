namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// Everything an <see cref="OpinionModel"/> needs to resume where it left off, as plain data
/// (ids, numbers, arrays) so a grain can store it with any serializer. Vote tallies and positions
/// are not stored: they are re-derived from the votes and the basis on restore.
/// </summary>
public sealed record OpinionModelState(
    IReadOnlyList<long> Participants,
    IReadOnlyList<long> Statements,
    IReadOnlyList<long> ModeratedOut,
    IReadOnlyList<VoteRecord> Votes,
    IReadOnlyList<long> InAnalysis,
    PcaBasis Basis,
    IReadOnlyList<ClusterCentre> BaseClusters,
    IReadOnlyList<Membership> BaseMembership,
    IReadOnlyList<GroupingForK> GroupingsByK,
    IReadOnlyList<ClusterCentre> Groups,
    IReadOnlyList<Membership> GroupOfBase,
    GroupCountSmoother Smoother,
    int NextGroupId,
    long Version);

public readonly record struct VoteRecord(long ParticipantId, long StatementId, sbyte Value);

/// <summary>An item (participant or base cluster) and the cluster it belongs to.</summary>
public readonly record struct Membership(long Member, int ClusterId);

/// <summary>How the base clusters were grouped for one candidate k, kept to warm-start the next run.</summary>
public sealed record GroupingForK(int K, IReadOnlyList<Membership> Memberships);
