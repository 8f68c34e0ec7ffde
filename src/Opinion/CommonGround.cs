namespace OpenGov.Dialogue.Opinion;

/// <param name="Probability">(successes + 1) / (seen + 2), successes being agrees or disagrees.</param>
/// <param name="ProbabilityZ">z of "more than half of those who saw it".</param>
public sealed record CommonGroundStatement(long StatementId, int Successes, int Seen, double Probability, double ProbabilityZ);

/// <summary>What most voters agree with, and what most reject, each significant at 90 %.</summary>
public sealed record CommonGroundStatements(IReadOnlyList<CommonGroundStatement> Agreed, IReadOnlyList<CommonGroundStatement> Rejected)
{
    public static CommonGroundStatements Empty { get; } = new([], []);
}

/// <summary>
/// Pol.is's consensus list over all voters: statements whose agree (or disagree) rate is above one
/// half and significantly so, strongest first (rate × z), at most <c>limit</c> each way. It sits
/// beside the group-informed consensus, which instead asks every group to agree.
/// </summary>
public static class CommonGround
{
    public static CommonGroundStatements Select(IEnumerable<(long StatementId, StatementTally Votes)> statements, int limit)
    {
        var all = statements.ToList();
        return new CommonGroundStatements(Top(all, t => t.Agrees, limit), Top(all, t => t.Disagrees, limit));
    }

    private static List<CommonGroundStatement> Top(List<(long StatementId, StatementTally Votes)> statements, Func<StatementTally, int> successes, int limit) =>
        statements
            .Select(s => new CommonGroundStatement(
                s.StatementId,
                successes(s.Votes),
                s.Votes.Seen,
                (successes(s.Votes) + 1.0) / (s.Votes.Seen + 2.0),
                ProportionTests.OneProportion(successes(s.Votes), s.Votes.Seen)))
            .Where(s => s.Probability > 0.5 && ProportionTests.IsSignificant(s.ProbabilityZ))
            .OrderByDescending(s => s.Probability * s.ProbabilityZ)
            .ThenBy(s => s.StatementId)
            .Take(limit)
            .ToList();
}
