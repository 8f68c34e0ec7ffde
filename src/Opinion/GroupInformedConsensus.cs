namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// A statement is common ground only if every group tends to agree with it: the product over groups
/// of the smoothed agree rate (agrees + 1) / (seen + 2). One group that rejects it pulls it down,
/// however large the others are.
/// </summary>
public static class GroupInformedConsensus
{
    public static double Score(IEnumerable<StatementTally> groupTallies)
    {
        var product = 1.0;
        var any = false;
        foreach (var tally in groupTallies)
        {
            product *= (tally.Agrees + 1.0) / (tally.Seen + 2.0);
            any = true;
        }

        return any ? product : 0;
    }
}
