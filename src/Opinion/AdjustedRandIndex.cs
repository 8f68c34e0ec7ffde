namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// Agreement between two labelings of the same items, corrected for chance: 1 for identical
/// partitions (whatever the label names), about 0 for unrelated ones.
/// </summary>
public static class AdjustedRandIndex
{
    public static double Compute<TA, TB>(IReadOnlyList<TA> a, IReadOnlyList<TB> b)
        where TA : notnull
        where TB : notnull
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException("Both labelings must cover the same items.", nameof(b));
        }

        var n = a.Count;
        if (n < 2)
        {
            return 1;
        }

        var cells = new Dictionary<(TA, TB), long>();
        var rows = new Dictionary<TA, long>();
        var columns = new Dictionary<TB, long>();
        for (var i = 0; i < n; i++)
        {
            cells[(a[i], b[i])] = cells.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
        }

        static double Pairs(long count) => count * (count - 1) / 2.0;
        var index = cells.Values.Sum(Pairs);
        var rowPairs = rows.Values.Sum(Pairs);
        var columnPairs = columns.Values.Sum(Pairs);
        var expected = rowPairs * columnPairs / Pairs(n);
        var maximum = (rowPairs + columnPairs) / 2;
        return maximum == expected ? 1 : (index - expected) / (maximum - expected);
    }
}
