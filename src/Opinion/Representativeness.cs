namespace OpenGov.Dialogue.Opinion;

public enum Leaning
{
    Agree,
    Disagree,
}

/// <summary>
/// Why a statement represents a group: the group agrees (or disagrees) with it at rate
/// <see cref="Probability"/>, <see cref="Ratio"/> times as often as everyone else, and the two tests
/// say both the leaning and the difference are unlikely to be chance.
/// </summary>
public sealed record RepresentativeStatement(
    long StatementId,
    Leaning Leaning,
    int Successes,
    int Seen,
    double Probability,
    double ProbabilityZ,
    double Ratio,
    double RatioZ,
    bool Significant)
{
    public double Metric => Ratio * RatioZ * Probability * ProbabilityZ;
}

/// <summary>Pol.is's "repness": how differently a group votes on each statement from the other groups.</summary>
public static class Representativeness
{
    /// <summary>Scores one statement for one group against the pooled votes of the other groups.</summary>
    public static RepresentativeStatement Score(long statementId, StatementTally group, StatementTally rest)
    {
        var pa = (group.Agrees + 1.0) / (group.Seen + 2.0);
        var pd = (group.Disagrees + 1.0) / (group.Seen + 2.0);
        var ra = pa / ((rest.Agrees + 1.0) / (rest.Seen + 2.0));
        var rd = pd / ((rest.Disagrees + 1.0) / (rest.Seen + 2.0));
        var pat = ProportionTests.OneProportion(group.Agrees, group.Seen);
        var pdt = ProportionTests.OneProportion(group.Disagrees, group.Seen);
        var rat = ProportionTests.TwoProportion(group.Agrees, rest.Agrees, group.Seen, rest.Seen);
        var rdt = ProportionTests.TwoProportion(group.Disagrees, rest.Disagrees, group.Seen, rest.Seen);
        var agreeSignificant = ProportionTests.IsSignificant(rat) && ProportionTests.IsSignificant(pat);
        var disagreeSignificant = ProportionTests.IsSignificant(rdt) && ProportionTests.IsSignificant(pdt);
        return rat > rdt
            ? new RepresentativeStatement(statementId, Leaning.Agree, group.Agrees, group.Seen, pa, pat, ra, rat, agreeSignificant || disagreeSignificant)
            : new RepresentativeStatement(statementId, Leaning.Disagree, group.Disagrees, group.Seen, pd, pdt, rd, rdt, agreeSignificant || disagreeSignificant);
    }

    /// <summary>
    /// The significant statements ordered by ratio × its z × probability × its z, at most
    /// <paramref name="limit"/>, agreements before disagreements; when none is significant, the one
    /// with the strongest difference test, so every group has something to show.
    /// </summary>
    public static IReadOnlyList<RepresentativeStatement> Select(IEnumerable<RepresentativeStatement> scored, int limit)
    {
        var all = scored.Where(s => s.Seen > 0).ToList();
        var significant = all.Where(s => s.Significant).OrderByDescending(s => s.Metric).ThenBy(s => s.StatementId).Take(limit).ToList();
        if (significant.Count == 0)
        {
            return all.OrderByDescending(s => s.RatioZ).ThenBy(s => s.StatementId).Take(1).ToList();
        }

        return [.. significant.Where(s => s.Leaning == Leaning.Agree), .. significant.Where(s => s.Leaning == Leaning.Disagree)];
    }
}
