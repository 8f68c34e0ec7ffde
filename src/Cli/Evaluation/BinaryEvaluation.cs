using System.Diagnostics;
using OpenGov.Dialogue.Analysis.Classification;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary><c>eval binary</c>: one class against the rest (abusive or not, hate or not).</summary>
internal static class BinaryEvaluation
{
    public const string Help = "--train A.csv (--test B.csv | --holdout 0.2) --text-column T --label-column L [--positive 1] [--char-ngrams 5] [--all-char-lengths true|false] [--l2 X] [--iterations N] [--trainer sdca|lbfgs] [--separate-bags true|false] [--map-spellings true|false] [--balanced true|false] [--char-wb true|false] [--presence true|false] [--nb true|false] [--nb-l2 X] [--nb-share 0..1] [--min-df 1] [--features sparse|mlnet] [--word-to 2] [--char-from 1] [--char-to 6] [--sparse-l2 1e-5] [--sparse-nb-l2 1e-5] [--sparse-svm-c 0.2|none] [--sparse-iterations 50] [--sparse-tolerance 0.01] [--sparse-text both|raw|normalized] [--threshold-folds 3]" + CrossValidation.HelpSuffix;

    private static BinaryClassifierOptions Options(CliArgs args)
    {
        var defaults = new BinaryClassifierOptions();
        var l2 = args.Optional("l2");
        var options = defaults with
        {
            CharNgramLength = args.OptionalInt("char-ngrams", defaults.CharNgramLength),
            MaximumIterations = args.OptionalInt("iterations", defaults.MaximumIterations),
            UseLbfgs = args.Optional("trainer") switch
            {
                null or "sdca" => false,
                "lbfgs" => true,
                var other => throw new CliException($"--trainer must be sdca or lbfgs, got '{other}'"),
            },
            BalanceClasses = args.Optional("balanced") is { } balanced ? balanced == "true" : defaults.BalanceClasses,
            MapInformalSpellings = args.Optional("map-spellings") is { } map ? map == "true" : defaults.MapInformalSpellings,
            WordBoundaryCharGrams = args.Optional("char-wb") is { } wb ? wb == "true" : defaults.WordBoundaryCharGrams,
            SeparateBags = args.Optional("separate-bags") is { } separate ? separate == "true" : defaults.SeparateBags,
            Presence = args.Optional("presence") is { } presence ? presence == "true" : defaults.Presence,
            NaiveBayesMember = args.Optional("nb") is { } nb ? nb == "true" : defaults.NaiveBayesMember,
            NaiveBayesL2 = args.Optional("nb-l2") is null ? defaults.NaiveBayesL2 : (float)args.OptionalDouble("nb-l2", 0),
            NaiveBayesShare = args.Optional("nb-share") is null ? defaults.NaiveBayesShare : args.OptionalDouble("nb-share", 0.5),
            AllCharLengths = args.Optional("all-char-lengths") is { } all ? all == "true" : defaults.AllCharLengths,
            L2Regularization = l2 is null ? defaults.L2Regularization : (float)args.OptionalDouble("l2", 0),
            MinDocumentFrequency = args.Optional("features") == "mlnet" ? args.OptionalInt("min-df", defaults.MinDocumentFrequency) : defaults.MinDocumentFrequency,
            SparseFeatures = args.Optional("features") switch
            {
                "mlnet" => null,
                null or "sparse" => (defaults.SparseFeatures ?? new SparseTfidfOptions()) is var sparse ? sparse with
                {
                    WordNgramTo = args.OptionalInt("word-to", sparse.WordNgramTo),
                    CharNgramFrom = args.OptionalInt("char-from", sparse.CharNgramFrom),
                    CharNgramTo = args.OptionalInt("char-to", sparse.CharNgramTo),
                    MinDocumentFrequency = args.OptionalInt("min-df", sparse.MinDocumentFrequency),
                } : null,
                var other => throw new CliException($"--features must be sparse or mlnet, got '{other}'"),
            },
            SparseL2 = args.Optional("sparse-l2") is null ? defaults.SparseL2 : (float)args.OptionalDouble("sparse-l2", 0),
            SparseNaiveBayesL2 = args.Optional("sparse-nb-l2") is null ? defaults.SparseNaiveBayesL2 : (float)args.OptionalDouble("sparse-nb-l2", 0),
            SparseSvmCost = args.Optional("sparse-svm-c") is null ? defaults.SparseSvmCost : args.Optional("sparse-svm-c") == "none" ? null : args.OptionalDouble("sparse-svm-c", 0.3),
            SparseIterations = args.OptionalInt("sparse-iterations", defaults.SparseIterations),
            SparseTolerance = args.Optional("sparse-tolerance") is null ? defaults.SparseTolerance : (float)args.OptionalDouble("sparse-tolerance", 0.01),
            SparseText = args.Optional("sparse-text") switch
            {
                null => defaults.SparseText,
                "raw" => SparseTextInput.Raw,
                "normalized" => SparseTextInput.Normalized,
                "both" => SparseTextInput.Both,
                var other => throw new CliException($"--sparse-text must be raw, normalized or both, got '{other}'"),
            },
            ThresholdFolds = args.OptionalInt("threshold-folds", defaults.ThresholdFolds),
        };
        return options;
    }

    public static Task<int> RunAsync(CliArgs args)
    {
        var positive = args.Optional("positive") ?? "1";
        if (CrossValidation.Requested(args))
        {
            var cvOptions = Options(args);
            return Task.FromResult(CrossValidation.Run(args, null, (train, test) =>
            {
                if (!train.Any(r => r.Label == positive))
                {
                    throw new CliException($"no training row has the label '{positive}' (--positive)");
                }

                var classifier = BinaryTextClassifier.Train(train.Select(r => new BinaryExample(r.Text, r.Label == positive)), cvOptions);
                var scores = test.Select(r => classifier.Probability(r.Text)).ToList();
                var truth = test.Select(r => r.Label == positive).ToList();
                var predicted = scores.Select(s => s >= 0.5).ToList();
                return [("F1", Metrics.F1(truth, predicted)), ("AUC", Metrics.Auc(truth, scores)), ("accuracy", Metrics.Accuracy(truth.Select(t => t.ToString()).ToList(), predicted.Select(p => p.ToString()).ToList()))];
            }));
        }

        var (train, test) = LabelledData.TrainAndTest(args);
        Console.WriteLine($"train={train.Count} test={test.Count} positive='{positive}' train_positives={train.Count(r => r.Label == positive)} test_positives={test.Count(r => r.Label == positive)}");

        var options = Options(args);

        var watch = Stopwatch.StartNew();
        var classifier = BinaryTextClassifier.Train(train.Select(r => new BinaryExample(r.Text, r.Label == positive)), options);
        var trainSeconds = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var scores = test.Select(r => classifier.Probability(r.Text)).ToList();
        var perSecond = test.Count / watch.Elapsed.TotalSeconds;
        var truth = test.Select(r => r.Label == positive).ToList();
        var predicted = scores.Select(s => s >= 0.5).ToList();
        var accuracy = truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Count;
        if (classifier.NaiveBayesShare is { } share)
        {
            Console.WriteLine($"naive_bayes_share={share:0.00}");
        }

        if (classifier.ChosenThreshold is { } threshold)
        {
            Console.WriteLine($"f1_threshold={threshold.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} (decision value, chosen on inner folds of the training rows)");
        }

        Console.WriteLine($"train_s={trainSeconds:0.00} predict_per_s={perSecond:0} baseline_majority_accuracy={Metrics.Format(Math.Max(truth.Count(t => t), truth.Count(t => !t)) / (double)truth.Count)}");
        Console.WriteLine($"F1={Metrics.Format(Metrics.F1(truth, predicted))} AUC={Metrics.Format(Metrics.Auc(truth, scores))} accuracy={Metrics.Format(accuracy)}");
        return Task.FromResult(0);
    }
}
