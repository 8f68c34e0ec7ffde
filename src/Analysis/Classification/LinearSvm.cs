namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>
/// A linear support vector machine with the squared hinge loss and an L2 penalty, trained by dual coordinate descent
/// (Hsieh et al., ICML 2008), the team's own code: ML.NET's SDCA hinge-loss trainer did not profit from class weights
/// on LaporGub (issue #18), this solver does. Minimises ½‖w‖² + ½b² + Σᵢ Cᵢ max(0, 1 − yᵢ(w·xᵢ + b))²; the bias is
/// penalised like a weight (a constant feature of value 1). Deterministic for a given seed.
/// </summary>
public static class LinearSvm
{
    /// <summary>One binary machine: <paramref name="positive"/>[i] says which side row i is on, with its own cost.</summary>
    /// <param name="costPositive">C of the positive rows.</param>
    /// <param name="costNegative">C of the negative rows.</param>
    /// <param name="tolerance">Stop once the projected gradients span less than this.</param>
    public static (float[] Weights, float Bias, int Epochs) TrainBinary(
        IReadOnlyList<SparseVector> rows, IReadOnlyList<bool> positive, int dimension, double costPositive, double costNegative,
        double tolerance = 0.01, int maximumEpochs = 1000, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(positive);
        if (rows.Count != positive.Count)
        {
            throw new ArgumentException("one side per row", nameof(positive));
        }

        if (costPositive <= 0 || costNegative <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(costPositive), "costs must be positive");
        }

        var n = rows.Count;
        var w = new double[dimension];
        double b = 0;
        var alpha = new double[n];
        var diagonal = new double[n];
        var q = new double[n];
        for (var i = 0; i < n; i++)
        {
            diagonal[i] = 0.5 / (positive[i] ? costPositive : costNegative);
            double squared = 1;
            foreach (var v in rows[i].Values)
            {
                squared += v * v;
            }

            q[i] = squared + diagonal[i];
        }

        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        var epoch = 0;
        while (epoch < maximumEpochs)
        {
            epoch++;
            random.Shuffle(order);
            var maxGradient = double.NegativeInfinity;
            var minGradient = double.PositiveInfinity;
            foreach (var i in order)
            {
                var row = rows[i];
                var y = positive[i] ? 1.0 : -1.0;
                var margin = b;
                for (var k = 0; k < row.Indices.Length; k++)
                {
                    margin += w[row.Indices[k]] * row.Values[k];
                }

                var gradient = (y * margin) - 1 + (diagonal[i] * alpha[i]);
                var projected = alpha[i] == 0 ? Math.Min(gradient, 0) : gradient;
                maxGradient = Math.Max(maxGradient, projected);
                minGradient = Math.Min(minGradient, projected);
                if (Math.Abs(projected) > 1e-12)
                {
                    var old = alpha[i];
                    alpha[i] = Math.Max(old - (gradient / q[i]), 0);
                    var step = (alpha[i] - old) * y;
                    for (var k = 0; k < row.Indices.Length; k++)
                    {
                        w[row.Indices[k]] += step * row.Values[k];
                    }

                    b += step;
                }
            }

            if (maxGradient - minGradient <= tolerance)
            {
                break;
            }
        }

        return (w.Select(x => (float)x).ToArray(), (float)b, epoch);
    }

    /// <summary>
    /// One machine per class against the rest. Class c's rows cost C · <paramref name="classWeights"/>[c] as positives
    /// and C as negatives of the other machines (scikit-learn's LinearSVC with class_weight does the same).
    /// </summary>
    /// <param name="labels">Class index of each row, 0 … <paramref name="classes"/> − 1.</param>
    public static (float[][] Weights, float[] Biases) TrainOneVersusRest(
        IReadOnlyList<SparseVector> rows, IReadOnlyList<int> labels, int classes, int dimension, double cost, IReadOnlyList<double> classWeights,
        double tolerance = 0.01, int maximumEpochs = 1000, int seed = 1)
    {
        var weights = new float[classes][];
        var biases = new float[classes];
        for (var c = 0; c < classes; c++)
        {
            var positive = labels.Select(l => l == c).ToArray();
            (weights[c], biases[c], _) = TrainBinary(rows, positive, dimension, cost * classWeights[c], cost, tolerance, maximumEpochs, seed);
        }

        return (weights, biases);
    }
}
