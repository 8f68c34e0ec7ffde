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
        var (component1, component2) = TopTwoComponents(centred, previous, active, maxIterations);
        OrientLike(component1, previous?.Component1);
        OrientLike(component2, previous?.Component2);
        return new PcaBasis(active, center, component1, component2, counted, moderatedOut);
    }

    /// <summary>
    /// The two leading eigenvectors of XᵀX by subspace iteration: a block of four vectors is
    /// multiplied by XᵀX in one sweep over the votes, rotated onto its Ritz vectors and
    /// re-orthonormalised, until the top two stop moving. Pol.is uses plain power iteration with
    /// deflation; the block converges to the same directions but much faster when the leading
    /// eigenvalues are close (several camps of similar size), which keeps a full recompute under a second.
    /// </summary>
    internal static (double[] First, double[] Second) TopTwoComponents(CentredRows rows, PcaBasis? previous, bool[] active, int maxIterations)
    {
        var columns = active.Length;
        var block = Math.Min(BlockSize, Math.Max(active.Count(a => a), 1));
        var vectors = new double[block][];
        vectors[0] = StartVector(previous?.Component1, columns, active, seed: 1);
        for (var j = 1; j < block; j++)
        {
            vectors[j] = StartVector(j == 1 ? previous?.Component2 : null, columns, active, seed: j + 1);
        }

        Orthonormalise(vectors);
        var products = Enumerable.Range(0, block).Select(_ => new double[columns]).ToArray();
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            rows.MultiplyGram(vectors, products);
            var rotation = RitzRotation(vectors, products);
            var next = Rotate(products, rotation);
            Orthonormalise(next);
            var converged = Math.Abs(Dot(next[0], vectors[0])) > 1 - 1e-10
                && (block < 2 || Math.Abs(Dot(next[1], vectors[1])) > 1 - 1e-10);
            vectors = next;
            if (converged)
            {
                break;
            }
        }

        return (vectors[0], block > 1 ? vectors[1] : new double[columns]);
    }

    private const int BlockSize = 4;

    /// <summary>Eigenvectors (columns, by descending eigenvalue) of the small matrix Vᵀ(XᵀX)V.</summary>
    private static double[,] RitzRotation(double[][] vectors, double[][] products)
    {
        var b = vectors.Length;
        var small = new double[b, b];
        for (var i = 0; i < b; i++)
        {
            for (var j = 0; j < b; j++)
            {
                small[i, j] = Dot(vectors[i], products[j]);
            }
        }

        return SymmetricEigenvectors(small);
    }

    private static double[][] Rotate(double[][] products, double[,] rotation)
    {
        var b = products.Length;
        var columns = products[0].Length;
        var result = new double[b][];
        for (var j = 0; j < b; j++)
        {
            result[j] = new double[columns];
            for (var i = 0; i < b; i++)
            {
                var weight = rotation[i, j];
                if (weight == 0)
                {
                    continue;
                }

                for (var c = 0; c < columns; c++)
                {
                    result[j][c] += weight * products[i][c];
                }
            }
        }

        return result;
    }

    /// <summary>Cyclic Jacobi rotations for a small symmetric matrix; eigenvector columns sorted by eigenvalue, largest first.</summary>
    internal static double[,] SymmetricEigenvectors(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (var sweep = 0; sweep < 50; sweep++)
        {
            var off = 0.0;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    off += a[p, q] * a[p, q];
                }
            }

            if (off < 1e-30)
            {
                break;
            }

            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    var cos = 1 / Math.Sqrt((t * t) + 1);
                    var sin = t * cos;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = (cos * akp) - (sin * akq);
                        a[k, q] = (sin * akp) + (cos * akq);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = (cos * apk) - (sin * aqk);
                        a[q, k] = (sin * apk) + (cos * aqk);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k, p];
                        var vkq = v[k, q];
                        v[k, p] = (cos * vkp) - (sin * vkq);
                        v[k, q] = (sin * vkp) + (cos * vkq);
                    }
                }
            }
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ToArray();
        var sorted = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            for (var k = 0; k < n; k++)
            {
                sorted[k, j] = v[k, order[j]];
            }
        }

        return sorted;
    }

    /// <summary>Modified Gram-Schmidt; a vector that collapses to zero is replaced by a fixed pseudo-random one.</summary>
    private static void Orthonormalise(double[][] vectors)
    {
        for (var j = 0; j < vectors.Length; j++)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                for (var i = 0; i < j; i++)
                {
                    var dot = Dot(vectors[i], vectors[j]);
                    for (var c = 0; c < vectors[j].Length; c++)
                    {
                        vectors[j][c] -= dot * vectors[i][c];
                    }
                }

                if (Normalise(vectors[j]) > 1e-12)
                {
                    break;
                }

                var random = new Random(100 + j + attempt);
                for (var c = 0; c < vectors[j].Length; c++)
                {
                    vectors[j][c] = random.NextDouble() - 0.5;
                }
            }
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
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

    /// <summary>results[j] = Xᵀ(X vectors[j]) for the whole block, in one sweep over the rows.</summary>
    public void MultiplyGram(double[][] vectors, double[][] results)
    {
        var block = vectors.Length;
        foreach (var result in results)
        {
            Array.Clear(result);
        }

        Span<double> dots = stackalloc double[block];
        for (var r = 0; r + 1 < _rowStart.Length; r++)
        {
            var from = _rowStart[r];
            var to = _rowStart[r + 1];
            if (from == to)
            {
                continue;
            }

            for (var j = 0; j < block; j++)
            {
                var vector = vectors[j];
                var dot = 0.0;
                for (var i = from; i < to; i++)
                {
                    dot += _values[i] * vector[_columns[i]];
                }

                dots[j] = dot;
            }

            for (var j = 0; j < block; j++)
            {
                var result = results[j];
                var dot = dots[j];
                for (var i = from; i < to; i++)
                {
                    result[_columns[i]] += _values[i] * dot;
                }
            }
        }
    }
}
