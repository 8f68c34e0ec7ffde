using System.Diagnostics;
using Microsoft.ML;
using OpenGov.Dialogue.Analysis.Data;
using OpenGov.Dialogue.Analysis.Grouping;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// <c>eval groups</c>: groups the texts without their labels, then scores the groups against the labels.
/// --replicate N repeats the rows up to N texts to time large consultations. --sample N groups an even
/// sample of N texts and places the others into the nearest group, as the topics grain does above its bound.
/// </summary>
internal static class GroupsEvaluation
{
    public const string Help = "--data A.csv --text-column T --label-column L [--k N] [--dimensions 100] [--first-label-of ,] [--replicate N] [--restarts 3] [--representation cooccurrence|lsa] [--baseline] [--sample N] | --cv K [--seed 42] [--folds-file F.jsonl]  (group the texts of K − 1 stratified folds, place the held-out fold's texts into those groups, NMI/ARI on the held-out texts)";

    public static Task<int> RunAsync(CliArgs args)
    {
        var rows = LabelledData.Read(args.Required("data"), args.Required("text-column"), args.Required("label-column"), args.Optional("first-label-of"));
        var replicate = args.OptionalInt("replicate", rows.Count);
        if (replicate > rows.Count)
        {
            rows = Enumerable.Range(0, replicate).Select(i => rows[i % rows.Count]).ToList();
        }

        var labels = rows.Select(r => r.Label).ToList();
        var k = args.OptionalInt("k", labels.Distinct().Count());
        if (k < 1)
        {
            throw new CliException($"--k must be at least 1, got {k}");
        }

        var defaults = new GrouperOptions();
        var grouper = new ConcernGrouper(defaults with
        {
            Groups = k,
            Dimensions = args.OptionalInt("dimensions", defaults.Dimensions),
            Restarts = args.OptionalInt("restarts", defaults.Restarts),
            CoOccurrenceVectors = args.Optional("representation") switch
            {
                null => defaults.CoOccurrenceVectors,
                "lsa" => false,
                "cooccurrence" => true,
                var other => throw new CliException($"--representation must be lsa or cooccurrence, got '{other}'"),
            },
        });
        var comments = rows.Select((r, i) => new CommentText(i.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Text)).ToList();
        if (args.Has("cv"))
        {
            if (args.Has("replicate") || args.Has("sample") || args.Has("baseline"))
            {
                throw new CliException("--cv cannot be combined with --replicate, --sample or --baseline");
            }

            var folds = args.OptionalInt("cv", 5);
            var seed = args.OptionalInt("seed", 42);
            if (folds < 2)
            {
                throw new CliException($"--cv must be at least 2, got {folds}");
            }

            var assignment = StratifiedFolds.Assign(rows.Select(r => r.Text).ToList(), labels, folds, seed);
            if (args.Optional("folds-file") is { } path)
            {
                CrossValidation.WriteFolds(path, rows, assignment);
            }

            Console.WriteLine($"cv={folds} seed={seed} rows={rows.Count} k={k} (group folds ≠ f, place fold f, score fold f)");
            var results = new List<IReadOnlyList<(string Name, double Value)>>();
            for (var f = 0; f < folds; f++)
            {
                var foldWatch = Stopwatch.StartNew();
                var figures = CrossValidateFold(grouper, rows, assignment, f);
                results.Add(figures);
                Console.WriteLine($"fold {f + 1}/{folds} grouped={assignment.Count(a => a != f)} placed={assignment.Count(a => a == f)} "
                    + string.Join(" ", figures.Select(m => $"{m.Name}={Metrics.Format(m.Value)}")) + $" seconds={foldWatch.Elapsed.TotalSeconds:0.0}");
            }

            foreach (var name in results[0].Select(m => m.Name))
            {
                var values = results.Select(r => r.First(m => m.Name == name).Value).ToList();
                var (mean, sd) = StratifiedFolds.MeanAndSd(values);
                Console.WriteLine($"cv{folds} {name} = {Metrics.Format(mean)} ± {Metrics.Format(sd)}  (folds: {string.Join(" ", values.Select(Metrics.Format))})");
            }

            return Task.FromResult(0);
        }


        // CPU seconds of the whole process (all threads): the cost on an otherwise idle core, which
        // wall-clock time on a shared machine does not show.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var grouping = Group(grouper, comments, args.OptionalInt("sample", comments.Count));
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var clusters = comments.Select(c => grouping.Assignments[c.Id]).ToList();

        foreach (var group in grouping.Groups.Take(20))
        {
            var majority = rows.Where((_, i) => clusters[i] == group.GroupId).GroupBy(r => r.Label).MaxBy(g => g.Count())!;
            Console.WriteLine($"group {group.GroupId,3} size={group.Size,6} label=\"{group.Label}\" majority_label=\"{majority.Key}\" ({majority.Count() * 100 / group.Size}%)");
        }

        // A second run with the first as "previous": ids must carry over.
        watch.Restart();
        var again = grouper.Group(comments, grouping);
        var recomputeSeconds = watch.Elapsed.TotalSeconds;
        var kept = comments.Count(c => again.Assignments[c.Id] == grouping.Assignments[c.Id]) / (double)comments.Count;
        Console.WriteLine($"texts={rows.Count} cpu_s={cpuSeconds:0.00} load_average={TopicsEvaluation.LoadAverage()} recompute_s={recomputeSeconds:0.00} same_group_id_after_recompute={Metrics.Format(kept)}");
        if (args.Has("baseline"))
        {
            watch.Restart();
            var baseline = RawTfIdfKMeans(rows.Select(r => r.Text).ToList(), k);
            Console.WriteLine($"baseline_raw_tfidf_kmeans_NMI={Metrics.Format(Metrics.Nmi(labels, baseline))} baseline_ARI={Metrics.Format(Metrics.Ari(labels, baseline))} baseline_seconds={watch.Elapsed.TotalSeconds:0.00}");
        }

        Console.WriteLine($"NMI={Metrics.Format(Metrics.Nmi(labels, clusters))} ARI={Metrics.Format(Metrics.Ari(labels, clusters))} groups={grouping.Groups.Count} seconds={seconds:0.00}");
        return Task.FromResult(0);
    }

    /// <summary>
    /// One fold of <c>--cv</c>: the rows outside fold <paramref name="fold"/> are grouped (labels unseen), the
    /// fold's rows are placed into those groups by <see cref="ConcernPlacer"/> as the topics grain places texts
    /// beyond its sample, and NMI / ARI against the labels are measured on the placed rows (held out) and on the
    /// grouped ones.
    /// </summary>
    internal static IReadOnlyList<(string Name, double Value)> CrossValidateFold(ConcernGrouper grouper, IReadOnlyList<LabelledRow> rows, IReadOnlyList<int> folds, int fold)
    {
        var grouped = Enumerable.Range(0, rows.Count).Where(i => folds[i] != fold).ToList();
        var placed = Enumerable.Range(0, rows.Count).Where(i => folds[i] == fold).ToList();
        if (grouped.Count == 0 || placed.Count == 0)
        {
            throw new CliException($"fold {fold} is empty or holds every row");
        }

        static string Id(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (grouping, _) = grouper.GroupWithPlacer(
            [.. grouped.Select(i => new CommentText(Id(i), rows[i].Text))],
            others: placed.Select(i => (Id(i), (IReadOnlyList<string>)ConcernPlacer.Tokenize(rows[i].Text))));
        List<string> Truth(List<int> set) => set.Select(i => rows[i].Label).ToList();
        List<int> Clusters(List<int> set) => set.Select(i => grouping.Assignments[Id(i)]).ToList();
        return
        [
            ("NMI_heldout", Metrics.Nmi(Truth(placed), Clusters(placed))),
            ("ARI_heldout", Metrics.Ari(Truth(placed), Clusters(placed))),
            ("NMI_grouped", Metrics.Nmi(Truth(grouped), Clusters(grouped))),
        ];
    }

    private static ConcernGrouping Group(ConcernGrouper grouper, List<CommentText> comments, int sample)
    {
        if (sample >= comments.Count)
        {
            return grouper.Group(comments);
        }

        var stride = comments.Count / (double)sample;
        var chosen = Enumerable.Range(0, sample).Select(j => (int)(j * stride)).ToHashSet();
        return grouper.GroupWithPlacer(
            [.. comments.Where((_, i) => chosen.Contains(i))],
            others: comments.Where((_, i) => !chosen.Contains(i)).Select(c => (c.Id, (IReadOnlyList<string>)ConcernPlacer.Tokenize(c.Text)))).Grouping;
    }

    /// <summary>The baseline the issue cites: ML.NET k-means straight on FeaturizeText TF-IDF vectors.</summary>
    private static List<int> RawTfIdfKMeans(List<string> texts, int k)
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = TextNormalizer.ForTopics.Normalize(t) }));
        var model = ml.Transforms.Text.FeaturizeText("Features", nameof(TextRow.Text))
            .Append(ml.Clustering.Trainers.KMeans("Features", numberOfClusters: k))
            .Fit(data);
        return ml.Data.CreateEnumerable<ClusterRow>(model.Transform(data), reuseRowObject: false).Select(r => (int)r.PredictedLabel).ToList();
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = string.Empty;
    }

    private sealed class ClusterRow
    {
        public uint PredictedLabel { get; set; }
    }
}
