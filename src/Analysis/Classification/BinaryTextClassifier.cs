using Microsoft.ML;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>A text and whether it belongs to the class (abusive, rejected by a moderator, ...).</summary>
public sealed record BinaryExample(string Text, bool IsPositive);

public sealed record BinaryClassifierOptions
{
    public int CharNgramLength { get; init; } = 4;

    /// <summary>Use every character n-gram length up to <see cref="CharNgramLength"/>, not only the longest.</summary>
    public bool AllCharLengths { get; init; }

    public float? L2Regularization { get; init; } = 1e-5f;

    public int MaximumIterations { get; init; } = 30;

    /// <summary>Weight the rarer class up so the 0.5 threshold sits between the classes.</summary>
    public bool BalanceClasses { get; init; } = true;

    public int Seed { get; init; } = 1;
}

/// <summary>
/// Probability that a text belongs to a class: ML.NET TF-IDF word + character n-grams with SDCA
/// logistic regression. Used for abuse detection and as the text part of the triage score.
/// Prediction is thread-safe.
/// </summary>
public sealed class BinaryTextClassifier
{
    private const string Kind = "binary-text-classifier";
    private readonly PooledPredictor<NormalizedTextRow, BinaryScore> _predictor;
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    private BinaryTextClassifier(MLContext ml, ITransformer model)
    {
        _ml = ml;
        _model = model;
        _predictor = new PooledPredictor<NormalizedTextRow, BinaryScore>(ml, model);
    }

    public static BinaryTextClassifier Train(IEnumerable<BinaryExample> examples, BinaryClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new BinaryClassifierOptions();
        var normalizer = TextNormalizer.Default;
        var rows = examples
            .Where(e => !string.IsNullOrWhiteSpace(e.Text))
            .Select(e => (Text: normalizer.Normalize(e.Text), e.IsPositive))
            .ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException("no examples with non-empty text to train on", nameof(examples));
        }

        var positives = rows.Count(r => r.IsPositive);
        if (positives == 0 || positives == rows.Count)
        {
            throw new ArgumentException($"a binary classifier needs examples of both classes; all {rows.Count} are {(positives == 0 ? "negative" : "positive")}", nameof(examples));
        }

        var positiveWeight = options.BalanceClasses ? (float)((rows.Count - positives) / (double)positives) : 1f;
        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new BinaryTrainingRow
        {
            Text = r.Text,
            Label = r.IsPositive,
            Weight = r.IsPositive ? positiveWeight : 1f,
        }));
        var pipeline = TextFeaturization.Estimator(ml, options.CharNgramLength, options.AllCharLengths)
            .AppendCacheCheckpoint(ml)
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(
                labelColumnName: nameof(BinaryTrainingRow.Label),
                featureColumnName: TextFeaturization.FeaturesColumn,
                exampleWeightColumnName: nameof(BinaryTrainingRow.Weight),
                l2Regularization: options.L2Regularization,
                maximumNumberOfIterations: options.MaximumIterations));
        return new BinaryTextClassifier(ml, pipeline.Fit(data));
    }

    /// <summary>Probability (0–1) that the text is in the class; an empty text scores 0.</summary>
    public double Probability(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextNormalizer.Default.Normalize(text);
        if (normalized.Length == 0)
        {
            return 0;
        }

        var probability = _predictor.Predict(new NormalizedTextRow { Text = normalized }).Probability;
        return float.IsNaN(probability) ? 0 : probability;
    }

    public void Save(Stream stream) =>
        ModelFile.Write(stream, Kind, new Settings(1), _ml, _model,
            _ml.Data.LoadFromEnumerable(Array.Empty<NormalizedTextRow>()).Schema);

    public static BinaryTextClassifier Load(Stream stream)
    {
        var ml = new MLContext(1);
        var (_, model) = ModelFile.Read<Settings>(stream, Kind, ml);
        return new BinaryTextClassifier(ml, model);
    }

    private sealed record Settings(int Version);

    private sealed class BinaryTrainingRow
    {
        public string Text { get; set; } = string.Empty;

        public bool Label { get; set; }

        public float Weight { get; set; }
    }

    private sealed class BinaryScore
    {
        public float Probability { get; set; }
    }
}
