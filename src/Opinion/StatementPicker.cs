namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// Which statement to show a participant next, by Pol.is's priority: statements that people do not
/// pass on, that sit far out on the opinion map (they split the groups) and that people agree with
/// score high, and statements with few votes get a boost that fades after a few dozen votes.
/// </summary>
public static class StatementPicker
{
    public static double Priority(StatementTally tally, double extremity)
    {
        var seen = tally.Seen;
        var passRate = (tally.Passes + 1.0) / (seen + 2.0);
        var agreeRate = (tally.Agrees + 1.0) / (seen + 2.0);
        var importance = (1 - passRate) * (extremity + 1) * agreeRate;
        var novelty = 1 + (8 * Math.Pow(2, -seen / 5.0));
        var priority = importance * novelty;
        return priority * priority;
    }

    /// <summary>
    /// Draws among the candidates in proportion to their priority, so that the most useful
    /// statements come first but every statement keeps a chance of being seen.
    /// </summary>
    public static long? Pick(IReadOnlyList<(long StatementId, double Priority)> candidates, Random random)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        var total = candidates.Sum(c => c.Priority);
        if (total <= 0)
        {
            return candidates[random.Next(candidates.Count)].StatementId;
        }

        var target = random.NextDouble() * total;
        foreach (var (id, priority) in candidates)
        {
            target -= priority;
            if (target <= 0)
            {
                return id;
            }
        }

        return candidates[^1].StatementId;
    }
}
