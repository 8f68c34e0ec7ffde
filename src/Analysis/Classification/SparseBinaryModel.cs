using Microsoft.ML;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>
/// The binary model of <see cref="BinaryClassifierOptions.SparseFeatures"/> (issue #18 §1): the team's own TF-IDF
/// (<see cref="SparseTfidf"/>), SDCA logistic regression on it and SDCA logistic regression on the same features scaled by
/// their naive Bayes log-count ratio (NB-LR), log-odds averaged. The decision threshold that maximises F1 is chosen on
/// out-of-fold scores of the training texts (inner folds, never the texts being scored) and folded into the bias, so
/// probability ≥ 0.5 is the F1 choice. Immutable, thread-safe.
/// </summary>
internal sealed class SparseBinaryModel
{
    private readonly SparseTfidf _features;
    private readonly float[] _weights;
    private readonly double _bias;

    private SparseBinaryModel(SparseTfidf features, float[] weights, double bias, double threshold)
    {
        _features = features;
        _weights = weights;
        _bias = bias;
        Threshold = threshold;
    }

    /// <summary>The log-odds threshold chosen on the inner folds (already subtracted from the bias).</summary>
    public double Threshold { get; }

    public static SparseBinaryModel Train(IReadOnlyList<string> texts, IReadOnlyList<bool> labels, BinaryClassifierOptions options)
    {
        var (features, weights, bias) = Fit(texts, labels, options);
        var threshold = 0.0;
        if (options.ThresholdFolds >= 2)
        {
            var scores = new double[texts.Count];
            var fold = InnerFolds(labels, options.ThresholdFolds, options.Seed);
            for (var f = 0; f < options.ThresholdFolds; f++)
            {
                var fit = Enumerable.Range(0, texts.Count).Where(i => fold[i] != f).ToList();
                var held = Enumerable.Range(0, texts.Count).Where(i => fold[i] == f).ToList();
                var (innerFeatures, innerWeights, innerBias) = Fit(fit.Select(i => texts[i]).ToList(), fit.Select(i => labels[i]).ToList(), options);
                foreach (var i in held)
                {
                    scores[i] = innerFeatures.Transform(texts[i]).Dot(innerWeights) + innerBias;
                }
            }

            threshold = BestF1Threshold(scores, labels);
        }

        return new SparseBinaryModel(features, weights, bias - threshold, threshold);
    }

    /// <summary>Log-odds of the positive class, shifted by the chosen threshold.</summary>
    public double Score(string text) => _features.Transform(text).Dot(_weights) + _bias;

    /// <summary>
    /// Folds stratified by label: each class's rows in a seeded random order, dealt out in turn. Returns the fold of each row.
    /// </summary>
    internal static int[] InnerFolds(IReadOnlyList<bool> labels, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[labels.Count];
        foreach (var side in new[] { true, false })
        {
            var rows = Enumerable.Range(0, labels.Count).Where(i => labels[i] == side).ToArray();
            random.Shuffle(rows);
            for (var k = 0; k < rows.Length; k++)
            {
                fold[rows[k]] = k % folds;
            }
        }

        return fold;
    }

    /// <summary>
    /// The threshold t that maximises F1 of "score ≥ t": the midpoint between the last score taken and the next one,
    /// over the scores in descending order. With no positive, +∞ is never returned: the highest score is.
    /// </summary>
    internal static double BestF1Threshold(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var positives = labels.Count(l => l);
        if (positives == 0 || order.Length == 0)
        {
            return order.Length == 0 ? 0 : scores[order[0]];
        }

        int tp = 0, fp = 0;
        var best = -1.0;
        var threshold = scores[order[0]];
        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            // Only cut between distinct scores: tied texts fall on the same side.
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]])
            {
                continue;
            }

            var f1 = 2.0 * tp / ((2.0 * tp) + fp + (positives - tp));
            if (f1 > best)
            {
                best = f1;
                threshold = k + 1 < order.Length ? (scores[order[k]] + scores[order[k + 1]]) / 2 : scores[order[k]];
            }
        }

        return threshold;
    }

    private static (SparseTfidf Features, float[] Weights, double Bias) Fit(IReadOnlyList<string> texts, IReadOnlyList<bool> labels, BinaryClassifierOptions options)
    {
        var tfidf = SparseTfidf.Fit(texts, options.SparseFeatures);
        var rows = texts.Select(t => tfidf.Transform(t)).Select(v => v.Indices.Zip(v.Values, (i, x) => new KeyValuePair<int, float>(i, x)).ToArray()).ToList();
        var dimension = Math.Max(1, tfidf.Dimension);
        var truth = labels.ToArray();
        var unit = Enumerable.Repeat(1f, rows.Count).ToArray();
        if (options.SparseSvmCost is { } cost)
        {
            var vectors = rows.Select(r => new SparseVector(r.Select(p => p.Key).ToArray(), r.Select(p => p.Value).ToArray())).ToList();
            var (svm, svmBias, _) = LinearSvm.TrainBinary(vectors, truth, dimension, cost, cost, options.SparseSvmTolerance, seed: options.Seed);
            if (!options.NaiveBayesMember)
            {
                return (tfidf, svm, svmBias);
            }

            var nbRatio = PresenceLogCountRatio(rows, truth, dimension, options.SparseNaiveBayesAlpha);
            var scaledVectors = vectors.Select(v => new SparseVector(v.Indices, v.Indices.Select((i, k) => v.Values[k] * nbRatio[i]).ToArray())).ToList();
            var (nbSvm, nbSvmBias, _) = LinearSvm.TrainBinary(scaledVectors, truth, dimension, cost, cost, options.SparseSvmTolerance, seed: options.Seed);
            var joined = new float[dimension];
            for (var i = 0; i < dimension; i++)
            {
                joined[i] = 0.5f * (svm[i] + (nbSvm[i] * nbRatio[i]));
            }

            return (tfidf, joined, 0.5 * (svmBias + nbSvmBias));
        }

        var ml = new MLContext(options.Seed);
        var (plain, plainBias) = BinaryTextClassifier.Sdca(ml, rows, truth, unit, dimension, scale: null, options.SparseL2, options.SparseIterations, options.SparseTolerance);
        if (!options.NaiveBayesMember)
        {
            return (tfidf, plain, plainBias);
        }

        var ratio = PresenceLogCountRatio(rows, truth, dimension, options.SparseNaiveBayesAlpha);
        var (scaled, scaledBias) = BinaryTextClassifier.Sdca(ml, rows, truth, unit, dimension, ratio, options.SparseNaiveBayesL2, options.SparseIterations, options.SparseTolerance);
        var combined = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            combined[i] = 0.5f * (plain[i] + (scaled[i] * ratio[i]));
        }

        return (tfidf, combined, 0.5 * (plainBias + scaledBias));
    }

    /// <summary>r = log((p + α) / ‖p + α‖₁) − log((q + α) / ‖q + α‖₁), p and q the number of positive and negative texts holding each feature.</summary>
    internal static float[] PresenceLogCountRatio(IReadOnlyList<KeyValuePair<int, float>[]> rows, IReadOnlyList<bool> labels, int dimension, double alpha)
    {
        var p = new double[dimension];
        var q = new double[dimension];
        for (var r = 0; r < rows.Count; r++)
        {
            var counts = labels[r] ? p : q;
            foreach (var (index, value) in rows[r])
            {
                if (value > 0)
                {
                    counts[index]++;
                }
            }
        }

        var pTotal = p.Sum() + (alpha * dimension);
        var qTotal = q.Sum() + (alpha * dimension);
        var ratio = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            ratio[i] = (float)Math.Log((p[i] + alpha) / pTotal / ((q[i] + alpha) / qTotal));
        }

        return ratio;
    }

    public void Write(BinaryWriter writer)
    {
        _features.Write(writer);
        writer.Write(_bias);
        writer.Write(Threshold);
        writer.Write(_weights.Length);
        foreach (var weight in _weights)
        {
            writer.Write(weight);
        }
    }

    public static SparseBinaryModel Read(BinaryReader reader)
    {
        var features = SparseTfidf.Read(reader);
        var bias = reader.ReadDouble();
        var threshold = reader.ReadDouble();
        var weights = new float[reader.ReadInt32()];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = reader.ReadSingle();
        }

        return new SparseBinaryModel(features, weights, bias, threshold);
    }
}
