using System.Text;
using System.Text.Json;
using OpenGov.Dialogue.Analysis.Classification;
using OpenGov.Dialogue.Analysis.Duplicates;

namespace OpenGov.Dialogue.Analysis.Triage;

/// <summary>Why an item is likely to be rejected; stable strings, safe to store and show.</summary>
public static class TriageReason
{
    public const string None = "none";
    public const string Abuse = "abuse";
    public const string Spam = "spam";
    public const string Duplicate = "duplicate";
    public const string OffTopic = "off_topic";
    public const string LowQuality = "low_quality";

    /// <summary>The text model, trained on moderators' past rejections, recognises the item.</summary>
    public const string LikePastRejections = "like_past_rejections";
}

/// <summary>The triage score of one item: probability a moderator rejects it, and the main reason.</summary>
public sealed record TriageResult(double RejectProbability, string Reason, TriageSignals Signals, double? TextProbability);

/// <summary>A moderator's decision on an item, with what the scorer saw when the item arrived.</summary>
/// <param name="Weight">How much the decision counts in <see cref="TriageScorer.Fit"/>, for example to give each consultation an equal say.</param>
public sealed record TriageDecision(TriageSignals Signals, double? TextProbability, bool Rejected, double Weight = 1);

/// <summary>Logistic weights over <see cref="TriageScorer.FeatureNames"/>.</summary>
public sealed record TriageWeights(double Bias, IReadOnlyList<double> Weights)
{
    /// <summary>Hand-set weights so the scorer is useful before any moderator decision or text model exists.</summary>
    public static TriageWeights SignalsOnly { get; } = new(-2.2, [4.5, 4.0, 2.5, 1.2, 2.5, 0.0, 1.0, 3.0, 1.0, 1.5, 2.0, 0.0, 1.0]);
}

/// <summary>
/// Orders the moderation queue: combines signals any item has (similarity to earlier items, keyboard
/// mash, repetition, links, length, shouting, abusive words, distance from the topic) with an optional
/// text classifier, in a logistic model that learns from moderators' decisions (<see cref="Fit"/>).
/// Works with no text model at all, so the product can ship without models trained on others' data.
/// Thread-safe.
/// </summary>
public sealed class TriageScorer(TriageWeights? weights = null, BinaryTextClassifier? textModel = null, string textReason = TriageReason.LikePastRejections)
{
    public static IReadOnlyList<string> FeatureNames { get; } =
    [
        "duplicate", "keyboard_mash", "repetition", "links", "very_short", "length", "shouting", "abusive_words", "off_topic", "text_model",
        "like_rejected", "like_accepted", "reject_rate",
    ];

    private static readonly string[] ReasonOfFeature =
    [
        TriageReason.Duplicate, TriageReason.Spam, TriageReason.Spam, TriageReason.Spam, TriageReason.LowQuality,
        TriageReason.LowQuality, TriageReason.Spam, TriageReason.Abuse, TriageReason.OffTopic, string.Empty,
        TriageReason.LikePastRejections, TriageReason.Duplicate, TriageReason.None,
    ];

    public TriageWeights Weights { get; } = Validate(weights ?? TriageWeights.SignalsOnly);

    public BinaryTextClassifier? TextModel { get; } = textModel;

    public string TextReason { get; } = textReason;

    /// <param name="earlierItems">Every earlier item of the consultation, for the duplicate signal.</param>
    /// <param name="topicReference">The consultation's own description, for the off-topic signal.</param>
    /// <param name="history">Moderators' decisions so far in this consultation.</param>
    public TriageResult Score(string text, DuplicateIndex? earlierItems = null, DuplicateIndex? topicReference = null, ModerationHistory? history = null)
    {
        var signals = TriageSignals.Measure(text, earlierItems, topicReference, history);
        return Score(signals, TextModel?.Probability(text));
    }

    public TriageResult Score(TriageSignals signals, double? textProbability)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var features = Features(signals, textProbability);
        var logit = Weights.Bias;
        var reasonScores = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < features.Length; i++)
        {
            var contribution = Weights.Weights[i] * features[i];
            logit += contribution;
            var reason = ReasonOfFeature[i].Length == 0 ? TextReason : ReasonOfFeature[i];
            if (reason == TriageReason.None)
            {
                continue;
            }

            reasonScores[reason] = reasonScores.GetValueOrDefault(reason) + contribution;
        }

        var top = reasonScores.MaxBy(r => r.Value);
        return new TriageResult(Sigmoid(logit), top.Value > 0.25 ? top.Key : TriageReason.None, signals, textProbability);
    }

    /// <summary>
    /// Learns the weights from moderators' decisions: L2-regularised logistic regression by Newton's
    /// method (a dozen features, so each step is a tiny linear solve).
    /// </summary>
    public static TriageWeights Fit(IReadOnlyCollection<TriageDecision> decisions, double l2 = 1.0)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var rejected = decisions.Count(d => d.Rejected);
        if (rejected == 0 || rejected == decisions.Count)
        {
            throw new ArgumentException($"learning needs both accepted and rejected items; all {decisions.Count} decisions are {(rejected == 0 ? "accepted" : "rejected")}", nameof(decisions));
        }

        var rows = decisions.Select(d => (X: Features(d.Signals, d.TextProbability), Y: d.Rejected ? 1.0 : 0.0, Weight: d.Weight)).ToList();
        var dimension = FeatureNames.Count + 1;
        var beta = new double[dimension];
        for (var iteration = 0; iteration < 30; iteration++)
        {
            var gradient = new double[dimension];
            var hessian = new double[dimension, dimension];
            foreach (var (x, y, weight) in rows)
            {
                var z = beta[0];
                for (var j = 1; j < dimension; j++)
                {
                    z += beta[j] * x[j - 1];
                }

                var p = Sigmoid(z);
                var w = weight * Math.Max(p * (1 - p), 1e-6);
                for (var j = 0; j < dimension; j++)
                {
                    var xj = j == 0 ? 1 : x[j - 1];
                    gradient[j] += weight * (p - y) * xj;
                    for (var k = 0; k <= j; k++)
                    {
                        hessian[j, k] += w * xj * (k == 0 ? 1 : x[k - 1]);
                    }
                }
            }

            for (var j = 0; j < dimension; j++)
            {
                for (var k = 0; k < j; k++)
                {
                    hessian[k, j] = hessian[j, k];
                }

                // The bias is not shrunk; the feature weights are.
                if (j > 0)
                {
                    gradient[j] += l2 * beta[j];
                    hessian[j, j] += l2;
                }
                else
                {
                    hessian[0, 0] += 1e-9;
                }
            }

            var step = Solve(hessian, gradient);
            var change = 0.0;
            for (var j = 0; j < dimension; j++)
            {
                beta[j] -= step[j];
                change = Math.Max(change, Math.Abs(step[j]));
            }

            if (change < 1e-6)
            {
                break;
            }
        }

        return new TriageWeights(beta[0], beta[1..]);
    }

    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(JsonSerializer.Serialize(new Settings(Weights.Bias, Weights.Weights.ToArray(), TextReason, TextModel is not null)));
        writer.Flush();
        TextModel?.Save(stream);
    }

    public static TriageScorer Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var settings = JsonSerializer.Deserialize<Settings>(reader.ReadString())
            ?? throw new InvalidDataException("the triage scorer has no settings");
        var textModel = settings.HasTextModel ? BinaryTextClassifier.Load(stream) : null;
        return new TriageScorer(new TriageWeights(settings.Bias, settings.Weights), textModel, settings.TextReason);
    }

    /// <summary>The feature vector the weights apply to, in <see cref="FeatureNames"/> order.</summary>
    public static double[] Features(TriageSignals s, double? textProbability)
    {
        var text = textProbability is { } p ? Math.Log(Math.Clamp(p, 1e-4, 1 - 1e-4) / (1 - Math.Clamp(p, 1e-4, 1 - 1e-4))) / 4 : 0;
        return
        [
            Math.Max(0, s.MaxSimilarity - 0.4) / 0.6,
            s.KeyboardMash,
            s.Repetition,
            Math.Log(1 + s.Links),
            s.Tokens <= 2 ? 1 : 0,
            Math.Log(1 + s.Tokens) / 5,
            s.UpperCaseShare,
            Math.Min(1, s.AbusiveWords),
            s.OffTopic,
            text,
            Math.Max(0, s.SimilarityToRejected - 0.3) / 0.7,
            Math.Max(0, s.SimilarityToAccepted - 0.3) / 0.7,
            s.RejectRate is { } rate ? Math.Log(rate / (1 - rate)) : 0,
        ];
    }

    private static TriageWeights Validate(TriageWeights weights) =>
        weights.Weights.Count == FeatureNames.Count
            ? weights
            : throw new ArgumentException($"triage weights need {FeatureNames.Count} values, got {weights.Weights.Count}", nameof(weights));

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Gaussian elimination with partial pivoting; the matrix is small and positive definite.</summary>
    private static double[] Solve(double[,] matrix, double[] vector)
    {
        var n = vector.Length;
        var a = (double[,])matrix.Clone();
        var b = (double[])vector.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (var k = 0; k < n; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            }

            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (var row = col + 1; row < n; row++)
            {
                var factor = a[row, col] / a[col, col];
                for (var k = col; k < n; k++)
                {
                    a[row, k] -= factor * a[col, k];
                }

                b[row] -= factor * b[col];
            }
        }

        var x = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = b[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= a[row, k] * x[k];
            }

            x[row] = sum / a[row, row];
        }

        return x;
    }

    private sealed record Settings(double Bias, double[] Weights, string TextReason, bool HasTextModel);
}
