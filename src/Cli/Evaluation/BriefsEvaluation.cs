using System.Diagnostics;
using System.Globalization;
using OpenGov.Dialogue.Analysis.Briefs;
using OpenGov.Dialogue.Analysis.Grouping;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// <c>eval briefs</c>: makes the extractive brief of every group and measures how much of each group its
/// sentences stand for (coverage: the share of a group's posts whose nearest brief sentence is at least
/// <c>--cover-from</c> similar). Groups are the file's labels (<c>--label-column</c>, as moderators' topics)
/// or, without labels, the concern grouper's (<c>--k</c>, as the live dashboard). As a check that a threshold
/// means something, <c>cross_coverage</c> is the share of posts that some OTHER group's brief would cover at
/// the same threshold: a threshold that covers everything from everywhere is no measure. Every sentence is
/// also checked to be a verbatim part of the post it names.
/// </summary>
internal static class BriefsEvaluation
{
    public const string Help = "--data A.csv --text-column T [--label-column L | --k N] [--cover-from 0.2] [--char-grams false|true] [--first-label-of ,]";

    public static Task<int> RunAsync(CliArgs args)
    {
        var path = args.Required("data");
        var labelColumn = args.Optional("label-column");
        var rows = LabelledData.Read(path, args.Required("text-column"), labelColumn, args.Optional("first-label-of"));
        var coverFrom = args.OptionalDouble("cover-from", new BriefOptions().CoverFrom);
        var charGrams = args.Optional("char-grams") is "true";
        if (rows.Count == 0)
        {
            throw new CliException($"{path}: no rows with text");
        }

        var posts = rows.Select((r, i) => new BriefPost("p" + i.ToString(CultureInfo.InvariantCulture), r.Text, 0)).ToList();
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new Dictionary<int, string>();
        if (labelColumn is not null)
        {
            var ids = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
            for (var i = 0; i < rows.Count; i++)
            {
                groupOf[posts[i].Id] = ids[rows[i].Label];
            }

            foreach (var (label, id) in ids)
            {
                names[id] = label;
            }
        }
        else
        {
            var grouping = new ConcernGrouper(new GrouperOptions { Groups = args.OptionalInt("k", 12) })
                .Group([.. posts.Select(p => new CommentText(p.Id, p.Text))]);
            foreach (var (id, group) in grouping.Assignments)
            {
                groupOf[id] = group;
            }

            foreach (var group in grouping.Groups)
            {
                names[group.GroupId] = group.Label;
            }
        }

        var watch = Stopwatch.StartNew();
        var briefs = ExtractiveBriefs.Make(posts, groupOf, new BriefOptions { CoverFrom = coverFrom, CharGrams = charGrams });
        var seconds = watch.Elapsed.TotalSeconds;

        var byId = posts.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var sentences = briefs.SelectMany(b => b.Sentences).ToList();
        var verbatim = briefs.Sum(b => b.Sentences.Count(s => byId[s.SourceId].Text.Contains(s.Text, StringComparison.Ordinal) && groupOf[s.SourceId] == b.GroupId));
        foreach (var brief in briefs.OrderByDescending(b => b.Posts).Take(20))
        {
            Console.WriteLine($"group {Truncate(names.GetValueOrDefault(brief.GroupId, brief.GroupId.ToString(CultureInfo.InvariantCulture)), 30),-30} posts={brief.Posts,5} sentences={brief.Sentences.Count} coverage={Metrics.Format(brief.Coverage)}");
            foreach (var sentence in brief.Sentences)
            {
                Console.WriteLine($"    [{sentence.ItemIds.Count,4} posts] {Truncate(sentence.Text, 110)}");
            }
        }

        // The same threshold against the other groups' sentences, and the curve over thresholds.
        var (own, other) = NearestSimilarities(posts, groupOf, briefs, charGrams);
        foreach (var threshold in new[] { 0.1, 0.15, 0.2, 0.25, 0.3, 0.4 })
        {
            Console.WriteLine($"cover_from={threshold:0.00} coverage={Metrics.Format(Share(own, threshold))} cross_coverage={Metrics.Format(Share(other, threshold))}");
        }

        var covered = briefs.Sum(b => b.Covered);
        var grouped = briefs.Sum(b => b.Posts);
        var macro = briefs.Average(b => b.Coverage);
        Console.WriteLine($"groups={briefs.Count} posts={grouped} sentences={sentences.Count} verbatim={verbatim}/{sentences.Count} cover_from={coverFrom:0.00} seconds={seconds:0.00} cross_coverage={Metrics.Format(Share(other, coverFrom))} coverage_macro={Metrics.Format(macro)} coverage={Metrics.Format(covered / (double)grouped)}");
        return Task.FromResult(0);
    }

    /// <summary>For each post: its similarity to the nearest sentence of its own group's brief, and of any other group's.</summary>
    private static (double[] Own, double[] Other) NearestSimilarities(List<BriefPost> posts, Dictionary<string, int> groupOf, IReadOnlyList<GroupBrief> briefs, bool charGrams)
    {
        var idf = ExtractiveBriefs.InverseDocumentFrequency([.. posts.Select(p => ExtractiveBriefs.Features(p.Text, charGrams))]);
        var sentences = briefs.SelectMany(b => b.Sentences.Select(s => (b.GroupId, s.SourceId, Vector: ExtractiveBriefs.Vector(ExtractiveBriefs.Features(s.Text, charGrams), idf)))).ToList();
        var own = new double[posts.Count];
        var other = new double[posts.Count];
        for (var i = 0; i < posts.Count; i++)
        {
            var vector = ExtractiveBriefs.Vector(ExtractiveBriefs.Features(posts[i].Text, charGrams), idf);
            var group = groupOf[posts[i].Id];
            own[i] = other[i] = double.NegativeInfinity;
            foreach (var sentence in sentences)
            {
                var similarity = sentence.SourceId == posts[i].Id ? 1 : ExtractiveBriefs.Cosine(vector, sentence.Vector);
                if (sentence.GroupId == group)
                {
                    own[i] = Math.Max(own[i], similarity);
                }
                else
                {
                    other[i] = Math.Max(other[i], similarity);
                }
            }
        }

        return (own, other);
    }

    private static double Share(double[] similarities, double threshold) => similarities.Count(s => s >= threshold) / (double)similarities.Length;

    private static string Truncate(string text, int length)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }
}
