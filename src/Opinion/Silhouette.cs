namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// Silhouette of a grouping of base clusters, averaged over base clusters (unweighted, as Pol.is does):
/// (b - a) / max(a, b), with a the mean distance to the other members of its own group and b the
/// smallest mean distance to another group; a base cluster alone in its group scores 0.
/// </summary>
public static class Silhouette
{
    public static double Score(IReadOnlyList<Point2> points, int[] assignment, int groups)
    {
        if (points.Count < 2 || groups < 2)
        {
            return 0;
        }

        var total = 0.0;
        var sums = new double[groups];
        var counts = new int[groups];
        for (var i = 0; i < points.Count; i++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            for (var j = 0; j < points.Count; j++)
            {
                if (i == j)
                {
                    continue;
                }

                sums[assignment[j]] += points[i].DistanceTo(points[j]);
                counts[assignment[j]]++;
            }

            var own = assignment[i];
            if (counts[own] == 0)
            {
                continue;
            }

            var a = sums[own] / counts[own];
            var b = double.MaxValue;
            for (var g = 0; g < groups; g++)
            {
                if (g != own && counts[g] > 0)
                {
                    b = Math.Min(b, sums[g] / counts[g]);
                }
            }

            if (b == double.MaxValue)
            {
                continue;
            }

            var denominator = Math.Max(a, b);
            total += denominator > 0 ? (b - a) / denominator : 0;
        }

        return total / points.Count;
    }
}
