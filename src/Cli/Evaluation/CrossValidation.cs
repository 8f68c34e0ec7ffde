using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenGov.Dialogue.Analysis.Data;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// <c>--cv K</c> for the classification evals: stratified K-fold cross-validation on the --train file only
/// (identical texts kept in one fold, seeded by --seed, default 42). Prints each fold's figures, then one
/// line per metric: mean ± sample sd over the folds. <c>--folds-file PATH</c> writes the rows as read
/// (text, label, fold) as JSON lines, so bench/analysis/reference_cv.py scores scikit-learn on the same folds.
/// </summary>
internal static class CrossValidation
{
    public const string HelpSuffix = " | --train A.csv --cv 5 [--seed 42] [--folds-file folds.jsonl]";

    public static bool Requested(CliArgs args) => args.Has("cv");

    /// <param name="fold">Trains on the first list, scores the second; returns the metrics in print order.</param>
    public static int Run(CliArgs args, string? firstLabelOf, Func<List<LabelledRow>, List<LabelledRow>, IReadOnlyList<(string Name, double Value)>> fold)
    {
        if (args.Has("test") || args.Has("holdout"))
        {
            throw new CliException("--cv uses the --train file only: give --cv, or --test / --holdout, not both");
        }

        var k = args.OptionalInt("cv", 5);
        if (k < 2)
        {
            throw new CliException($"--cv must be at least 2, got {k}");
        }

        var seed = args.OptionalInt("seed", 42);
        var rows = LabelledData.Read(args.Required("train"), args.Required("text-column"), args.Required("label-column"), firstLabelOf);
        var folds = StratifiedFolds.Assign(rows.Select(r => r.Text).ToList(), rows.Select(r => r.Label).ToList(), k, seed);
        if (args.Optional("folds-file") is { } path)
        {
            WriteFolds(path, rows, folds);
        }

        Console.WriteLine($"cv={k} seed={seed} rows={rows.Count} classes={rows.Select(r => r.Label).Distinct().Count()}");
        var figures = new List<(string Name, double Value)>[k];
        for (var f = 0; f < k; f++)
        {
            var train = rows.Where((_, i) => folds[i] != f).ToList();
            var test = rows.Where((_, i) => folds[i] == f).ToList();
            var watch = Stopwatch.StartNew();
            figures[f] = fold(train, test).ToList();
            Console.WriteLine($"fold {f + 1}/{k} train={train.Count} test={test.Count} "
                + string.Join(" ", figures[f].Select(m => $"{m.Name}={Metrics.Format(m.Value)}"))
                + $" seconds={watch.Elapsed.TotalSeconds:0.0}");
        }

        foreach (var name in figures[0].Select(m => m.Name))
        {
            var values = figures.Select(fs => fs.First(m => m.Name == name).Value).ToList();
            var (mean, sd) = StratifiedFolds.MeanAndSd(values);
            Console.WriteLine($"cv{k} {name} = {Metrics.Format(mean)} ± {Metrics.Format(sd)}  (folds: {string.Join(" ", values.Select(Metrics.Format))})");
        }

        return 0;
    }

    internal static void WriteFolds(string path, IReadOnlyList<LabelledRow> rows, int[] folds)
    {
        using var writer = new StreamWriter(path);
        for (var i = 0; i < rows.Count; i++)
        {
            writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["fold"] = folds[i],
                ["label"] = rows[i].Label,
                ["text"] = rows[i].Text,
            }));
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: wrote {rows.Count} rows with their folds to {path}"));
    }
}
