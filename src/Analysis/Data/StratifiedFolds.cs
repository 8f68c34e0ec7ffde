namespace OpenGov.Dialogue.Analysis.Data;

/// <summary>
/// Deterministic stratified k-fold assignment for cross-validation. Identical texts form one group and
/// always land in the same fold (so a validation text is never also a training text); groups are
/// stratified by their most common label. Within each label the groups are shuffled with a seeded
/// <see cref="Random"/> and each goes to the fold that holds the fewest rows of that label so far,
/// so per-label counts differ by at most one between folds when there are no duplicate texts.
/// </summary>
public static class StratifiedFolds
{
    /// <summary>Fold (0 … <paramref name="folds"/> − 1) of each row, in row order.</summary>
    public static int[] Assign(IReadOnlyList<string> texts, IReadOnlyList<string> labels, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        if (texts.Count != labels.Count)
        {
            throw new ArgumentException($"{texts.Count} texts but {labels.Count} labels");
        }

        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "cross-validation needs at least 2 folds");
        }

        // Rows grouped by identical text, in order of first appearance.
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var groups = new List<List<int>>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (!groupOf.TryGetValue(texts[i], out var g))
            {
                g = groups.Count;
                groupOf[texts[i]] = g;
                groups.Add([]);
            }

            groups[g].Add(i);
        }

        // Each group's label: its most common one (ties: ordinal order).
        var groupLabel = groups.Select(rows => rows
            .GroupBy(r => labels[r], StringComparer.Ordinal)
            .OrderByDescending(l => l.Count())
            .ThenBy(l => l.Key, StringComparer.Ordinal)
            .First().Key).ToArray();

        var assignment = new int[texts.Count];
        var random = new Random(seed);
        foreach (var stratum in Enumerable.Range(0, groups.Count).GroupBy(g => groupLabel[g], StringComparer.Ordinal).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            // Fisher–Yates over the stratum's groups; larger groups placed first so they balance out.
            var order = stratum.ToArray();
            for (var i = order.Length - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            var placed = order.OrderByDescending(g => groups[g].Count).ToArray(); // stable: equal sizes keep the shuffle
            var filled = new int[folds];

            // Rotate the starting fold per stratum so small strata do not all pile into fold 0.
            var offset = random.Next(folds);
            foreach (var g in placed)
            {
                var best = -1;
                for (var k = 0; k < folds; k++)
                {
                    var fold = (k + offset) % folds;
                    if (best < 0 || filled[fold] < filled[best])
                    {
                        best = fold;
                    }
                }

                filled[best] += groups[g].Count;
                foreach (var row in groups[g])
                {
                    assignment[row] = best;
                }
            }
        }

        return assignment;
    }

    /// <summary>Mean and sample standard deviation (n − 1), as the cross-validation summaries print them.</summary>
    public static (double Mean, double Sd) MeanAndSd(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return (double.NaN, double.NaN);
        }

        var mean = values.Average();
        var sd = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return (mean, sd);
    }
}
