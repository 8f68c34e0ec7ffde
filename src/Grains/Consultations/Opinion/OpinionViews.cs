using System.Globalization;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Opinion;

namespace OpenGov.Dialogue.Consultations.Opinion;

/// <summary>Between the analysis' numbers and the dialogue's ids and views.</summary>
public static class OpinionViews
{
    /// <summary>Most points a view carries for the map; beyond it an even sample.</summary>
    public const int MaxMapPoints = 2000;

    public static long StatementId(string itemId) =>
        itemId.StartsWith('i') && long.TryParse(itemId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"'{itemId}' is not an item id.", nameof(itemId));

    public static string ItemId(long statementId) => $"i{statementId}";

    public static OpinionView From(string consultationId, OpinionSnapshot snapshot, int participants, DateTimeOffset computedAt, OpinionPosition? you = null)
    {
        var step = Math.Max(1, (snapshot.Participants.Count + MaxMapPoints - 1) / MaxMapPoints);
        return new OpinionView(
            consultationId,
            snapshot.Version,
            participants,
            snapshot.ParticipantsInAnalysis,
            [.. snapshot.Groups.Select(g => new OpinionGroupView(
                g.Id,
                g.Centre.X,
                g.Centre.Y,
                g.MemberCount,
                [.. g.Representative.Select(r => new RepresentativeView(ItemId(r.StatementId), r.Leaning == Leaning.Agree ? "agree" : "disagree", r.Probability, r.Ratio, r.Significant))]))],
            [.. snapshot.Consensus.Select(c => new StatementConsensusView(ItemId(c.StatementId), c.Consensus, c.Votes.Agrees, c.Votes.Disagrees, c.Votes.Passes))],
            [.. snapshot.CommonGround.Agreed.Select(s => ItemId(s.StatementId))],
            [.. snapshot.CommonGround.Rejected.Select(s => ItemId(s.StatementId))],
            [.. snapshot.Participants.Where((_, i) => i % step == 0).Select(p => new OpinionPoint(p.Position.X, p.Position.Y, p.GroupId))],
            you,
            computedAt);
    }

    public static OpinionPosition? Position(OpinionSnapshot snapshot, long participantId, int votes) =>
        snapshot.Participant(participantId) is { } p
            ? new OpinionPosition(p.Position.X, p.Position.Y, p.InAnalysis, p.GroupId, p.ClosestGroupId, votes)
            : null;
}
