using System.Diagnostics;
using OpenGov.Dialogue.Analysis.Topics;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary><c>eval topics</c>: train the topic tagger on one file, score it on another (or a held-out split).</summary>
internal static class TopicsEvaluation
{
    public const string Help = "--train A.csv (--test B.csv | --holdout 0.2) --text-column T --label-column L [--first-label-of ,] [--char-ngrams 0] [--trainer sdca|lbfgs|svm|sparse-svm] [--C 0.5] [--svm-tolerance 0.01] [--softmax-scale 5] [--word-to 2] [--char-from 3] [--char-to 0] [--sublinear true|false] [--l2 X] [--balanced true|false] [--class-weight-power 0.5] [--char-wb true|false] [--presence true|false] [--min-df 1] [--stop-words remove|keep] [--iterations N]" + CrossValidation.HelpSuffix;

    /// <summary>Model settings a user may override to compare variants; defaults are the shipped ones.</summary>
    private static TopicTaggerOptions Options(CliArgs args)
    {
        var defaults = new TopicTaggerOptions();
        var l2 = args.Optional("l2");
        var sparse = args.Optional("trainer") is { } named ? named == "sparse-svm" : defaults.Trainer == TopicTrainer.SparseSvm;
        return defaults with
        {
            CharNgramLength = args.OptionalInt("char-ngrams", defaults.CharNgramLength),
            MaximumIterations = args.OptionalInt("iterations", defaults.MaximumIterations),
            BalanceClasses = args.Optional("balanced") is null ? defaults.BalanceClasses : args.Optional("balanced") == "true",
            Trainer = args.Optional("trainer") switch
            {
                null => defaults.Trainer,
                "sdca" => TopicTrainer.Sdca,
                "lbfgs" => TopicTrainer.Lbfgs,
                "svm" => TopicTrainer.Svm,
                "sparse-svm" => TopicTrainer.SparseSvm,
                var other => throw new CliException($"--trainer must be sdca, lbfgs, svm or sparse-svm, got '{other}'"),
            },
            SvmCost = args.OptionalDouble("C", defaults.SvmCost),
            SvmTolerance = args.OptionalDouble("svm-tolerance", defaults.SvmTolerance),
            SvmSoftmaxScale = args.OptionalDouble("softmax-scale", defaults.SvmSoftmaxScale),
            SparseFeatures = defaults.SparseFeatures with
            {
                WordNgramTo = args.OptionalInt("word-to", defaults.SparseFeatures.WordNgramTo),
                CharNgramFrom = args.OptionalInt("char-from", defaults.SparseFeatures.CharNgramFrom),
                CharNgramTo = args.OptionalInt("char-to", defaults.SparseFeatures.CharNgramTo),
                MinDocumentFrequency = sparse ? args.OptionalInt("min-df", defaults.SparseFeatures.MinDocumentFrequency) : defaults.SparseFeatures.MinDocumentFrequency,
                SublinearTf = args.Optional("sublinear") is { } sub ? sub == "true" : defaults.SparseFeatures.SublinearTf,
            },
            ClassWeightPower = args.OptionalDouble("class-weight-power", defaults.ClassWeightPower),
            WordBoundaryCharGrams = args.Optional("char-wb") is { } wb ? wb == "true" : defaults.WordBoundaryCharGrams,
            Presence = args.Optional("presence") is { } presence ? presence == "true" : defaults.Presence,
            L2Regularization = l2 is null ? defaults.L2Regularization : (float)args.OptionalDouble("l2", 0),
            MinDocumentFrequency = sparse ? defaults.MinDocumentFrequency : args.OptionalInt("min-df", defaults.MinDocumentFrequency),
            RemoveStopWords = args.Optional("stop-words") switch
            {
                null => defaults.RemoveStopWords,
                "remove" => true,
                "keep" => false,
                var other => throw new CliException($"--stop-words must be remove or keep, got '{other}'"),
            },
        };
    }

    public static Task<int> RunAsync(CliArgs args)
    {
        if (CrossValidation.Requested(args))
        {
            var options = Options(args);
            return Task.FromResult(CrossValidation.Run(args, args.Optional("first-label-of"), (train, test) =>
            {
                var tagger = TopicTagger.Train(train.Select(r => new LabelledText(r.Text, r.Label)), options);
                var truth = test.Select(r => r.Label).ToList();
                var labels = test.Select(r => tagger.Predict(r.Text).Topic).ToList();
                return [("macroF1", Metrics.MacroF1(truth, labels)), ("accuracy", Metrics.Accuracy(truth, labels))];
            }));
        }

        var (train, test) = LabelledData.TrainAndTest(args, args.Optional("first-label-of"));
        Console.WriteLine($"train={train.Count} test={test.Count} classes={train.Select(r => r.Label).Distinct().Count()}");

        var watch = Stopwatch.StartNew();
        TopicTagger tagger;
        try
        {
            tagger = TopicTagger.Train(train.Select(r => new LabelledText(r.Text, r.Label)), Options(args));
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message.Split(" (Parameter")[0]);
        }

        var trainSeconds = watch.Elapsed.TotalSeconds;
        tagger.Predict(test[0].Text);

        var cpuStarted = ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowMilliseconds() : double.NaN;
        watch.Restart();
        var predicted = test.Select(r => tagger.Predict(r.Text)).ToList();
        var predictPerSecond = test.Count / watch.Elapsed.TotalSeconds;

        // Per second of this thread's CPU time: the one-core rate, even when the machine is shared.
        var predictPerCpuSecond = test.Count / ((ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowMilliseconds() : double.NaN) - cpuStarted) * 1000;

        watch.Restart();
        foreach (var row in test)
        {
            _ = OpenGov.Dialogue.Analysis.Text.TextNormalizer.ForTopics.Normalize(row.Text);
        }

        var normalizePerSecond = test.Count / watch.Elapsed.TotalSeconds;
        var truth = test.Select(r => r.Label).ToList();
        var labels = predicted.Select(p => p.Topic).ToList();
        var unsure = predicted.Count(p => p.IsUnsure);
        var sureAccuracy = unsure == test.Count ? 0 : test.Zip(predicted).Where(p => !p.Second.IsUnsure).Count(p => p.First.Label == p.Second.Topic) / (double)(test.Count - unsure);
        Console.WriteLine($"baseline_majority_accuracy={Metrics.Format(Metrics.Accuracy(truth, truth.Select(_ => train.GroupBy(r => r.Label).MaxBy(g => g.Count())!.Key).ToList()))} unsure_share={Metrics.Format(unsure / (double)test.Count)} accuracy_when_sure={Metrics.Format(sureAccuracy)} normalize_per_s={normalizePerSecond:0} predict_per_cpu_s={predictPerCpuSecond:0} load_average={LoadAverage()}");
        Console.WriteLine($"macroF1={Metrics.Format(Metrics.MacroF1(truth, labels))} accuracy={Metrics.Format(Metrics.Accuracy(truth, labels))} train_s={trainSeconds:0.00} predict_per_s={predictPerSecond:0}");
        return Task.FromResult(0);
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
