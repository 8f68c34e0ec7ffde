namespace OpenGov.Dialogue.Opinion;

/// <summary>
/// PCA of the vote matrix with missing votes filled by the statement's mean, as Pol.is does. After
/// centring, a filled cell is exactly zero, so the centred matrix keeps the sparsity of the votes and
/// power iteration runs in O(votes) per step instead of O(participants × statements).
/// </summary>
public static class SparsePca
{
    public static PcaBasis Compute(VoteMatrix matrix, PcaBasis? previous, int maxIterations)
    {
        var columns = matrix.StatementCount;
        var active = new bool[columns];
        var center = new double[columns];
        var counted = 0;
        var moderatedOut = 0;
        for (var c = 0; c < columns; c++)
        {
            var tally = matrix.Tally(c);
            if (tally.Seen == 0)
            {
                continue;
            }

            counted++;
            if (matrix.IsModeratedOut(c))
            {
                moderatedOut++;
                continue;
            }

            active[c] = true;
            center[c] = tally.Sum / (double)tally.Seen;
        }

        var centred = CentredRows.Build(matrix, active, center);
        var start1 = StartVector(previous?.Component1, columns, active, seed: 1);
        var component1 = PowerIteration(centred, start1, deflate: null, maxIterations);
        var start2 = StartVector(previous?.Component2, columns, active, seed: 2);
        var component2 = PowerIteration(centred, start2, deflate: component1, maxIterations);
        OrientLike(component1, previous?.Component1);
        OrientLike(component2, previous?.Component2);
        return new PcaBasis(active, center, component1, component2, counted, moderatedOut);
    }

    /// <summary>
    /// Leading eigenvector of XᵀX (optionally with one direction projected out, for the second
    /// component): repeat v ← XᵀXv / |XᵀXv| until the eigenvalue stops moving.
    /// </summary>
    internal static double[] PowerIteration(CentredRows rows, double[] start, double[]? deflate, int maxIterations)
    {
        var vector = start;
        if (deflate is not null)
        {
            RemoveComponent(vector, deflate);
        }

        Normalise(vector);
        var product = new double[vector.Length];
        var lastEigenvalue = 0.0;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            rows.MultiplyGram(vector, product);
            if (deflate is not null)
            {
                RemoveComponent(product, deflate);
            }

            var eigenvalue = Normalise(product);
            if (eigenvalue == 0)
            {
                return product;
            }

            (vector, product) = (product, vector);
            if (Math.Abs(eigenvalue - lastEigenvalue) <= 1e-12 * eigenvalue)
            {
                break;
            }

            lastEigenvalue = eigenvalue;
        }

        return vector;
    }

    private static double[] StartVector(double[]? previous, int columns, bool[] active, int seed)
    {
        var start = new double[columns];
        if (previous is not null && previous.Any(v => v != 0))
        {
            Array.Copy(previous, start, Math.Min(previous.Length, columns));
        }

        // New statements get a small random weight so that the iteration can discover them.
        var random = new Random(seed);
        for (var c = 0; c < columns; c++)
        {
            if (!active[c])
            {
                start[c] = 0;
            }
            else if (c >= (previous?.Length ?? 0) || start[c] == 0)
            {
                start[c] = random.NextDouble() + 0.01;
            }
        }

        return start;
    }

    private static void RemoveComponent(double[] vector, double[] direction)
    {
        var dot = 0.0;
        for (var i = 0; i < vector.Length; i++)
        {
            dot += vector[i] * direction[i];
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] -= dot * direction[i];
        }
    }

    private static double Normalise(double[] vector)
    {
        var length = Math.Sqrt(vector.Sum(v => v * v));
        if (length == 0)
        {
            return 0;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= length;
        }

        return length;
    }

    // Principal directions have no intrinsic sign; keeping the previous one stops the map from mirroring.
    private static void OrientLike(double[] component, double[]? previous)
    {
        if (previous is null)
        {
            return;
        }

        var dot = 0.0;
        for (var i = 0; i < Math.Min(component.Length, previous.Length); i++)
        {
            dot += component[i] * previous[i];
        }

        if (dot < 0)
        {
            for (var i = 0; i < component.Length; i++)
            {
                component[i] = -component[i];
            }
        }
    }
}

/// <summary>The centred vote matrix in compressed sparse rows: only voted cells of active statements.</summary>
internal sealed class CentredRows
{
    private readonly int[] _rowStart;
    private readonly int[] _columns;
    private readonly double[] _values;

    private CentredRows(int[] rowStart, int[] columns, double[] values)
    {
        _rowStart = rowStart;
        _columns = columns;
        _values = values;
    }

    public static CentredRows Build(VoteMatrix matrix, bool[] active, double[] center)
    {
        var rowStart = new int[matrix.ParticipantCount + 1];
        var columns = new List<int>();
        var values = new List<double>();
        for (var r = 0; r < matrix.ParticipantCount; r++)
        {
            rowStart[r] = columns.Count;
            foreach (var (column, vote) in matrix.Row(r))
            {
                if (!active[column])
                {
                    continue;
                }

                columns.Add(column);
                values.Add(vote - center[column]);
            }
        }

        rowStart[matrix.ParticipantCount] = columns.Count;
        return new CentredRows(rowStart, [.. columns], [.. values]);
    }

    /// <summary>result = Xᵀ(X v), in two sparse passes.</summary>
    public void MultiplyGram(double[] vector, double[] result)
    {
        Array.Clear(result);
        for (var r = 0; r + 1 < _rowStart.Length; r++)
        {
            var dot = 0.0;
            for (var i = _rowStart[r]; i < _rowStart[r + 1]; i++)
            {
                dot += _values[i] * vector[_columns[i]];
            }

            if (dot == 0)
            {
                continue;
            }

            for (var i = _rowStart[r]; i < _rowStart[r + 1]; i++)
            {
                result[_columns[i]] += _values[i] * dot;
            }
        }
    }
}
