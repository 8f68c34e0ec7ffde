using System.Globalization;
using OpenGov.Dialogue.Analysis.Classification;
using OpenGov.Dialogue.Analysis.Data;
using OpenGov.Dialogue.Analysis.Duplicates;
using OpenGov.Dialogue.Analysis.Triage;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// <c>eval moderation</c>: the triage score on Pol.is conversations. Each conversation is replayed in
/// timestamp order so the duplicate signal only sees earlier comments; the text model and the signal
/// weights are learned on the --train conversations and scored on the --test ones.
/// </summary>
internal static class ModerationEvaluation
{
    public const string Help = "--train DIR[,DIR...] --test DIR[,DIR...] [--online] [--l2 30] [--equal-say true|false] [--text-model sparse|mlnet]  (Pol.is open-data conversation folders; --online: the moderator's decisions on earlier comments are known) | --data DIR[,DIR...] --cv [K] [--folds-file F.jsonl]  (leave one conversation out; DIR may be one folder of conversation folders; K = the number of conversations)";

    public static Task<int> RunAsync(CliArgs args)
    {
        var online = args.Has("online");
        var l2 = args.OptionalDouble("l2", 30.0);
        var equalSay = args.Optional("equal-say") != "false";
        TextModelOptions = args.Optional("text-model") switch
        {
            "mlnet" => MlNetTextModel,
            null or "sparse" => new BinaryClassifierOptions(),
            var other => throw new CliException($"--text-model must be mlnet or sparse, got '{other}'"),
        };
        if (args.Has("cv"))
        {
            return Task.FromResult(CrossValidate(args, online, l2, equalSay));
        }

        var train = Dirs(args.Required("train")).Select(d => Replay(d, online)).ToList();
        var test = Dirs(args.Required("test")).Select(d => Replay(d, online)).ToList();
        var figures = Score(train, test, online, l2, equalSay, verbose: true);
        Console.WriteLine($"AUC={Metrics.Format(figures.Auc)} F1={Metrics.Format(figures.F1)}");
        return Task.FromResult(0);
    }

    /// <summary>
    /// <c>--cv</c>: leave one conversation out. Each conversation of <c>--data</c> is the test set once,
    /// with the text model, the signal weights and the F1 threshold learned on all the others; nothing of
    /// the test conversation is seen in training (except, with --online, its own earlier decisions, as in
    /// the product). K is the number of conversations; <c>--cv K</c> must equal it, bare <c>--cv</c> takes it.
    /// </summary>
    private static int CrossValidate(CliArgs args, bool online, double l2, bool equalSay)
    {
        if (args.Has("train") || args.Has("test"))
        {
            throw new CliException("--cv is leave one conversation out over --data DIR[,DIR...] (or one folder of conversation folders): give --cv with --data, or --train/--test, not both");
        }

        var dirs = ConversationDirs(args.Required("data"));
        if (dirs.Count < 2)
        {
            throw new CliException($"--cv needs at least 2 conversations, found {dirs.Count}");
        }

        if (args.Optional("cv") is { } raw && args.OptionalInt("cv", dirs.Count) != dirs.Count)
        {
            throw new CliException($"--cv for moderation is leave one conversation out: K is the number of conversations ({dirs.Count}), got {raw}; give bare --cv or --cv {dirs.Count}");
        }

        var conversations = dirs.Select(d => Replay(d, online)).ToList();
        var folds = LeaveOneGroupOut.Assign(conversations.Select(c => c.Dir).ToList());
        if (args.Optional("folds-file") is { } path)
        {
            WriteFolds(path, conversations, folds);
        }

        Console.WriteLine($"cv=leave-one-conversation-out conversations={conversations.Count} mode={(online ? "online" : "cold")} comments={conversations.Sum(c => c.Items.Count)}");
        var results = new List<Figures>();
        for (var f = 0; f < conversations.Count; f++)
        {
            var test = conversations.Where((_, i) => folds[i] == f).ToList();
            var train = conversations.Where((_, i) => folds[i] != f).ToList();
            var figures = Score(train, test, online, l2, equalSay, verbose: false);
            results.Add(figures);
            Console.WriteLine($"fold {f + 1}/{conversations.Count} test={Path.GetFileName(test[0].Dir.TrimEnd('/'))} comments={figures.Comments} rejected={figures.Rejected} "
                + $"text_only_AUC={Metrics.Format(figures.TextOnlyAuc)} signals_learned_AUC={Metrics.Format(figures.SignalsAuc)} AUC={Metrics.Format(figures.Auc)} F1={Metrics.Format(figures.F1)}");
        }

        foreach (var (name, pick) in new (string, Func<Figures, double>)[] { ("text_only_AUC", r => r.TextOnlyAuc), ("signals_learned_AUC", r => r.SignalsAuc), ("AUC", r => r.Auc), ("F1", r => r.F1) })
        {
            var values = results.Select(pick).ToList();
            var (mean, sd) = StratifiedFolds.MeanAndSd(values);
            Console.WriteLine($"loco{conversations.Count} {name} = {Metrics.Format(mean)} ± {Metrics.Format(sd)}  (conversations: {string.Join(" ", values.Select(Metrics.Format))})");
        }

        return 0;
    }

    /// <summary>A comma-separated list of conversation folders, or one folder whose sub-folders (with comments.csv) are the conversations.</summary>
    internal static List<string> ConversationDirs(string data)
    {
        var dirs = Dirs(data).ToList();
        if (dirs.Count == 1 && !File.Exists(Path.Combine(dirs[0], "comments.csv")) && Directory.Exists(dirs[0]))
        {
            dirs = Directory.GetDirectories(dirs[0]).Where(d => File.Exists(Path.Combine(d, "comments.csv"))).Order(StringComparer.Ordinal).ToList();
        }

        return dirs;
    }

    /// <summary>text, label (1 = moderated out) and fold (the conversation's index) as JSON lines, for bench/analysis/reference_cv.py binary.</summary>
    private static void WriteFolds(string path, List<Conversation> conversations, int[] folds)
    {
        using var writer = new StreamWriter(path);
        for (var c = 0; c < conversations.Count; c++)
        {
            foreach (var item in conversations[c].Items)
            {
                writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["fold"] = folds[c],
                    ["label"] = item.Rejected ? "1" : "0",
                    ["text"] = item.Text,
                    ["conversation"] = Path.GetFileName(conversations[c].Dir.TrimEnd('/')),
                }));
            }
        }
    }

    private sealed record Figures(int Comments, int Rejected, double TextOnlyAuc, double SignalsAuc, double Auc, double F1);

    private static Figures Score(List<Conversation> train, List<Conversation> test, bool online, double l2, bool equalSay, bool verbose)
    {
        var trainItems = train.SelectMany(c => c.Items).ToList();
        var testItems = test.SelectMany(c => c.Items).ToList();
        if (verbose)
        {
            Console.WriteLine($"train_comments={trainItems.Count} train_rejected={trainItems.Count(i => i.Rejected)} test_comments={testItems.Count} test_rejected={testItems.Count(i => i.Rejected)}");
        }

        if (testItems.Count == 0)
        {
            throw new CliException("the test conversations have no moderated comments (moderated 1 or -1)");
        }

        // Cold: the text model is trained on the other conversations, and the signal weights see
        // out-of-fold probabilities so they do not trust a model that memorised its training comments.
        // Online: each conversation's own text model, retrained on its earlier decisions.
        var outOfFold = online ? null : OutOfFoldTextProbabilities(train);
        var textModel = online ? null : BinaryTextClassifier.Train(trainItems.Select(i => new BinaryExample(i.Text, i.Rejected)), TextModelOptions);
        double? TrainText(ModeratedComment item) => online ? item.LocalTextProbability : outOfFold![item];
        double? TestText(ModeratedComment item) => online ? item.LocalTextProbability : textModel!.Probability(item.Text);

        // Each training conversation gets an equal say, so one large conversation's policy does not dominate.
        var say = train.SelectMany(c => c.Items.Select(i => (Item: i, Weight: trainItems.Count / (double)(train.Count * c.Items.Count))))
            .ToDictionary(p => p.Item, p => p.Weight, (IEqualityComparer<ModeratedComment>)ReferenceEqualityComparer.Instance);
        double Say(ModeratedComment item) => equalSay ? say[item] : 1.0;
        var weights = TriageScorer.Fit(trainItems.Select(i => new TriageDecision(i.Signals, TrainText(i), i.Rejected, Say(i))).ToList(), l2);
        var signalWeights = TriageScorer.Fit(trainItems.Select(i => new TriageDecision(i.Signals, null, i.Rejected, Say(i))).ToList(), l2);
        var scorer = new TriageScorer(weights, textModel);

        var truth = testItems.Select(i => i.Rejected).ToList();
        var testText = testItems.Select(TestText).ToList();
        var textOnly = testText.Select(p => p ?? 0.5).ToList();
        var defaultSignals = testItems.Select(i => new TriageScorer().Score(i.Signals, null).RejectProbability).ToList();
        var learnedSignals = testItems.Select(i => new TriageScorer(signalWeights).Score(i.Signals, null).RejectProbability).ToList();
        var combined = testItems.Select((i, n) => scorer.Score(i.Signals, testText[n])).ToList();
        var combinedScores = combined.Select(r => r.RejectProbability).ToList();

        // The F1 threshold is chosen on the training conversations, never on the test ones.
        var trainScores = trainItems.Select(i => scorer.Score(i.Signals, TrainText(i)).RejectProbability).ToList();
        var threshold = BestF1Threshold(trainItems.Select(i => i.Rejected).ToList(), trainScores);

        if (verbose)
        {
            var featureRows = testItems.Select(i => TriageScorer.Features(i.Signals, null)).ToList();
            Console.WriteLine("signal_AUC: " + string.Join(' ', TriageScorer.FeatureNames.Take(TriageScorer.FeatureNames.Count - 1).Select((name, f) => $"{name}={Metrics.Format(Metrics.Auc(truth, featureRows.Select(r => r[f]).ToList()))}")));
            Console.WriteLine($"weights: bias={weights.Bias:0.00} " + string.Join(' ', TriageScorer.FeatureNames.Zip(weights.Weights).Select(p => $"{p.First}={p.Second:0.00}")));
            var reasons = testItems.Zip(combined).Where(p => p.First.Rejected).GroupBy(p => p.Second.Reason).OrderByDescending(g => g.Count());
            Console.WriteLine("reasons_for_rejected: " + string.Join(' ', reasons.Select(g => $"{g.Key}={g.Count()}")));
            Console.WriteLine($"text_only_AUC={Metrics.Format(Metrics.Auc(truth, textOnly))} signals_default_AUC={Metrics.Format(Metrics.Auc(truth, defaultSignals))} signals_learned_AUC={Metrics.Format(Metrics.Auc(truth, learnedSignals))} signals_learned_F1={Metrics.Format(Metrics.F1(truth, learnedSignals.Select(s => s >= 0.5).ToList()))}");
            Console.WriteLine($"mode={(online ? "online" : "cold")} threshold={threshold:0.000} F1_at_0.5={Metrics.Format(Metrics.F1(truth, combinedScores.Select(s => s >= 0.5).ToList()))}");
        }

        return new Figures(
            testItems.Count,
            truth.Count(t => t),
            Metrics.Auc(truth, textOnly),
            Metrics.Auc(truth, learnedSignals),
            Metrics.Auc(truth, combinedScores),
            Metrics.F1(truth, combinedScores.Select(s => s >= threshold).ToList()));
    }

    private static Dictionary<ModeratedComment, double?> OutOfFoldTextProbabilities(List<Conversation> train)
    {
        var result = new Dictionary<ModeratedComment, double?>(ReferenceEqualityComparer.Instance);
        var folds = train.Count >= 2
            ? train.Select(c => c.Items).ToList()
            : Enumerable.Range(0, 5).Select(f => train[0].Items.Where((_, n) => n % 5 == f).ToList()).ToList();
        foreach (var fold in folds)
        {
            var rest = folds.Where(f => !ReferenceEquals(f, fold)).SelectMany(f => f).ToList();
            BinaryTextClassifier? model = null;
            try
            {
                model = BinaryTextClassifier.Train(rest.Select(i => new BinaryExample(i.Text, i.Rejected)), TextModelOptions);
            }
            catch (ArgumentException)
            {
                // The other folds hold one class only: no text evidence for this fold.
            }

            foreach (var item in fold)
            {
                result[item] = model?.Probability(item.Text);
            }
        }

        return result;
    }

    private static double BestF1Threshold(List<bool> truth, List<double> scores)
    {
        var best = (Threshold: 0.5, F1: -1.0);
        foreach (var candidate in scores.Distinct().Order())
        {
            var f1 = Metrics.F1(truth, scores.Select(s => s >= candidate).ToList());
            if (f1 > best.F1)
            {
                best = (candidate, f1);
            }
        }

        return best.Threshold;
    }

    private static IEnumerable<string> Dirs(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Conversation Replay(string dir, bool online)
    {
        if (!Directory.Exists(dir))
        {
            throw new CliException($"conversation folder not found: {dir}");
        }

        var table = LabelledData.Open(Path.Combine(dir, "comments.csv"));
        int Column(string name) => table.HasColumn(name) ? table.Column(name) : throw new CliException($"{table.Source}: no column '{name}' (columns: {string.Join(", ", table.Header)})");
        var timestamp = Column("timestamp");
        var body = Column("comment-body");
        var moderated = Column("moderated");
        var id = Column("comment-id");

        using var topic = new DuplicateIndex();
        var summaryPath = Path.Combine(dir, "summary.csv");
        if (File.Exists(summaryPath))
        {
            using var reader = new StreamReader(summaryPath);
            var summary = CsvTable.Parse(reader, summaryPath);
            foreach (var row in summary.Rows.Prepend(summary.Header.ToArray()))
            {
                if (row.Length >= 2 && row[0] is "topic" or "conversation-description")
                {
                    topic.Add(row[0], row[1]);
                }
            }
        }

        // Earlier comments of every state count as "seen before", but only moderated ones are scored.
        using var earlier = new DuplicateIndex();
        using var history = new ModerationHistory();
        var items = new List<ModeratedComment>();
        var decided = new List<BinaryExample>();
        BinaryTextClassifier? local = null;
        var ordered = table.Rows
            .Select(r => (Time: Number(r[timestamp], "timestamp"), Row: r))
            .OrderBy(r => r.Time)
            .ThenBy(r => Number(r.Row[id], "comment-id"));
        foreach (var (_, row) in ordered)
        {
            var text = row[body];
            var signals = TriageSignals.Measure(text, earlier, topic, online ? history : null);
            earlier.Add(row[id], text);
            if (row[moderated] is "1" or "-1")
            {
                var rejected = row[moderated] == "-1";
                items.Add(new ModeratedComment(text, signals, rejected, local?.Probability(text)));
                history.Record(row[id], text, rejected);
                decided.Add(new BinaryExample(text, rejected));

                // As in the product: the consultation's own model retrains in the background as decisions arrive.
                if (online && decided.Count % RetrainEvery == 0 && decided.Count(d => d.IsPositive) >= 5 && decided.Count(d => !d.IsPositive) >= 5)
                {
                    local = BinaryTextClassifier.Train(decided, TextModelOptions with { CharNgramLength = 4, AllCharLengths = false });
                }
            }
        }

        return new Conversation(dir, items);
    }

    private sealed record Conversation(string Dir, List<ModeratedComment> Items);

    private static long Number(string raw, string column) =>
        long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliException($"column '{column}' holds '{raw}', not an integer");

    private const int RetrainEvery = 25;

    /// <summary>
    /// <c>--text-model mlnet</c>: character n-grams across the whole text, not within words: Pol.is conversations are also German
    /// and Chinese, and ML.NET's word-boundary n-grams lose Chinese character pairs (cold text-only AUC fell from
    /// 0.603 to 0.565 on average over the six conversations). The sparse default takes its character n-grams inside
    /// whitespace-separated runs, so an unspaced Chinese sentence keeps its pairs.
    /// </summary>
    // --text-model mlnet: ML.NET's cross-text character n-grams, the text model before issue #18 §1 (docs/analysis.md).
    // The default is BinaryClassifierOptions' own (sparse, issue #18 §1): leave-one-conversation-out AUC cold 0.6543 against
    // 0.6540, online 0.6910 against 0.6847.
    private static readonly BinaryClassifierOptions MlNetTextModel = new() { WordBoundaryCharGrams = false, SparseFeatures = null };

    // Set once per command run (the CLI runs one command per process).
    private static BinaryClassifierOptions TextModelOptions = MlNetTextModel;

    private sealed record ModeratedComment(string Text, TriageSignals Signals, bool Rejected, double? LocalTextProbability);
}
