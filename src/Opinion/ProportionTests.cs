namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// The z-tests Pol.is uses to decide whether a group really leans one way (both with +1 pseudo-counts,
/// so empty groups do not divide by zero).
/// </summary>
public static class ProportionTests
{
    /// <summary>One-sided 90 % critical value of the standard normal.</summary>
    public const double Significant90 = 1.2816;

    /// <summary>z for "the share of successes is above one half".</summary>
    public static double OneProportion(int successes, int trials)
    {
        double s = successes + 1, n = trials + 1;
        return 2 * Math.Sqrt(n) * ((s / n) - 0.5);
    }

    /// <summary>z for "the share in the group is above the share in the rest".</summary>
    public static double TwoProportion(int successesIn, int successesOut, int trialsIn, int trialsOut)
    {
        double s1 = successesIn + 1, s2 = successesOut + 1, n1 = trialsIn + 1, n2 = trialsOut + 1;
        var p1 = s1 / n1;
        var p2 = s2 / n2;
        var pooled = (s1 + s2) / (n1 + n2);
        if (pooled >= 1)
        {
            return 0;
        }

        return (p1 - p2) / Math.Sqrt(pooled * (1 - pooled) * ((1 / n1) + (1 / n2)));
    }

    public static bool IsSignificant(double z) => z > Significant90;
}
