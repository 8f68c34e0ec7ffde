namespace OpenGov.Dialogue.Opinion;

/// <summary>One cluster: a stable id, its centre and its total weight (members, or participants behind base clusters).</summary>
public sealed record ClusterCentre(int Id, Point2 Centre, double Weight);

/// <summary>A clustering of keyed points: the clusters and, per input point, the index of its cluster.</summary>
public sealed record Clustering(IReadOnlyList<ClusterCentre> Clusters, int[] Assignment)
{
    public static Clustering Empty { get; } = new([], []);

    /// <summary>Weighted sum of squared distances from each point to its cluster centre.</summary>
    public double Inertia(IReadOnlyList<Point2> points, IReadOnlyList<double>? weights)
    {
        var total = 0.0;
        for (var i = 0; i < points.Count; i++)
        {
            total += (weights?[i] ?? 1.0) * points[i].SquaredDistanceTo(Clusters[Assignment[i]].Centre);
        }

        return total;
    }

    /// <summary>Point key → cluster id, the form a later run warm-starts from.</summary>
    public Dictionary<int, int> ToMembership(IReadOnlyList<int> keys)
    {
        var membership = new Dictionary<int, int>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            membership[keys[i]] = Clusters[Assignment[i]].Id;
        }

        return membership;
    }
}

/// <summary>
/// Weighted k-means in 2-D, started the way Pol.is starts it: from the first k distinct points when
/// there is no history, otherwise from the previous clusters re-centred on their members' new
/// positions, so ids carry over and groups move smoothly as votes arrive.
/// </summary>
public static class WeightedKMeans
{
    private const double SameCentreTolerance = 0.01;

    public static Clustering Run(
        IReadOnlyList<Point2> points,
        IReadOnlyList<int> keys,
        IReadOnlyList<double>? weights,
        int k,
        IReadOnlyDictionary<int, int>? previous,
        int maxIterations)
    {
        if (points.Count == 0 || k <= 0)
        {
            return Clustering.Empty;
        }

        var centres = previous is { Count: > 0 }
            ? WarmStart(points, keys, weights, k, previous)
            : FirstDistinct(points, k);
        return Iterate(points, weights, centres, maxIterations);
    }

    /// <summary>
    /// Like <see cref="Run"/>, then also from <paramref name="restarts"/> seeded k-means++ starts, keeping
    /// the warm-started result unless another start lowers the inertia by more than 1 % (so that ids
    /// and members do not churn for a negligible gain).
    /// </summary>
    public static Clustering RunWithRestarts(
        IReadOnlyList<Point2> points,
        IReadOnlyList<int> keys,
        IReadOnlyList<double>? weights,
        int k,
        IReadOnlyDictionary<int, int>? previous,
        int maxIterations,
        int restarts)
    {
        var best = Run(points, keys, weights, k, previous, maxIterations);
        if (points.Count <= k)
        {
            return best;
        }

        var bestInertia = best.Inertia(points, weights);
        var random = new Random(17);
        for (var r = 0; r < restarts; r++)
        {
            var candidate = Iterate(points, weights, PlusPlus(points, weights, k, random), maxIterations);
            var inertia = candidate.Inertia(points, weights);
            if (inertia < bestInertia * 0.99)
            {
                best = candidate;
                bestInertia = inertia;
            }
        }

        return best;
    }

    private static Clustering Iterate(IReadOnlyList<Point2> points, IReadOnlyList<double>? weights, List<ClusterCentre> centres, int maxIterations)
    {
        var assignment = new int[points.Count];
        for (var iteration = 0; iteration <= maxIterations; iteration++)
        {
            var next = Step(points, weights, centres, assignment);
            var converged = next.Count == centres.Count
                && next.All(c => centres.First(o => o.Id == c.Id).Centre.DistanceTo(c.Centre) < SameCentreTolerance);
            centres = next;
            if (converged)
            {
                break;
            }
        }

        // The last step may have dropped an empty cluster: assign once more against the final centres.
        AssignNearest(points, centres, assignment);
        return new Clustering(centres, assignment);
    }

    private static List<ClusterCentre> Step(IReadOnlyList<Point2> points, IReadOnlyList<double>? weights, List<ClusterCentre> centres, int[] assignment)
    {
        AssignNearest(points, centres, assignment);
        var sumX = new double[centres.Count];
        var sumY = new double[centres.Count];
        var sumW = new double[centres.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var w = weights?[i] ?? 1.0;
            var c = assignment[i];
            sumX[c] += w * points[i].X;
            sumY[c] += w * points[i].Y;
            sumW[c] += w;
        }

        var next = new List<ClusterCentre>(centres.Count);
        for (var c = 0; c < centres.Count; c++)
        {
            if (sumW[c] > 0)
            {
                next.Add(new ClusterCentre(centres[c].Id, new Point2(sumX[c] / sumW[c], sumY[c] / sumW[c]), sumW[c]));
            }
        }

        return next;
    }

    private static void AssignNearest(IReadOnlyList<Point2> points, IReadOnlyList<ClusterCentre> centres, int[] assignment)
    {
        for (var i = 0; i < points.Count; i++)
        {
            assignment[i] = Nearest(points[i], centres);
        }
    }

    public static int Nearest(Point2 point, IReadOnlyList<ClusterCentre> centres)
    {
        var best = 0;
        var bestDistance = double.MaxValue;
        for (var c = 0; c < centres.Count; c++)
        {
            var d = point.SquaredDistanceTo(centres[c].Centre);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        return best;
    }

    /// <summary>k-means++ seeding: each next centre drawn with probability ∝ weight × squared distance to the nearest chosen one.</summary>
    private static List<ClusterCentre> PlusPlus(IReadOnlyList<Point2> points, IReadOnlyList<double>? weights, int k, Random random)
    {
        var centres = new List<ClusterCentre> { new(0, points[random.Next(points.Count)], 0) };
        var distances = new double[points.Count];
        while (centres.Count < k)
        {
            var total = 0.0;
            for (var i = 0; i < points.Count; i++)
            {
                distances[i] = (weights?[i] ?? 1.0) * points[i].SquaredDistanceTo(centres[Nearest(points[i], centres)].Centre);
                total += distances[i];
            }

            if (total <= 0)
            {
                break;
            }

            var target = random.NextDouble() * total;
            var chosen = points.Count - 1;
            for (var i = 0; i < points.Count; i++)
            {
                target -= distances[i];
                if (target <= 0)
                {
                    chosen = i;
                    break;
                }
            }

            centres.Add(new ClusterCentre(centres.Count, points[chosen], 0));
        }

        return centres;
    }

    private static List<ClusterCentre> FirstDistinct(IReadOnlyList<Point2> points, int k)
    {
        var seen = new HashSet<Point2>();
        var centres = new List<ClusterCentre>(k);
        foreach (var point in points)
        {
            if (centres.Count == k)
            {
                break;
            }

            if (seen.Add(point))
            {
                centres.Add(new ClusterCentre(centres.Count, point, 0));
            }
        }

        return centres;
    }

    /// <summary>
    /// Re-centre the previous clusters on their members' current positions, merge clusters that
    /// landed on the same spot, then, while fewer clusters than k (and than distinct points) remain,
    /// split off the point farthest from every centre as a cluster of its own.
    /// </summary>
    private static List<ClusterCentre> WarmStart(
        IReadOnlyList<Point2> points,
        IReadOnlyList<int> keys,
        IReadOnlyList<double>? weights,
        int k,
        IReadOnlyDictionary<int, int> previous)
    {
        var members = new Dictionary<int, List<int>>();
        for (var i = 0; i < points.Count; i++)
        {
            if (previous.TryGetValue(keys[i], out var id))
            {
                if (!members.TryGetValue(id, out var list))
                {
                    members[id] = list = [];
                }

                list.Add(i);
            }
        }

        if (members.Count == 0)
        {
            return FirstDistinct(points, k);
        }

        var clusters = new List<(int Id, List<int> Members)>();
        var byCentre = new Dictionary<Point2, int>();
        foreach (var (id, list) in members.OrderBy(m => m.Key))
        {
            var centre = Mean(points, weights, list);
            if (byCentre.TryGetValue(centre, out var existing))
            {
                var other = clusters[existing];
                var keepId = other.Members.Count >= list.Count ? other.Id : id;
                other.Members.AddRange(list);
                clusters[existing] = (keepId, other.Members);
            }
            else
            {
                byCentre[centre] = clusters.Count;
                clusters.Add((id, list));
            }
        }

        var possible = Math.Min(k, points.Distinct().Count());
        var centres = clusters.Select(c => new ClusterCentre(c.Id, Mean(points, weights, c.Members), 0)).ToList();
        var memberOf = new int[points.Count];
        Array.Fill(memberOf, -1);
        for (var c = 0; c < clusters.Count; c++)
        {
            foreach (var i in clusters[c].Members)
            {
                memberOf[i] = c;
            }
        }

        while (centres.Count < possible)
        {
            var farthest = -1;
            var farthestDistance = 0.0;
            for (var i = 0; i < points.Count; i++)
            {
                var d = points[i].SquaredDistanceTo(centres[Nearest(points[i], centres)].Centre);
                if (d > farthestDistance)
                {
                    farthestDistance = d;
                    farthest = i;
                }
            }

            if (farthest < 0)
            {
                break;
            }

            var from = memberOf[farthest];
            if (from >= 0)
            {
                clusters[from].Members.Remove(farthest);
            }

            memberOf[farthest] = clusters.Count;
            clusters.Add((centres.Max(c => c.Id) + 1, [farthest]));
            centres = [.. clusters.Where(c => c.Members.Count > 0).Select(c => new ClusterCentre(c.Id, Mean(points, weights, c.Members), 0))];
            if (from >= 0 && clusters[from].Members.Count == 0)
            {
                // The split emptied a cluster: rebuild the member index without it.
                clusters.RemoveAt(from);
                for (var c = 0; c < clusters.Count; c++)
                {
                    foreach (var i in clusters[c].Members)
                    {
                        memberOf[i] = c;
                    }
                }
            }
        }

        return centres;
    }

    private static Point2 Mean(IReadOnlyList<Point2> points, IReadOnlyList<double>? weights, List<int> members)
    {
        double x = 0, y = 0, w = 0;
        foreach (var i in members)
        {
            var weight = weights?[i] ?? 1.0;
            x += weight * points[i].X;
            y += weight * points[i].Y;
            w += weight;
        }

        return w > 0 ? new Point2(x / w, y / w) : default;
    }
}
