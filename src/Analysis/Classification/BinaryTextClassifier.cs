using Microsoft.ML;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>A text and whether it belongs to the class (abusive, rejected by a moderator, ...).</summary>
public sealed record BinaryExample(string Text, bool IsPositive);

public sealed record BinaryClassifierOptions
{
    public int CharNgramLength { get; init; } = 5;

    /// <summary>Use every character n-gram length up to <see cref="CharNgramLength"/>, not only the longest.</summary>
    public bool AllCharLengths { get; init; } = true;

    /// <summary>Separately normalised word and character bags (character n-grams of length 3 to <see cref="CharNgramLength"/>).</summary>
    public bool SeparateBags { get; init; }

    public float? L2Regularization { get; init; } = 1e-5f;

    public int MaximumIterations { get; init; } = 30;

    /// <summary>L-BFGS instead of SDCA: slower to train, sometimes better ranked (AUC).</summary>
    public bool UseLbfgs { get; init; }

    /// <summary>Weight the rarer class up so the 0.5 threshold sits between the classes.</summary>
    public bool BalanceClasses { get; init; } = true;

    /// <summary>Character 3–5-grams taken inside word boundaries (like scikit-learn's char_wb) instead of across the text.</summary>
    public bool WordBoundaryCharGrams { get; init; } = true;

    /// <summary>Map chat spellings to standard words before featurising.</summary>
    public bool MapInformalSpellings { get; init; } = true;

    public int Seed { get; init; } = 1;
}

/// <summary>
/// Probability that a text belongs to a class: ML.NET TF-IDF word 1–2-grams and word-boundary character
/// 3–5-grams (each bag normalised on its own) with SDCA
/// logistic regression. Used for abuse detection and as the text part of the triage score.
/// Prediction is thread-safe.
/// </summary>
public sealed class BinaryTextClassifier
{
    private const string Kind = "binary-text-classifier";
    private readonly PooledPredictor<NormalizedTextRow, BinaryScore> _predictor;
    private readonly MLContext _ml;
    private readonly ITransformer _model;

    private readonly TextNormalizer _normalizer;

    private BinaryTextClassifier(MLContext ml, ITransformer model, bool mapInformalSpellings, bool wordBoundaryCharGrams)
    {
        UsesWordBoundaryCharGrams = wordBoundaryCharGrams;
        _normalizer = mapInformalSpellings ? TextNormalizer.Default : new TextNormalizer(new NormalizerOptions { MapInformalSpellings = false });
        MapsInformalSpellings = mapInformalSpellings;
        _ml = ml;
        _model = model;
        _predictor = new PooledPredictor<NormalizedTextRow, BinaryScore>(ml, model);
    }

    public static BinaryTextClassifier Train(IEnumerable<BinaryExample> examples, BinaryClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new BinaryClassifierOptions();
        var normalizer = options.MapInformalSpellings ? TextNormalizer.Default : new TextNormalizer(new NormalizerOptions { MapInformalSpellings = false });
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
            CharGrams = options.WordBoundaryCharGrams ? TextFeaturization.WordBoundaryCharGrams(r.Text) : string.Empty,
            Label = r.IsPositive,
            Weight = r.IsPositive ? positiveWeight : 1f,
        }));
        var pipeline = (options.WordBoundaryCharGrams
                ? TextFeaturization.WordsAndBoundedCharGrams(ml)
                : options.SeparateBags
                ? TextFeaturization.Union(ml, 3, options.CharNgramLength)
                : TextFeaturization.Estimator(ml, options.CharNgramLength, options.AllCharLengths))
            .AppendCacheCheckpoint(ml)
            .Append(options.UseLbfgs
                ? ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
                    labelColumnName: nameof(BinaryTrainingRow.Label),
                    featureColumnName: TextFeaturization.FeaturesColumn,
                    exampleWeightColumnName: nameof(BinaryTrainingRow.Weight),
                    l1Regularization: 0f,
                    l2Regularization: options.L2Regularization ?? 1f)
                : (IEstimator<ITransformer>)ml.BinaryClassification.Trainers.SdcaLogisticRegression(
                    labelColumnName: nameof(BinaryTrainingRow.Label),
                    featureColumnName: TextFeaturization.FeaturesColumn,
                    exampleWeightColumnName: nameof(BinaryTrainingRow.Weight),
                    l2Regularization: options.L2Regularization,
                    maximumNumberOfIterations: options.MaximumIterations));
        return new BinaryTextClassifier(ml, pipeline.Fit(data), options.MapInformalSpellings, options.WordBoundaryCharGrams);
    }

    /// <summary>Probability (0–1) that the text is in the class; an empty text scores 0.</summary>
    public double Probability(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = _normalizer.Normalize(text);
        if (normalized.Length == 0)
        {
            return 0;
        }

        var row = new NormalizedTextRow
        {
            Text = normalized,
            CharGrams = UsesWordBoundaryCharGrams ? TextFeaturization.WordBoundaryCharGrams(normalized) : string.Empty,
        };
        var probability = _predictor.Predict(row).Probability;
        return float.IsNaN(probability) ? 0 : probability;
    }

    public bool MapsInformalSpellings { get; }

    public bool UsesWordBoundaryCharGrams { get; }

    public void Save(Stream stream) =>
        ModelFile.Write(stream, Kind, new Settings(MapsInformalSpellings, UsesWordBoundaryCharGrams), _ml, _model,
            _ml.Data.LoadFromEnumerable(Array.Empty<NormalizedTextRow>()).Schema);

    public static BinaryTextClassifier Load(Stream stream)
    {
        var ml = new MLContext(1);
        var (settings, model) = ModelFile.Read<Settings>(stream, Kind, ml);
        return new BinaryTextClassifier(ml, model, settings.MapInformalSpellings, settings.UsesWordBoundaryCharGrams);
    }

    private sealed record Settings(bool MapInformalSpellings, bool UsesWordBoundaryCharGrams = false);

    private sealed class BinaryTrainingRow
    {
        public string Text { get; set; } = string.Empty;

        public string CharGrams { get; set; } = string.Empty;

        public bool Label { get; set; }

        public float Weight { get; set; }
    }

    private sealed class BinaryScore
    {
        public float Probability { get; set; }
    }
}
