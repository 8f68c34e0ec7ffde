namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>The figures the evaluation commands print, computed the usual (scikit-learn) way.</summary>
internal static class Metrics
{
    public static double Accuracy(IReadOnlyList<string> truth, IReadOnlyList<string> predicted) =>
        truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Count;

    /// <summary>Unweighted mean of per-class F1 over the classes present in the truth or the predictions.</summary>
    public static double MacroF1(IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        var classes = truth.Concat(predicted).Distinct(StringComparer.Ordinal).ToList();
        return classes.Average(c => F1(truth.Select(t => t == c).ToList(), predicted.Select(p => p == c).ToList()));
    }

    public static double F1(IReadOnlyList<bool> truth, IReadOnlyList<bool> predicted)
    {
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            if (predicted[i] && truth[i])
            {
                tp++;
            }
            else if (predicted[i])
            {
                fp++;
            }
            else if (truth[i])
            {
                fn++;
            }
        }

        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /// <summary>Area under the ROC curve, ties counted half (Mann–Whitney).</summary>
    public static double Auc(IReadOnlyList<bool> truth, IReadOnlyList<double> scores)
    {
        var order = Enumerable.Range(0, truth.Count).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[truth.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var rank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = rank;
            }

            i = j + 1;
        }

        double positives = truth.Count(t => t), negatives = truth.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        var rankSum = Enumerable.Range(0, truth.Count).Where(i => truth[i]).Sum(i => ranks[i]);
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>Normalised mutual information, arithmetic-mean normalisation (scikit-learn's default).</summary>
    public static double Nmi(IReadOnlyList<string> truth, IReadOnlyList<int> clusters)
    {
        var n = (double)truth.Count;
        var joint = new Dictionary<(string, int), int>();
        var a = new Dictionary<string, int>(StringComparer.Ordinal);
        var b = new Dictionary<int, int>();
        for (var i = 0; i < truth.Count; i++)
        {
            joint[(truth[i], clusters[i])] = joint.GetValueOrDefault((truth[i], clusters[i])) + 1;
            a[truth[i]] = a.GetValueOrDefault(truth[i]) + 1;
            b[clusters[i]] = b.GetValueOrDefault(clusters[i]) + 1;
        }

        var mutual = joint.Sum(j => j.Value / n * Math.Log(j.Value * n / ((double)a[j.Key.Item1] * b[j.Key.Item2])));
        var ha = -a.Values.Sum(v => v / n * Math.Log(v / n));
        var hb = -b.Values.Sum(v => v / n * Math.Log(v / n));
        var mean = (ha + hb) / 2;
        return mean <= 0 ? 1 : mutual / mean;
    }

    /// <summary>Adjusted Rand index.</summary>
    public static double Ari(IReadOnlyList<string> truth, IReadOnlyList<int> clusters)
    {
        static double Pairs(double x) => x * (x - 1) / 2;
        var joint = new Dictionary<(string, int), int>();
        var a = new Dictionary<string, int>(StringComparer.Ordinal);
        var b = new Dictionary<int, int>();
        for (var i = 0; i < truth.Count; i++)
        {
            joint[(truth[i], clusters[i])] = joint.GetValueOrDefault((truth[i], clusters[i])) + 1;
            a[truth[i]] = a.GetValueOrDefault(truth[i]) + 1;
            b[clusters[i]] = b.GetValueOrDefault(clusters[i]) + 1;
        }

        var index = joint.Values.Sum(v => Pairs(v));
        var sumA = a.Values.Sum(v => Pairs(v));
        var sumB = b.Values.Sum(v => Pairs(v));
        var expected = sumA * sumB / Pairs(truth.Count);
        var max = (sumA + sumB) / 2;
        return max == expected ? 1 : (index - expected) / (max - expected);
    }

    public static string Format(double value) => value.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
}
