using System.Numerics;
using System.Runtime.InteropServices;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Grouping;

/// <summary>
/// TF-IDF rows of a set of comments and their latent semantic (LSA) coordinates: a randomised truncated
/// SVD of the TF-IDF matrix, so comments that use co-occurring words land near each other even when
/// they share few words. Rows are L2-normalised for cosine k-means.
/// </summary>
internal sealed class LatentSemanticSpace
{
    private LatentSemanticSpace(string[] vocabulary, int[] rowStart, int[] columns, float[] values, float[][] coordinates, float[] idf, float[][] wordVectors)
    {
        Vocabulary = vocabulary;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
        Coordinates = coordinates;
        Idf = idf;
        WordVectors = wordVectors;
    }

    public string[] Vocabulary { get; }

    /// <summary>Inverse document frequency per vocabulary word (the TF-IDF weight of one occurrence).</summary>
    public float[] Idf { get; }

    /// <summary>
    /// A vector per word (the most frequent words only; the rest have none) such that a comment's
    /// coordinates are its TF-IDF-weighted sum, normalised: a comment outside the set can be placed in the same space.
    /// </summary>
    public float[][] WordVectors { get; }

    /// <summary>CSR TF-IDF matrix, one row per comment.</summary>
    public int[] RowStart { get; }

    public int[] Columns { get; }

    public float[] Values { get; }

    /// <summary>Unit-length LSA coordinates per comment (all zeros for a comment with no known word).</summary>
    public float[][] Coordinates { get; }

    public static LatentSemanticSpace Build(IReadOnlyList<string> texts, int dimensions, int maxVocabulary, int minDocumentFrequency, int seed, bool coOccurrence = false, ParallelOptions? parallel = null)
    {
        parallel ??= new ParallelOptions();
        var normalizer = TextNormalizer.ForTopics;
        var tokenized = new List<string>[texts.Count];

        // Tokenising dominates at 100k comments and the normaliser is thread-safe.
        Parallel.For(0, texts.Count, parallel, i => tokenized[i] = normalizer.Tokenize(texts[i]));
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < texts.Count; i++)
        {
            seen.Clear();
            foreach (var token in tokenized[i])
            {
                if (seen.Add(token))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(documentFrequency, token, out _)++;
                }
            }
        }

        // Words in most comments say nothing about a concern; words in one comment cannot link two.
        var maxDf = Math.Max(minDocumentFrequency, (int)(texts.Count * 0.5));
        var vocabulary = documentFrequency
            .Where(p => p.Value >= minDocumentFrequency && p.Value <= maxDf && p.Key != TextNormalizer.NumberToken)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(maxVocabulary)
            .Select(p => p.Key)
            .ToArray();
        var columnOf = vocabulary.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal);
        var idf = vocabulary.Select(w => (float)(Math.Log((1.0 + texts.Count) / (1 + documentFrequency[w])) + 1)).ToArray();

        var rowStart = new int[texts.Count + 1];
        var columns = new List<int>();
        var values = new List<float>();
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < texts.Count; i++)
        {
            counts.Clear();
            foreach (var token in tokenized[i])
            {
                if (columnOf.TryGetValue(token, out var column))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(counts, column, out _)++;
                }
            }

            var start = values.Count;
            foreach (var (column, count) in counts.OrderBy(c => c.Key))
            {
                columns.Add(column);
                values.Add((1 + MathF.Log(count)) * idf[column]);
            }

            var squares = 0f;
            for (var v = start; v < values.Count; v++)
            {
                squares += values[v] * values[v];
            }

            var norm = MathF.Sqrt(squares);
            for (var v = start; v < values.Count; v++)
            {
                values[v] /= norm;
            }

            rowStart[i + 1] = values.Count;
        }

        var space = new LatentSemanticSpace(vocabulary, rowStart, columns.ToArray(), values.ToArray(), [], idf, []);
        var rank = Math.Max(1, Math.Min(dimensions, Math.Min(texts.Count, vocabulary.Length) - 1));
        float[][] coordinates;
        float[][] wordVectors;
        if (coOccurrence)
        {
            wordVectors = CoOccurrenceVectors(tokenized, columnOf, vocabulary.Length, rank, seed);
            coordinates = space.AverageWordVectors(wordVectors, parallel);
        }
        else
        {
            coordinates = space.Project(rank, seed, sigmaPower: 1, foldIn: true, out wordVectors);
        }

        return new LatentSemanticSpace(vocabulary, rowStart, space.Columns, space.Values, coordinates, idf, wordVectors);
    }

    /// <summary>
    /// Word vectors from co-occurrence: positive PMI of words within four tokens of each other
    /// (context counts smoothed with exponent 0.75), reduced by the same randomised SVD.
    /// </summary>
    private static float[][] CoOccurrenceVectors(List<string>[] tokenized, Dictionary<string, int> columnOf, int vocabularySize, int rank, int seed)
    {
        const int Window = 4;

        // Co-occurrence statistics settle long before 100k comments: count pairs in an even sample,
        // and give vectors to the most frequent words only (the vocabulary is ordered by frequency).
        const int MaxSampledComments = 30_000;
        const int MaxWordsWithVectors = 12_000;
        vocabularySize = Math.Min(vocabularySize, MaxWordsWithVectors);
        var stride = Math.Max(1, (tokenized.Length + MaxSampledComments - 1) / MaxSampledComments);
        var pairs = new Dictionary<long, float>();
        var wordCounts = new double[vocabularySize];
        var ids = new List<int>();
        for (var doc = 0; doc < tokenized.Length; doc += stride)
        {
            ids.Clear();
            foreach (var token in tokenized[doc])
            {
                if (columnOf.TryGetValue(token, out var id) && id < vocabularySize)
                {
                    ids.Add(id);
                }
            }

            for (var a = 0; a < ids.Count; a++)
            {
                for (var b = a + 1; b < Math.Min(ids.Count, a + 1 + Window); b++)
                {
                    if (ids[a] == ids[b])
                    {
                        continue;
                    }

                    // word·V + context, not a shifted pair: long.GetHashCode folds the halves together
                    // with XOR, which would put every (a, b) and (b, a) in one bucket.
                    CollectionsMarshal.GetValueRefOrAddDefault(pairs, (long)ids[a] * vocabularySize + ids[b], out _) += 1;
                    CollectionsMarshal.GetValueRefOrAddDefault(pairs, (long)ids[b] * vocabularySize + ids[a], out _) += 1;
                    wordCounts[ids[a]]++;
                    wordCounts[ids[b]]++;
                }
            }
        }

        var total = wordCounts.Sum();
        var contextTotal = wordCounts.Sum(c => Math.Pow(c, 0.75));
        var rows = new List<(int Column, float Value)>[vocabularySize];
        for (var w = 0; w < vocabularySize; w++)
        {
            rows[w] = [];
        }

        foreach (var (key, count) in pairs)
        {
            var w = (int)(key / vocabularySize);
            var c = (int)(key % vocabularySize);
            var pmi = Math.Log(count / total / (wordCounts[w] / total * (Math.Pow(wordCounts[c], 0.75) / contextTotal)));
            if (pmi > 0)
            {
                rows[w].Add((c, (float)pmi));
            }
        }

        var rowStart = new int[vocabularySize + 1];
        var columns = new List<int>();
        var values = new List<float>();
        for (var w = 0; w < vocabularySize; w++)
        {
            foreach (var (column, value) in rows[w].OrderBy(r => r.Column))
            {
                columns.Add(column);
                values.Add(value);
            }

            rowStart[w + 1] = values.Count;
        }

        var matrix = new LatentSemanticSpace(new string[vocabularySize], rowStart, columns.ToArray(), values.ToArray(), [], [], []);
        return matrix.Project(Math.Min(rank, Math.Max(1, vocabularySize - 1)), seed, sigmaPower: 0.5, foldIn: false, out _);
    }

    /// <summary>Each comment as the TF-IDF-weighted mean of its words' vectors, unit length.</summary>
    private float[][] AverageWordVectors(float[][] wordVectors, ParallelOptions parallel)
    {
        var n = RowStart.Length - 1;
        var dimensions = wordVectors.Length == 0 ? 0 : wordVectors[0].Length;
        var result = new float[n][];
        Parallel.For(0, n, parallel, i =>
        {
            var point = new float[dimensions];
            for (var p = RowStart[i]; p < RowStart[i + 1]; p++)
            {
                if (Columns[p] < wordVectors.Length)
                {
                    VectorMath.AddScaled(point, wordVectors[Columns[p]], Values[p]);
                }
            }

            VectorMath.Normalize(point);
            result[i] = point;
        });

        return result;
    }

    /// <summary>
    /// Randomised SVD (Halko, Martinsson and Tropp): a random sketch of the column space, two power
    /// iterations, then the small eigenproblem; returns U·Σ rows normalised to unit length. With
    /// <paramref name="foldIn"/> (and σ power 1) also the column vectors V, one per vocabulary word, with
    /// A·V = U·Σ, so a new row r folds in as r·V.
    /// </summary>
    private float[][] Project(int rank, int seed, double sigmaPower, bool foldIn, out float[][] columnVectors)
    {
        var n = RowStart.Length - 1;
        var vocabularySize = Vocabulary.Length;
        var width = Math.Min(rank + 10, Math.Max(1, Math.Min(n, vocabularySize)));
        var random = new Random(seed);
        if (vocabularySize == 0)
        {
            columnVectors = [];
            return Enumerable.Range(0, n).Select(_ => new float[rank]).ToArray();
        }

        var omega = new float[vocabularySize * width];
        for (var i = 0; i < omega.Length; i++)
        {
            omega[i] = (float)Gaussian(random);
        }

        var y = MultiplyA(omega, width);
        for (var iteration = 0; iteration < 2; iteration++)
        {
            Orthonormalize(y, n, width);
            var z = MultiplyATranspose(y, width);
            Orthonormalize(z, vocabularySize, width);
            y = MultiplyA(z, width);
        }

        Orthonormalize(y, n, width);
        var b = MultiplyATranspose(y, width);

        // BᵀB is width×width: its eigenvectors rotate Q onto the left singular vectors.
        var gram = new double[width, width];
        for (var row = 0; row < vocabularySize; row++)
        {
            var offset = row * width;
            for (var a = 0; a < width; a++)
            {
                var va = b[offset + a];
                if (va == 0)
                {
                    continue;
                }

                for (var c = 0; c <= a; c++)
                {
                    gram[a, c] += va * b[offset + c];
                }
            }
        }

        for (var a = 0; a < width; a++)
        {
            for (var c = 0; c < a; c++)
            {
                gram[c, a] = gram[a, c];
            }
        }

        var (eigenvalues, eigenvectors) = SymmetricEigen.Decompose(gram);
        var order = Enumerable.Range(0, width).OrderByDescending(i => eigenvalues[i]).Take(rank).ToArray();
        var coordinates = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var point = new float[rank];
            var offset = i * width;
            for (var d = 0; d < rank; d++)
            {
                var e = order[d];
                var sigma = Math.Pow(Math.Max(0, eigenvalues[e]), sigmaPower / 2);
                double sum = 0;
                for (var a = 0; a < width; a++)
                {
                    sum += y[offset + a] * eigenvectors[a, e];
                }

                point[d] = (float)(sum * sigma);
            }

            VectorMath.Normalize(point);
            coordinates[i] = point;
        }

        // V = Bᵀ·W·Σ⁻¹ (B = QᵀA, W the eigenvectors of B·Bᵀ).
        columnVectors = new float[foldIn ? vocabularySize : 0][];
        for (var t = 0; t < columnVectors.Length; t++)
        {
            var vector = new float[rank];
            var offset = t * width;
            for (var d = 0; d < rank; d++)
            {
                var e = order[d];
                var sigma = Math.Sqrt(Math.Max(0, eigenvalues[e]));
                double sum = 0;
                for (var a = 0; a < width; a++)
                {
                    sum += b[offset + a] * eigenvectors[a, e];
                }

                vector[d] = sigma > 0 ? (float)(sum / sigma) : 0;
            }

            columnVectors[t] = vector;
        }

        return coordinates;
    }

    /// <summary>A·M for a row-major vocabulary×width matrix M; result is row-major n×width.</summary>
    private float[] MultiplyA(float[] m, int width)
    {
        var n = RowStart.Length - 1;
        var result = new float[n * width];
        for (var i = 0; i < n; i++)
        {
            var target = result.AsSpan(i * width, width);
            for (var p = RowStart[i]; p < RowStart[i + 1]; p++)
            {
                VectorMath.AddScaled(target, m.AsSpan(Columns[p] * width, width), Values[p]);
            }
        }

        return result;
    }

    /// <summary>Aᵀ·Y for a row-major n×width matrix Y; result is row-major vocabulary×width.</summary>
    private float[] MultiplyATranspose(float[] y, int width)
    {
        var n = RowStart.Length - 1;
        var result = new float[Vocabulary.Length * width];
        for (var i = 0; i < n; i++)
        {
            var source = y.AsSpan(i * width, width);
            for (var p = RowStart[i]; p < RowStart[i + 1]; p++)
            {
                VectorMath.AddScaled(result.AsSpan(Columns[p] * width, width), source, Values[p]);
            }
        }

        return result;
    }

    /// <summary>Orthonormal columns by Cholesky QR, done twice for accuracy (CholeskyQR2).</summary>
    private static void Orthonormalize(float[] matrix, int rows, int width)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            var gram = new double[width, width];
            for (var r = 0; r < rows; r++)
            {
                var offset = r * width;
                for (var a = 0; a < width; a++)
                {
                    var va = matrix[offset + a];
                    if (va == 0)
                    {
                        continue;
                    }

                    for (var c = 0; c <= a; c++)
                    {
                        gram[a, c] += va * matrix[offset + c];
                    }
                }
            }

            // Cholesky G = L·Lᵀ with a small ridge so rank-deficient sketches do not break it.
            var trace = 0.0;
            for (var a = 0; a < width; a++)
            {
                trace += gram[a, a];
            }

            var lower = new double[width, width];
            for (var a = 0; a < width; a++)
            {
                for (var c = 0; c <= a; c++)
                {
                    var sum = gram[a, c];
                    for (var k = 0; k < c; k++)
                    {
                        sum -= lower[a, k] * lower[c, k];
                    }

                    lower[a, c] = a == c ? Math.Sqrt(Math.Max(sum, 0) + 1e-10 * (trace / width + 1e-12)) : sum / lower[c, c];
                }
            }

            // Row r of Q solves L·q = y_r.
            var q = new double[width];
            for (var r = 0; r < rows; r++)
            {
                var offset = r * width;
                for (var a = 0; a < width; a++)
                {
                    var sum = (double)matrix[offset + a];
                    for (var k = 0; k < a; k++)
                    {
                        sum -= lower[a, k] * q[k];
                    }

                    q[a] = sum / lower[a, a];
                }

                for (var a = 0; a < width; a++)
                {
                    matrix[offset + a] = (float)q[a];
                }
            }
        }
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>Small dense vector operations on spans, SIMD where the hardware has it.</summary>
internal static class VectorMath
{
    public static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float scale)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<float>(scale);
            for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(target[i..]) + new Vector<float>(source[i..]) * factor).CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] += source[i] * scale;
        }
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var accumulator = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                accumulator += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
            }

            sum = Vector.Sum(accumulator);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    public static void Normalize(Span<float> vector)
    {
        var norm = MathF.Sqrt(Dot(vector, vector));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }
    }
}

/// <summary>Cyclic Jacobi eigen-decomposition of a small symmetric matrix.</summary>
internal static class SymmetricEigen
{
    public static (double[] Values, double[,] Vectors) Decompose(double[,] symmetric)
    {
        var n = symmetric.GetLength(0);
        var a = (double[,])symmetric.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (var sweep = 0; sweep < 60; sweep++)
        {
            var offDiagonal = 0.0;
            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    offDiagonal += a[p, q] * a[p, q];
                }
            }

            if (offDiagonal < 1e-22)
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
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k, p];
                        var vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }

        return (values, v);
    }
}
