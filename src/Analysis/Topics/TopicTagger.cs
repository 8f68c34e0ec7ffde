using Microsoft.ML;
using Microsoft.ML.Data;
using OpenGov.Dialogue.Analysis.Classification;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Topics;

/// <summary>A text with the topic a moderator gave it.</summary>
public sealed record LabelledText(string Text, string Label);

public sealed record TopicTaggerOptions
{
    /// <summary>Below this confidence the tagger answers "unsure" and leaves the tag to a moderator.</summary>
    public double UnsureBelow { get; init; } = 0.4;

    /// <summary>
    /// Passes of the SDCA solver. 100 with L2 3e-6 (issue #18, chosen by 5-fold CV on LaporGub: macro-F1 0.6716 against
    /// 0.6614 at 30 passes and 0.6703 at 50; docs/analysis.md).
    /// </summary>
    public int MaximumIterations { get; init; } = 100;

    /// <summary>SDCA's L2 penalty: 3e-6 (5-fold CV; 1e-5 with √ class weights was the earlier default, 0.6556).</summary>
    public float? L2Regularization { get; init; } = 3e-6f;

    /// <summary>Character n-gram length; 0 uses words only.</summary>
    public int CharNgramLength { get; init; }

    /// <summary>Weight examples inversely to their topic's frequency, so rare topics are not drowned out.</summary>
    public bool BalanceClasses { get; init; } = true;

    /// <summary>
    /// With <see cref="BalanceClasses"/>: weight (n / (k·nᶜ))^power; 1 (scikit-learn's 'balanced') by default since
    /// issue #18 (5-fold CV on LaporGub: better than ½ on every fold), ½ is the earlier √ weighting.
    /// </summary>
    public double ClassWeightPower { get; init; } = 1;

    /// <summary>
    /// The team's own TF-IDF and linear SVMs by default since issue #18 §1 (5-fold CV on LaporGub: macro-F1 0.6847 against
    /// 0.6716 for ML.NET's SDCA maximum entropy, better on every fold, and ≈ 1.5 s of training on 8,000 texts against 6.5 s; docs/analysis.md), or ML.NET's
    /// SDCA / L-BFGS maximum entropy or SDCA hinge loss on ML.NET's featurisation.
    /// </summary>
    public TopicTrainer Trainer { get; init; } = TopicTrainer.SparseSvm;

    /// <summary>
    /// Word 1–2-grams and word-boundary character 3–5-grams (like scikit-learn's char_wb) as two TF-IDF bags,
    /// each L2-normalised, instead of <see cref="CharNgramLength"/>'s character n-grams across the text.
    /// </summary>
    public bool WordBoundaryCharGrams { get; init; }

    /// <summary>With <see cref="WordBoundaryCharGrams"/>: each word or character n-gram counts once per text (presence tf).</summary>
    public bool Presence { get; init; }

    /// <summary>
    /// With <see cref="Presence"/>: word 1–2-grams and character n-grams found in fewer training texts than this are
    /// left out of the vocabulary (scikit-learn's min_df); 1 keeps every term.
    /// </summary>
    public int MinDocumentFrequency { get; init; } = 1;

    /// <summary>Drop Indonesian and English stop words before featurising (negations always stay).</summary>
    public bool RemoveStopWords { get; init; } = true;

    public int Seed { get; init; } = 1;

    /// <summary>With <see cref="TopicTrainer.SparseSvm"/>: the TF-IDF settings.</summary>
    /// <remarks>
    /// Words only (1–2-grams, sub-linear tf): the word-bounded character n-grams cost time and gave a lower 5-fold mean on
    /// LaporGub (0.6814 against 0.6875). Every term is kept (min df 1): min df 2 gave 0.6875 against 0.6847 on LaporGub, a
    /// difference within the folds' spread, but on nine tagged texts (a consultation's first tags) it lost up to 4 of 15
    /// made-up complaints that min df 1 tags right (SparseTopicTaggerTests).
    /// </remarks>
    public SparseTfidfOptions SparseFeatures { get; init; } = new() { CharNgramTo = 0, MinDocumentFrequency = 1 };

    /// <summary>With <see cref="TopicTrainer.SparseSvm"/>: the SVM's C (scikit-learn's LinearSVC C).</summary>
    public double SvmCost { get; init; } = 0.5;

    /// <summary>With <see cref="TopicTrainer.SparseSvm"/>: the solver stops when its projected gradients span less than this.</summary>
    public double SvmTolerance { get; init; } = 0.01;

    /// <summary>
    /// With <see cref="TopicTrainer.SparseSvm"/>: topic probabilities are softmax(scale · decision values). 5 had the lowest
    /// log loss on the held-out folds of LaporGub (scales 1–8 tried); it leaves ≈ 10 % of texts below <see cref="UnsureBelow"/>,
    /// as the maximum entropy model did. It changes no predicted topic.
    /// </summary>
    public double SvmSoftmaxScale { get; init; } = 5;
}

public enum TopicTrainer
{
    Sdca,
    Lbfgs,

    /// <summary>
    /// One linear SVM per topic (SDCA, hinge loss; <see cref="TopicTaggerOptions.L2Regularization"/> is the SDCA λ,
    /// about 1 / (C · n) for scikit-learn's LinearSVC C), Platt-calibrated and normalised across topics.
    /// </summary>
    Svm,

    /// <summary>
    /// The team's own TF-IDF (<see cref="SparseTfidf"/>, settings in <see cref="TopicTaggerOptions.SparseFeatures"/>: word
    /// 1–2-grams, sub-linear tf) and one linear SVM per topic (<see cref="LinearSvm"/>, squared hinge, C =
    /// <see cref="TopicTaggerOptions.SvmCost"/>, class weights as <see cref="TopicTaggerOptions.ClassWeightPower"/>).
    /// Probabilities: a softmax of the decision values times <see cref="TopicTaggerOptions.SvmSoftmaxScale"/>.
    /// </summary>
    SparseSvm,
}

/// <summary>The tagger's answer: the best topic, its probability, and whether that is too low to trust.</summary>
public sealed record TopicPrediction(string Topic, double Confidence, bool IsUnsure);

/// <summary>
/// Multiclass topic tagging over a consultation's own taxonomy (ML.NET TF-IDF features + SDCA maximum
/// entropy). Training 10,000 examples takes seconds, so a grain can retrain in the background each time
/// moderators add tags. Prediction is thread-safe.
/// </summary>
public sealed class TopicTagger
{
    private const string Kind = "topic-tagger";
    private const string SparseKind = "topic-tagger-sparse";
    private readonly PooledPredictor<NormalizedTextRow, TopicScores>? _predictor;
    private readonly TextNormalizer _normalizer;
    private readonly MLContext? _ml;
    private readonly ITransformer? _model;
    private readonly SparseTopicModel? _sparse;

    private readonly Features _features;

    private TopicTagger(MLContext ml, ITransformer model, IReadOnlyList<string> topics, double unsureBelow, Features features)
    {
        _features = features;
        _normalizer = Normalizer(features.RemoveStopWords);
        _ml = ml;
        _model = model;
        Topics = topics;
        UnsureBelow = unsureBelow;
        _predictor = new PooledPredictor<NormalizedTextRow, TopicScores>(ml, model);
    }

    private TopicTagger(SparseTopicModel sparse, IReadOnlyList<string> topics, double unsureBelow, bool removeStopWords)
    {
        _features = new Features(false, false, removeStopWords);
        _normalizer = Normalizer(removeStopWords);
        _sparse = sparse;
        Topics = topics;
        UnsureBelow = unsureBelow;
    }

    /// <summary>The taxonomy, in the order of <see cref="Probabilities"/>.</summary>
    public IReadOnlyList<string> Topics { get; }

    public double UnsureBelow { get; }

    public static TopicTagger Train(IEnumerable<LabelledText> examples, TopicTaggerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new TopicTaggerOptions();
        if (options.MinDocumentFrequency > 1 && !(options.WordBoundaryCharGrams && options.Presence))
        {
            throw new ArgumentException("MinDocumentFrequency needs WordBoundaryCharGrams and Presence", nameof(options));
        }

        var normalizer = Normalizer(options.RemoveStopWords);
        var rows = examples
            .Where(e => !string.IsNullOrWhiteSpace(e.Text) && !string.IsNullOrWhiteSpace(e.Label))
            .Select(e => (Text: normalizer.Normalize(e.Text), e.Label))
            .ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException("no labelled examples with non-empty text to train on", nameof(examples));
        }

        var topics = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (topics.Count < 2)
        {
            throw new ArgumentException($"topic tagging needs at least two topics; every example is '{topics[0]}'", nameof(examples));
        }

        var counts = rows.CountBy(r => r.Label).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        if (options.Trainer == TopicTrainer.SparseSvm)
        {
            var index = topics.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
            var classWeights = topics.Select(t => options.BalanceClasses ? ClassWeight(rows.Count / (double)(topics.Count * counts[t]), options.ClassWeightPower) : 1).ToList();
            var sparse = SparseTopicModel.Train(rows.Select(r => r.Text).ToList(), rows.Select(r => index[r.Label]).ToList(), topics.Count, classWeights, options);
            return new TopicTagger(sparse, topics, options.UnsureBelow, options.RemoveStopWords);
        }

        var ml = new MLContext(options.Seed);
        var features = new Features(options.WordBoundaryCharGrams, options.WordBoundaryCharGrams && options.Presence, options.RemoveStopWords);
        var inputs = rows.Select(r => Input(r.Text, features)).ToList();
        if (options.MinDocumentFrequency > 1)
        {
            // Presence rows hold each term once, so a term's count over the rows is its document frequency.
            // Terms below the minimum are left out of the training rows only: the bags' vocabularies are built
            // from these rows, so at prediction time such terms are unknown and ignored, as in scikit-learn.
            var words = TextFeaturization.MinDocumentFrequencyFilter(inputs.Select(i => i.Text), options.MinDocumentFrequency);
            var chars = TextFeaturization.MinDocumentFrequencyFilter(inputs.Select(i => i.CharGrams), options.MinDocumentFrequency);
            inputs = inputs.Select(i => new NormalizedTextRow { Text = words(i.Text), CharGrams = chars(i.CharGrams) }).ToList();
        }

        var data = ml.Data.LoadFromEnumerable(rows.Select((r, n) => new TopicTrainingRow
        {
            Text = inputs[n].Text,
            CharGrams = inputs[n].CharGrams,
            Label = r.Label,
            Weight = options.BalanceClasses ? (float)ClassWeight(rows.Count / (double)(topics.Count * counts[r.Label]), options.ClassWeightPower) : 1f,
        }));
        // The label mapping is fitted apart so the served model needs only the text column.
        var keyed = ml.Transforms.Conversion.MapValueToKey(nameof(TopicTrainingRow.Label)).Fit(data).Transform(data);
        var pipeline = (features.WordBoundaryCharGrams
                ? features.Presence ? TextFeaturization.PresenceBags(ml) : TextFeaturization.WordsAndBoundedCharGrams(ml)
                : TextFeaturization.Estimator(ml, options.CharNgramLength))
            .AppendCacheCheckpoint(ml)
            .Append(options.Trainer == TopicTrainer.Svm
                ? ml.MulticlassClassification.Trainers.OneVersusAll(
                    ml.BinaryClassification.Trainers.SdcaNonCalibrated(
                        labelColumnName: nameof(TopicTrainingRow.Label),
                        featureColumnName: TextFeaturization.FeaturesColumn,
                        exampleWeightColumnName: nameof(TopicTrainingRow.Weight),
                        lossFunction: new Microsoft.ML.Trainers.HingeLoss(),
                        l2Regularization: options.L2Regularization,
                        maximumNumberOfIterations: options.MaximumIterations),
                    labelColumnName: nameof(TopicTrainingRow.Label))
                : options.Trainer == TopicTrainer.Lbfgs
                ? ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                    labelColumnName: nameof(TopicTrainingRow.Label),
                    featureColumnName: TextFeaturization.FeaturesColumn,
                    exampleWeightColumnName: nameof(TopicTrainingRow.Weight),
                    l2Regularization: options.L2Regularization ?? 1e-4f)
                : (IEstimator<ITransformer>)ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                    labelColumnName: nameof(TopicTrainingRow.Label),
                    featureColumnName: TextFeaturization.FeaturesColumn,
                    exampleWeightColumnName: nameof(TopicTrainingRow.Weight),
                    l2Regularization: options.L2Regularization,
                    maximumNumberOfIterations: options.MaximumIterations));
        var model = pipeline.Fit(keyed);

        // Score slots follow the key order ML.NET chose, so read the topic names back from the model.
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        model.GetOutputSchema(keyed.Schema)["Score"].GetSlotNames(ref slotNames);
        var ordered = slotNames.DenseValues().Select(v => v.ToString()).ToList();
        return new TopicTagger(ml, model, ordered, options.UnsureBelow, features);
    }

    public TopicPrediction Predict(string text)
    {
        var probabilities = Probabilities(text);
        var best = 0;
        for (var i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }

        var confidence = probabilities[best];
        return new TopicPrediction(Topics[best], confidence, confidence < UnsureBelow);
    }

    /// <summary>The probability of each topic in <see cref="Topics"/>.</summary>
    public float[] Probabilities(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("text is empty", nameof(text));
        }

        if (_sparse is not null)
        {
            return _sparse.Probabilities(_normalizer.Normalize(text));
        }

        var scores = _predictor!.Predict(Input(_normalizer.Normalize(text), _features)).Score;
        if (scores.Length != Topics.Count)
        {
            throw new InvalidOperationException($"the model scores {scores.Length} topics but knows {Topics.Count}");
        }

        return scores;
    }

    public void Save(Stream stream)
    {
        var settings = new Settings(Topics.ToList(), UnsureBelow, _features.WordBoundaryCharGrams, _features.Presence, _features.RemoveStopWords);
        if (_sparse is not null)
        {
            using var writer = ModelFile.WriteHeader(stream, SparseKind, settings);
            _sparse.Write(writer);
            return;
        }

        ModelFile.Write(stream, Kind, settings, _ml!, _model!, _ml!.Data.LoadFromEnumerable(Array.Empty<NormalizedTextRow>()).Schema);
    }

    public static TopicTagger Load(Stream stream)
    {
        var ml = new MLContext(1);
        var kind = ModelFile.ReadKind(stream, Kind, SparseKind);
        if (kind == SparseKind)
        {
            var sparseSettings = ModelFile.ReadSettings<Settings>(stream, kind);
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            return new TopicTagger(SparseTopicModel.Read(reader), sparseSettings.Topics, sparseSettings.UnsureBelow, sparseSettings.RemoveStopWords);
        }

        var (settings, model) = ModelFile.ReadAfterKind<Settings>(stream, kind, ml);
        return new TopicTagger(ml, model, settings.Topics, settings.UnsureBelow, new Features(settings.WordBoundaryCharGrams, settings.Presence, settings.RemoveStopWords));
    }

    /// <summary>Math.Sqrt for the default ½, so the shipped weights stay bit-for-bit what they were.</summary>
    private static double ClassWeight(double ratio, double power) => power == 0.5 ? Math.Sqrt(ratio) : Math.Pow(ratio, power);

    private static NormalizedTextRow Input(string normalized, Features features) => features switch
    {
        { Presence: true } => new NormalizedTextRow
        {
            Text = TextFeaturization.DistinctWordGrams(normalized),
            CharGrams = TextFeaturization.WordBoundaryCharGrams(normalized, distinct: true),
        },
        { WordBoundaryCharGrams: true } => new NormalizedTextRow { Text = normalized, CharGrams = TextFeaturization.WordBoundaryCharGrams(normalized) },
        _ => new NormalizedTextRow { Text = normalized },
    };

    private static TextNormalizer Normalizer(bool removeStopWords) => removeStopWords ? TextNormalizer.ForTopics : TextNormalizer.Default;

    private sealed record Features(bool WordBoundaryCharGrams, bool Presence, bool RemoveStopWords = true);

    /// <summary>Saved settings; a model saved before the word-boundary options existed loads with both false (and stop words removed).</summary>
    private sealed record Settings(List<string> Topics, double UnsureBelow, bool WordBoundaryCharGrams = false, bool Presence = false, bool RemoveStopWords = true);

    private sealed class TopicTrainingRow
    {
        public string Text { get; set; } = string.Empty;

        public string CharGrams { get; set; } = string.Empty;

        public string Label { get; set; } = string.Empty;

        public float Weight { get; set; }
    }

    private sealed class TopicScores
    {
        public float[] Score { get; set; } = [];
    }
}
