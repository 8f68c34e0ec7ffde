namespace OpenGov.Dialogue.Analysis.Data;

/// <summary>
/// Leave-one-group-out cross-validation (e.g. one Pol.is conversation per fold): every row of a group
/// gets the same fold, and the groups are numbered 0 … G − 1 in order of first appearance, so the
/// assignment is deterministic and a group is never split between training and test.
/// </summary>
public static class LeaveOneGroupOut
{
    /// <summary>Fold of each row, in row order: the index of its group among the distinct groups seen so far.</summary>
    public static int[] Assign(IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var folds = new int[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            if (!index.TryGetValue(groups[i], out var fold))
            {
                fold = index.Count;
                index[groups[i]] = fold;
            }

            folds[i] = fold;
        }

        if (index.Count < 2)
        {
            throw new ArgumentException($"leave-one-group-out needs at least 2 groups, got {index.Count}", nameof(groups));
        }

        return folds;
    }
}
