using Microsoft.ML;
using Microsoft.ML.Data;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>A text and whether it belongs to the class (abusive, rejected by a moderator, ...).</summary>
public sealed record BinaryExample(string Text, bool IsPositive);

/// <summary>The text <see cref="BinaryClassifierOptions.SparseFeatures"/> featurises.</summary>
public enum SparseTextInput
{
    Raw,
    Normalized,

    /// <summary>The raw text and the normalised one, joined (terms found in both count twice, as 1 + ln 2 under sub-linear tf).</summary>
    Both,
}

public sealed record BinaryClassifierOptions
{
    public int CharNgramLength { get; init; } = 5;

    /// <summary>Use every character n-gram length up to <see cref="CharNgramLength"/>, not only the longest.</summary>
    public bool AllCharLengths { get; init; } = true;

    /// <summary>Separately normalised word and character bags (character n-grams of length 3 to <see cref="CharNgramLength"/>).</summary>
    public bool SeparateBags { get; init; }

    public float? L2Regularization { get; init; } = 1e-5f;

    /// <summary>With presence bags: terms found in fewer training texts than this are left out (scikit-learn's min_df); 1 keeps all.</summary>
    public int MinDocumentFrequency { get; init; } = 1;

    public int MaximumIterations { get; init; } = 30;

    /// <summary>L-BFGS instead of SDCA: slower to train, sometimes better ranked (AUC).</summary>
    public bool UseLbfgs { get; init; }

    /// <summary>Weight the rarer class up so the 0.5 threshold sits between the classes.</summary>
    public bool BalanceClasses { get; init; } = true;

    /// <summary>Character 3–5-grams taken inside word boundaries (like scikit-learn's char_wb) instead of across the text.</summary>
    public bool WordBoundaryCharGrams { get; init; } = true;

    /// <summary>
    /// Presence (binary tf) TF-IDF bags instead of counts: a word or character n-gram counts once per text.
    /// Applies to the default word-boundary featurisation only.
    /// </summary>
    public bool Presence { get; init; } = true;

    /// <summary>
    /// With <see cref="Presence"/>: also train a model on the features scaled by their naive Bayes log-count
    /// ratio (NB-LR, after Wang and Manning 2012) and average its log-odds with the plain model's.
    /// </summary>
    public bool NaiveBayesMember { get; init; } = true;

    /// <summary>
    /// Share of the naive Bayes member in the averaged log-odds (0–1). Null: chosen between 0 and ½ by the
    /// AUC on a held-out fifth of the training texts (it helps on balanced labels such as Indonesian hate speech,
    /// and hurts on rare ones such as Davidson's 6 % hate class), then both models are retrained on everything.
    /// </summary>
    public double? NaiveBayesShare { get; init; }

    /// <summary>SDCA L2 of the naive Bayes member; its scaled features need less regularisation.</summary>
    public float NaiveBayesL2 { get; init; } = 2e-6f;

    /// <summary>Additive smoothing of the log-count ratio.</summary>
    public float NaiveBayesAlpha { get; init; } = 0.5f;

    /// <summary>Map chat spellings to standard words before featurising.</summary>
    public bool MapInformalSpellings { get; init; } = true;

    public int Seed { get; init; } = 1;

    /// <summary>
    /// Issue #18 §1, the default: the team's own TF-IDF (<see cref="SparseTfidf"/>; word 1–2-grams and word-bounded character
    /// 1–6-grams of the text as <see cref="SparseText"/> says, min df 2, sub-linear tf) instead of ML.NET's bags, with a plain and an NB-scaled member
    /// (linear SVMs with C = <see cref="SparseSvmCost"/>, or SDCA logistic regressions) averaged and an F1 threshold chosen on
    /// <see cref="ThresholdFolds"/> inner folds (<c>SparseBinaryModel</c>). 5-fold CV on the Indonesian hate speech set:
    /// F1 0.8548, AUC 0.9474 against 0.8437 / 0.9383 (docs/analysis.md). Null keeps the ML.NET featurisation and the settings above.
    /// </summary>
    public SparseTfidfOptions? SparseFeatures { get; init; } = new() { CharNgramFrom = 1, CharNgramTo = 6 };

    /// <summary>With <see cref="SparseFeatures"/> and no <see cref="SparseSvmCost"/>: SDCA's L2 of the plain logistic member (1e-5 best of 1e-6 … 1e-4 by 5-fold CV).</summary>
    public float SparseL2 { get; init; } = 1e-5f;

    /// <summary>With <see cref="SparseFeatures"/> and no <see cref="SparseSvmCost"/>: SDCA's L2 of the naive Bayes logistic member.</summary>
    public float SparseNaiveBayesL2 { get; init; } = 1e-5f;

    /// <summary>With <see cref="SparseFeatures"/>: the naive Bayes ratio's smoothing (texts added to each feature's count).</summary>
    public double SparseNaiveBayesAlpha { get; init; } = 1;

    /// <summary>With <see cref="SparseFeatures"/>: SDCA passes of each member.</summary>
    public int SparseIterations { get; init; } = 50;

    /// <summary>
    /// With <see cref="SparseFeatures"/>: both members are the team's own linear SVMs (<see cref="LinearSvm"/>, squared hinge)
    /// with this C instead of SDCA logistic regressions; their averaged decision value stands in for the log-odds.
    /// </summary>
    /// <remarks>0.2 by 5-fold CV (0.1 / 0.3 gave the same to ±0.0005, 0.5 less; SDCA logistic members: F1 0.8478, AUC 0.9411).</remarks>
    public double? SparseSvmCost { get; init; } = 0.2;

    /// <summary>With <see cref="SparseSvmCost"/>: the SVM solver's stopping tolerance.</summary>
    public double SparseSvmTolerance { get; init; } = 0.01;

    /// <summary>With <see cref="SparseFeatures"/>: SDCA stops at this relative duality gap (ML.NET's default 0.1 stops early).</summary>
    public float SparseTolerance { get; init; } = 0.01f;

    /// <summary>
    /// With <see cref="SparseFeatures"/>: which text the TF-IDF sees (raw, the <c>TextNormalizer</c>'s output, or both joined).
    /// Both by 5-fold CV: hate speech F1 / AUC 0.8548 / 0.9474 against 0.8525 / 0.9462 raw and 0.8449 / 0.9414 normalised (C 0.3);
    /// abusive 0.9185 / 0.9803 against 0.9150 / 0.9787 raw and 0.9207 / 0.9797 normalised.
    /// </summary>
    public SparseTextInput SparseText { get; init; } = SparseTextInput.Both;

    /// <summary>With <see cref="SparseFeatures"/>: inner folds that choose the F1 threshold; below 2, the threshold is 0 (probability 0.5).</summary>
    public int ThresholdFolds { get; init; } = 3;
}

/// <summary>
/// Probability that a text belongs to a class. By default (issue #18 §1, <see cref="BinaryClassifierOptions.SparseFeatures"/>):
/// the team's own TF-IDF of the raw and the normalised text, a linear SVM on it and one on the features scaled by their naive
/// Bayes log-count ratio, decision values averaged, and the F1 threshold chosen on inner folds of the training texts; the
/// "probability" is then σ(score − threshold): 0.5 is the F1 cut and the order is the model's, but it is not calibrated.
/// With <c>SparseFeatures = null</c>: ML.NET TF-IDF word 1–2-grams and word-boundary character
/// 3–5-grams (presence, each bag normalised on its own) with SDCA logistic regression, and a second
/// SDCA model trained on the same features scaled by their naive Bayes log-count ratio, the two
/// models' log-odds averaged (both are linear, so the result is one weight vector over the ML.NET features).
/// Used for abuse detection and as the text part of the triage score. Prediction is thread-safe.
/// </summary>
public sealed class BinaryTextClassifier
{
    private const string Kind = "binary-text-classifier";
    private const string SparseKind = "binary-text-classifier-sparse";
    private readonly PooledPredictor<NormalizedTextRow, BinaryScore>? _predictor;
    private readonly PooledPredictor<NormalizedTextRow, FeatureRow>? _featurizer;
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly LinearHead? _head;

    private readonly TextNormalizer _normalizer;
    private readonly SparseBinaryModel? _sparse;
    private readonly SparseTextInput _sparseText;

    private BinaryTextClassifier(SparseBinaryModel sparse, Settings settings)
    {
        MapsInformalSpellings = settings.MapInformalSpellings;
        _normalizer = MapsInformalSpellings ? TextNormalizer.Default : new TextNormalizer(new NormalizerOptions { MapInformalSpellings = false });
        _sparse = sparse;
        _sparseText = settings.SparseText;
        _ml = new MLContext(1);
        _model = null!;
    }

    private BinaryTextClassifier(MLContext ml, ITransformer model, Settings settings, LinearHead? head)
    {
        UsesWordBoundaryCharGrams = settings.UsesWordBoundaryCharGrams;
        UsesPresence = settings.Presence;
        MapsInformalSpellings = settings.MapInformalSpellings;
        _normalizer = MapsInformalSpellings ? TextNormalizer.Default : new TextNormalizer(new NormalizerOptions { MapInformalSpellings = false });
        _ml = ml;
        _model = model;
        _head = head;
        if (head is null)
        {
            _predictor = new PooledPredictor<NormalizedTextRow, BinaryScore>(ml, model);
        }
        else
        {
            _featurizer = new PooledPredictor<NormalizedTextRow, FeatureRow>(ml, model);
        }
    }

    public static BinaryTextClassifier Train(IEnumerable<BinaryExample> examples, BinaryClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new BinaryClassifierOptions();
        var normalizer = options.MapInformalSpellings ? TextNormalizer.Default : new TextNormalizer(new NormalizerOptions { MapInformalSpellings = false });
        // The sparse model reads the text as SparseText says; the ML.NET bags read the normalised text.
        var rows = examples
            .Where(e => !string.IsNullOrWhiteSpace(e.Text))
            .Select(e => (Text: options.SparseFeatures is null ? normalizer.Normalize(e.Text) : SparseInput(e.Text, options.SparseText, normalizer), e.IsPositive))
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

        if (options.SparseFeatures is not null)
        {
            var model = SparseBinaryModel.Train(rows.Select(r => r.Text).ToList(), rows.Select(r => r.IsPositive).ToList(), options);
            return new BinaryTextClassifier(model, new Settings(options.MapInformalSpellings, SparseText: options.SparseText));
        }

        var positiveWeight = options.BalanceClasses ? (float)((rows.Count - positives) / (double)positives) : 1f;
        var ml = new MLContext(options.Seed);
        var presence = options.Presence && options.WordBoundaryCharGrams && !options.UseLbfgs;
        var settings = new Settings(options.MapInformalSpellings, options.WordBoundaryCharGrams, presence);
        var inputs = rows.Select(r => Input(r.Text, settings)).ToList();
        if (presence && options.MinDocumentFrequency > 1)
        {
            var words = TextFeaturization.MinDocumentFrequencyFilter(inputs.Select(i => i.Text), options.MinDocumentFrequency);
            var chars = TextFeaturization.MinDocumentFrequencyFilter(inputs.Select(i => i.CharGrams), options.MinDocumentFrequency);
            inputs = inputs.Select(i => new NormalizedTextRow { Text = words(i.Text), CharGrams = chars(i.CharGrams) }).ToList();
        }

        var data = ml.Data.LoadFromEnumerable(rows.Select((r, n) =>
        {
            var input = inputs[n];
            return new BinaryTrainingRow
            {
                Text = input.Text,
                CharGrams = input.CharGrams,
                Label = r.IsPositive,
                Weight = r.IsPositive ? positiveWeight : 1f,
            };
        }));
        if (presence)
        {
            return TrainPresence(ml, data, options, settings);
        }

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
        return new BinaryTextClassifier(ml, pipeline.Fit(data), settings, head: null);
    }

    /// <summary>
    /// Fits the presence TF-IDF featuriser, then SDCA on its features and, optionally, SDCA on the features
    /// scaled by the naive Bayes log-count ratio r. The second model's weights w on r∘x are w∘r on x, so
    /// the mean of the two log-odds is one linear function of the ML.NET features.
    /// </summary>
    private static BinaryTextClassifier TrainPresence(MLContext ml, IDataView data, BinaryClassifierOptions options, Settings settings)
    {
        var featurizer = TextFeaturization.PresenceBags(ml).Fit(data);
        var featured = featurizer.Transform(data);
        var features = featured.GetColumn<VBuffer<float>>(TextFeaturization.FeaturesColumn).Select(v => v.Items(false).ToArray()).ToList();
        var labels = featured.GetColumn<bool>(nameof(BinaryTrainingRow.Label)).ToArray();
        var weights = featured.GetColumn<float>(nameof(BinaryTrainingRow.Weight)).ToArray();
        var dimension = ((VectorDataViewType)featured.Schema[TextFeaturization.FeaturesColumn].Type).Size;

        var share = options.NaiveBayesMember ? options.NaiveBayesShare ?? ChooseNaiveBayesShare(ml, features, labels, weights, dimension, options) : 0;
        var (plain, plainBias) = Sdca(ml, features, labels, weights, dimension, scale: null, options.L2Regularization, options.MaximumIterations);
        var combined = plain;
        var bias = plainBias;
        if (share > 0)
        {
            var ratio = LogCountRatio(features, labels, dimension, options.NaiveBayesAlpha);
            var (scaled, scaledBias) = Sdca(ml, features, labels, weights, dimension, ratio, options.NaiveBayesL2, options.MaximumIterations);
            combined = new float[dimension];
            for (var i = 0; i < dimension; i++)
            {
                combined[i] = (float)((1 - share) * plain[i] + share * scaled[i] * ratio[i]);
            }

            bias = (float)((1 - share) * plainBias + share * scaledBias);
        }

        return new BinaryTextClassifier(ml, featurizer, settings, new LinearHead(combined, bias, share));
    }

    private static double ChooseNaiveBayesShare(MLContext ml, List<KeyValuePair<int, float>[]> features, bool[] labels, float[] weights, int dimension, BinaryClassifierOptions options)
    {
        var random = new Random(options.Seed);
        var held = Enumerable.Range(0, features.Count).Select(_ => random.NextDouble() < 0.2).ToArray();
        var fit = Enumerable.Range(0, features.Count).Where(i => !held[i]).ToArray();
        var check = Enumerable.Range(0, features.Count).Where(i => held[i]).ToArray();
        var fitFeatures = fit.Select(i => features[i]).ToList();
        var fitLabels = fit.Select(i => labels[i]).ToArray();
        var fitWeights = fit.Select(i => weights[i]).ToArray();
        if (fitLabels.All(l => l) || fitLabels.All(l => !l) || check.All(i => labels[i]) || check.All(i => !labels[i]))
        {
            return 0.5;
        }

        var (plain, plainBias) = Sdca(ml, fitFeatures, fitLabels, fitWeights, dimension, scale: null, options.L2Regularization, options.MaximumIterations);
        var ratio = LogCountRatio(fitFeatures, fitLabels, dimension, options.NaiveBayesAlpha);
        var (scaled, scaledBias) = Sdca(ml, fitFeatures, fitLabels, fitWeights, dimension, ratio, options.NaiveBayesL2, options.MaximumIterations);
        var plainScores = check.Select(i => Score(features[i], plain, plainBias, null)).ToArray();
        var scaledScores = check.Select(i => Score(features[i], scaled, scaledBias, ratio)).ToArray();
        var truth = check.Select(i => labels[i]).ToArray();
        var best = 0.0;
        var bestAuc = double.NegativeInfinity;
        foreach (var share in new[] { 0, 0.5 })
        {
            var auc = Auc(truth, plainScores.Zip(scaledScores, (a, b) => (1 - share) * a + share * b).ToArray());
            if (auc > bestAuc + 1e-9)
            {
                (best, bestAuc) = (share, auc);
            }
        }

        return best;
    }

    private static double Score(KeyValuePair<int, float>[] row, float[] weights, float bias, float[]? scale)
    {
        double score = bias;
        foreach (var (index, value) in row)
        {
            score += weights[index] * value * (scale?[index] ?? 1f);
        }

        return score;
    }

    /// <summary>Area under the ROC curve (Mann–Whitney, ties counted half).</summary>
    private static double Auc(bool[] truth, double[] scores)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                if (truth[order[k]])
                {
                    rankSum += (i + j) / 2.0 + 1;
                }
            }

            i = j + 1;
        }

        double positives = truth.Count(t => t);
        double negatives = truth.Length - positives;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>r = log((p + α) / ‖p + α‖₁) − log((q + α) / ‖q + α‖₁), p and q the feature sums over positive and negative texts.</summary>
    private static float[] LogCountRatio(List<KeyValuePair<int, float>[]> features, bool[] labels, int dimension, float alpha)
    {
        var p = new double[dimension];
        var q = new double[dimension];
        for (var row = 0; row < features.Count; row++)
        {
            var sums = labels[row] ? p : q;
            foreach (var (index, value) in features[row])
            {
                sums[index] += value;
            }
        }

        var pTotal = p.Sum() + alpha * dimension;
        var qTotal = q.Sum() + alpha * dimension;
        var ratio = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            ratio[i] = (float)Math.Log((p[i] + alpha) / pTotal / ((q[i] + alpha) / qTotal));
        }

        return ratio;
    }

    internal static (float[] Weights, float Bias) Sdca(
        MLContext ml, List<KeyValuePair<int, float>[]> features, bool[] labels, float[] weights, int dimension, float[]? scale, float? l2, int iterations, float? tolerance = null)
    {
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        var rows = features.Select((row, r) =>
        {
            var indices = new int[row.Length];
            var values = new float[row.Length];
            for (var k = 0; k < row.Length; k++)
            {
                indices[k] = row[k].Key;
                values[k] = scale is null ? row[k].Value : row[k].Value * scale[row[k].Key];
            }

            return new VectorRow { Features = new VBuffer<float>(dimension, row.Length, values, indices), Label = labels[r], Weight = weights[r] };
        }).ToList();
        var data = ml.Data.Cache(ml.Data.LoadFromEnumerable(rows, schema));
        var model = (tolerance is { } gap
            ? ml.BinaryClassification.Trainers.SdcaLogisticRegression(new Microsoft.ML.Trainers.SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = nameof(VectorRow.Label),
                FeatureColumnName = nameof(VectorRow.Features),
                ExampleWeightColumnName = nameof(VectorRow.Weight),
                L2Regularization = l2,
                MaximumNumberOfIterations = iterations,
                ConvergenceTolerance = gap,
            })
            : ml.BinaryClassification.Trainers.SdcaLogisticRegression(
                labelColumnName: nameof(VectorRow.Label),
                featureColumnName: nameof(VectorRow.Features),
                exampleWeightColumnName: nameof(VectorRow.Weight),
                l2Regularization: l2,
                maximumNumberOfIterations: iterations)).Fit(data).Model.SubModel;
        var dense = new float[dimension];
        var index = 0;
        foreach (var weight in model.Weights)
        {
            dense[index++] = weight;
        }

        return (dense, model.Bias);
    }

    private static NormalizedTextRow Input(string normalized, Settings settings) => settings.Presence
        ? new NormalizedTextRow
        {
            Text = TextFeaturization.DistinctWordGrams(normalized),
            CharGrams = TextFeaturization.WordBoundaryCharGrams(normalized, distinct: true),
        }
        : new NormalizedTextRow
        {
            Text = normalized,
            CharGrams = settings.UsesWordBoundaryCharGrams ? TextFeaturization.WordBoundaryCharGrams(normalized) : string.Empty,
        };

    /// <summary>Probability (0–1) that the text is in the class; an empty text scores 0.</summary>
    public double Probability(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_sparse is not null)
        {
            var input = SparseInput(text, _sparseText, _normalizer);
            return string.IsNullOrWhiteSpace(input) ? 0 : 1 / (1 + Math.Exp(-_sparse.Score(input)));
        }

        var normalized = _normalizer.Normalize(text);
        if (normalized.Length == 0)
        {
            return 0;
        }

        var row = Input(normalized, new Settings(MapsInformalSpellings, UsesWordBoundaryCharGrams, UsesPresence));
        if (_head is not null)
        {
            var features = _featurizer!.Predict(row).Features;
            double score = _head.Bias;
            foreach (var (index, value) in features.Items(false))
            {
                score += _head.Weights[index] * value;
            }

            return 1 / (1 + Math.Exp(-score));
        }

        var probability = _predictor!.Predict(row).Probability;
        return float.IsNaN(probability) ? 0 : probability;
    }

    public bool MapsInformalSpellings { get; }

    public bool UsesWordBoundaryCharGrams { get; }

    /// <summary>Presence TF-IDF bags with a linear head of the team's own (see <see cref="BinaryClassifierOptions.Presence"/>).</summary>
    public bool UsesPresence { get; }

    /// <summary>Share of the naive Bayes member in the log-odds (null without presence bags).</summary>
    public double? NaiveBayesShare => _head?.NaiveBayesShare;

    /// <summary>With <see cref="BinaryClassifierOptions.SparseFeatures"/>: the log-odds threshold the inner folds chose (else null).</summary>
    public double? ChosenThreshold => _sparse?.Threshold;

    public void Save(Stream stream)
    {
        if (_sparse is not null)
        {
            using var writer = ModelFile.WriteHeader(stream, SparseKind, new Settings(MapsInformalSpellings, SparseText: _sparseText));
            _sparse.Write(writer);
            return;
        }

        ModelFile.Write(stream, Kind, new Settings(MapsInformalSpellings, UsesWordBoundaryCharGrams, UsesPresence), _ml, _model,
            _ml.Data.LoadFromEnumerable(Array.Empty<NormalizedTextRow>()).Schema);
        if (_head is not null)
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(_head.NaiveBayesShare);
            writer.Write(_head.Bias);
            writer.Write(_head.Weights.Length);
            foreach (var weight in _head.Weights)
            {
                writer.Write(weight);
            }
        }
    }

    public static BinaryTextClassifier Load(Stream stream)
    {
        var ml = new MLContext(1);
        var kind = ModelFile.ReadKind(stream, Kind, SparseKind);
        if (kind == SparseKind)
        {
            var sparseSettings = ModelFile.ReadSettings<Settings>(stream, kind);
            using var sparseReader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            return new BinaryTextClassifier(SparseBinaryModel.Read(sparseReader), sparseSettings);
        }

        var (settings, model) = ModelFile.ReadAfterKind<Settings>(stream, kind, ml);
        LinearHead? head = null;
        if (settings.Presence)
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            var share = reader.ReadDouble();
            var bias = reader.ReadSingle();
            var weights = new float[reader.ReadInt32()];
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = reader.ReadSingle();
            }

            head = new LinearHead(weights, bias, share);
        }

        return new BinaryTextClassifier(ml, model, settings, head);
    }

    /// <summary>Saved settings; a model saved before presence bags existed loads with <c>Presence = false</c>.</summary>
    private sealed record Settings(bool MapInformalSpellings, bool UsesWordBoundaryCharGrams = false, bool Presence = false, SparseTextInput SparseText = SparseTextInput.Raw);

    private static string SparseInput(string text, SparseTextInput input, TextNormalizer normalizer) => input switch
    {
        SparseTextInput.Normalized => normalizer.Normalize(text),
        SparseTextInput.Both => text + "\n" + normalizer.Normalize(text),
        _ => text,
    };

    private sealed record LinearHead(float[] Weights, float Bias, double NaiveBayesShare);

    private sealed class BinaryTrainingRow
    {
        public string Text { get; set; } = string.Empty;

        public string CharGrams { get; set; } = string.Empty;

        public bool Label { get; set; }

        public float Weight { get; set; }
    }

    private sealed class VectorRow
    {
        public VBuffer<float> Features { get; set; }

        public bool Label { get; set; }

        public float Weight { get; set; }
    }

    private sealed class BinaryScore
    {
        public float Probability { get; set; }
    }

    private sealed class FeatureRow
    {
        public VBuffer<float> Features { get; set; }
    }
}
