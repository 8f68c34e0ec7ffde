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
    public const string Help = "--train DIR[,DIR...] --test DIR[,DIR...]  (Pol.is open-data conversation folders)";

    public static Task<int> RunAsync(CliArgs args)
    {
        var train = Dirs(args.Required("train")).Select(Replay).ToList();
        var test = Dirs(args.Required("test")).Select(Replay).ToList();
        var trainItems = train.SelectMany(c => c.Items).ToList();
        var testItems = test.SelectMany(c => c.Items).ToList();
        Console.WriteLine($"train_comments={trainItems.Count} train_rejected={trainItems.Count(i => i.Rejected)} test_comments={testItems.Count} test_rejected={testItems.Count(i => i.Rejected)}");
        if (testItems.Count == 0)
        {
            throw new CliException("the test conversations have no moderated comments (moderated 1 or -1)");
        }

        // Out-of-fold text probabilities for the training items, so the signal weights do not learn to
        // trust a text model that has memorised its own training comments.
        var outOfFold = OutOfFoldTextProbabilities(train);
        var textModel = BinaryTextClassifier.Train(trainItems.Select(i => new BinaryExample(i.Text, i.Rejected)));
        var weights = TriageScorer.Fit(trainItems.Select(i => new TriageDecision(i.Signals, outOfFold[i], i.Rejected)).ToList());
        var signalWeights = TriageScorer.Fit(trainItems.Select(i => new TriageDecision(i.Signals, null, i.Rejected)).ToList());
        var scorer = new TriageScorer(weights, textModel);

        var truth = testItems.Select(i => i.Rejected).ToList();
        var textOnly = testItems.Select(i => textModel.Probability(i.Text)).ToList();
        var defaultSignals = testItems.Select(i => new TriageScorer().Score(i.Signals, null).RejectProbability).ToList();
        var learnedSignals = testItems.Select(i => new TriageScorer(signalWeights).Score(i.Signals, null).RejectProbability).ToList();
        var combined = testItems.Select((i, n) => scorer.Score(i.Signals, textOnly[n])).ToList();
        var combinedScores = combined.Select(r => r.RejectProbability).ToList();

        var featureRows = testItems.Select(i => TriageScorer.Features(i.Signals, null)).ToList();
        Console.WriteLine("signal_AUC: " + string.Join(' ', TriageScorer.FeatureNames.Take(TriageScorer.FeatureNames.Count - 1).Select((name, f) => $"{name}={Metrics.Format(Metrics.Auc(truth, featureRows.Select(r => r[f]).ToList()))}")));
        Console.WriteLine($"weights: bias={weights.Bias:0.00} " + string.Join(' ', TriageScorer.FeatureNames.Zip(weights.Weights).Select(p => $"{p.First}={p.Second:0.00}")));
        var reasons = testItems.Zip(combined).Where(p => p.First.Rejected).GroupBy(p => p.Second.Reason).OrderByDescending(g => g.Count());
        Console.WriteLine("reasons_for_rejected: " + string.Join(' ', reasons.Select(g => $"{g.Key}={g.Count()}")));
        Console.WriteLine($"text_only_AUC={Metrics.Format(Metrics.Auc(truth, textOnly))} signals_default_AUC={Metrics.Format(Metrics.Auc(truth, defaultSignals))} signals_learned_AUC={Metrics.Format(Metrics.Auc(truth, learnedSignals))} signals_learned_F1={Metrics.Format(Metrics.F1(truth, learnedSignals.Select(s => s >= 0.5).ToList()))}");
        Console.WriteLine($"AUC={Metrics.Format(Metrics.Auc(truth, combinedScores))} F1={Metrics.Format(Metrics.F1(truth, combinedScores.Select(s => s >= 0.5).ToList()))}");
        return Task.FromResult(0);
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
                model = BinaryTextClassifier.Train(rest.Select(i => new BinaryExample(i.Text, i.Rejected)));
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

    private static IEnumerable<string> Dirs(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Conversation Replay(string dir)
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
        var items = new List<ModeratedComment>();
        var ordered = table.Rows
            .Select(r => (Time: long.Parse(r[timestamp], CultureInfo.InvariantCulture), Row: r))
            .OrderBy(r => r.Time)
            .ThenBy(r => int.Parse(r.Row[id], CultureInfo.InvariantCulture));
        foreach (var (_, row) in ordered)
        {
            var text = row[body];
            var signals = TriageSignals.Measure(text, earlier, topic);
            earlier.Add(row[id], text);
            if (row[moderated] is "1" or "-1")
            {
                items.Add(new ModeratedComment(text, signals, row[moderated] == "-1"));
            }
        }

        return new Conversation(dir, items);
    }

    private sealed record Conversation(string Dir, List<ModeratedComment> Items);

    private sealed record ModeratedComment(string Text, TriageSignals Signals, bool Rejected);
}
