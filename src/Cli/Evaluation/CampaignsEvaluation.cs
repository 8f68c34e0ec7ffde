using System.Diagnostics;
using System.Globalization;
using OpenGov.Dialogue.Analysis.Campaigns;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// <c>eval campaigns</c>: mixes planted bursts (one template each, varied copies from different citizens
/// within minutes) and decoys into organic texts at random times, replays the mix through the
/// <see cref="CampaignDetector"/> in time order, and prints precision and recall of the campaign-like flag
/// per item and per cluster; then replays the organic texts alone and counts what was flagged there.
/// </summary>
internal static class CampaignsEvaluation
{
    public const string Help = "--data A.csv --text-column T [--limit N] [--seed 42] [--hours 3] [--bursts 10] [--window-minutes 10] [--min-citizens 5] [--similarity 0.6] [--runs 1] [--show]";

    public static Task<int> RunAsync(CliArgs args)
    {
        var texts = LabelledData.Read(args.Required("data"), args.Required("text-column"), labelColumn: null)
            .Select(r => r.Text).ToList();
        texts = texts.Take(args.OptionalInt("limit", texts.Count)).ToList();
        var raw = texts;
        texts = WithoutFormLetters(raw);
        Console.Error.WriteLine($"note: {raw.Count - texts.Count} of {raw.Count} texts have a near-identical text elsewhere in the file (form letters sent by many); they are left out of the organic texts");
        var seed = args.OptionalInt("seed", 42);
        var runs = args.OptionalInt("runs", 1);
        var mix = new MixOptions
        {
            Seed = seed,
            Span = TimeSpan.FromHours(args.OptionalDouble("hours", 3)),
            Bursts = args.OptionalInt("bursts", 10),
        };
        var detector = new CampaignOptions
        {
            Window = TimeSpan.FromMinutes(args.OptionalDouble("window-minutes", 10)),
            MinCitizens = args.OptionalInt("min-citizens", 5),
            MinSimilarity = args.OptionalDouble("similarity", 0.6),
        };
        try
        {
            detector.Validated();
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message);
        }

        var totals = new Counts();
        for (var run = 0; run < runs; run++)
        {
            var options = mix with { Seed = seed + run };
            var mixed = PlantedCampaigns.Mix(texts, options);
            var stopwatch = Stopwatch.StartNew();
            var counts = Score(mixed, detector);
            var perPost = stopwatch.Elapsed.TotalMilliseconds / mixed.Count;
            var organic = Score(PlantedCampaigns.Organic(texts, options), detector);
            counts.OrganicFlaggedItems = organic.FlaggedItems;
            counts.OrganicFlaggedClusters = organic.FlaggedClusters;
            Console.WriteLine(
                $"seed={options.Seed} posts={mixed.Count} planted={counts.Planted} bursts={counts.Bursts} flagged_items={counts.FlaggedItems} flagged_clusters={counts.FlaggedClusters} " +
                $"item_precision={counts.ItemPrecision:0.0000} item_recall={counts.ItemRecall:0.0000} cluster_precision={counts.ClusterPrecision:0.0000} cluster_recall={counts.ClusterRecall:0.0000} " +
                $"organic_posts={texts.Count} organic_flagged_items={organic.FlaggedItems} organic_flagged_clusters={organic.FlaggedClusters} ms_per_post={perPost:0.000}");
            totals.Add(counts);
        }

        // The file as it is, form letters included: what the flag finds in it when its rows arrive at random over the same span.
        var asIs = Score(PlantedCampaigns.Organic(raw, mix), detector, args.Has("show"));
        Console.WriteLine($"raw_organic_posts={raw.Count} raw_organic_flagged_items={asIs.FlaggedItems} raw_organic_flagged_clusters={asIs.FlaggedClusters}");

        Console.WriteLine(
            $"runs={runs} item_precision={totals.ItemPrecision:0.0000} item_recall={totals.ItemRecall:0.0000} cluster_precision={totals.ClusterPrecision:0.0000} cluster_recall={totals.ClusterRecall:0.0000} " +
            $"organic_flagged_items={totals.OrganicFlaggedItems} organic_flagged_clusters={totals.OrganicFlaggedClusters} window_minutes={detector.Window.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min_citizens={detector.MinCitizens} similarity={detector.MinSimilarity.ToString(CultureInfo.InvariantCulture)}");
        return Task.FromResult(0);
    }

    /// <summary>
    /// The texts that have no near-identical text anywhere else in the file, by the detector's own
    /// similarity with time left out: each text from its own citizen, all within one window.
    /// </summary>
    private static List<string> WithoutFormLetters(List<string> texts)
    {
        var detector = new CampaignDetector(new CampaignOptions { Window = TimeSpan.FromDays(36500), MinCitizens = 2 });
        var start = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < texts.Count; i++)
        {
            detector.Observe(new CampaignPost(i.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture), texts[i], start.AddSeconds(i)));
        }

        var copies = detector.Campaigns.SelectMany(c => detector.ItemsOf(c.Id)).Select(id => int.Parse(id, CultureInfo.InvariantCulture)).ToHashSet();
        return [.. texts.Where((_, i) => !copies.Contains(i))];
    }

    /// <summary>
    /// Item level: a post is flagged when it ends in a campaign-like cluster. Cluster level: a flagged
    /// cluster is right when most of its posts come from one planted burst; a burst is found when one of
    /// the clusters that are right about it was flagged.
    /// </summary>
    private static Counts Score(List<MixedPost> posts, CampaignOptions options, bool show = false)
    {
        var detector = new CampaignDetector(options);
        foreach (var post in posts)
        {
            detector.Observe(post.ToPost());
        }

        var counts = new Counts();
        var burstOf = posts.ToDictionary(p => p.Id, p => p.Burst, StringComparer.Ordinal);
        counts.Planted = posts.Count(p => p.Burst is not null);
        counts.Bursts = posts.Where(p => p.Burst is not null).Select(p => p.Burst).Distinct().Count();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cluster in detector.Campaigns)
        {
            var members = detector.ItemsOf(cluster.Id);
            counts.FlaggedClusters++;
            counts.FlaggedItems += members.Count;
            if (show)
            {
                // What the flag caught, for a reader to judge: the cluster's size and its first three texts.
                var texts = posts.Where(p => members.Contains(p.Id)).Take(3).Select(p => p.Text.Length > 90 ? p.Text[..90] : p.Text);
                Console.Error.WriteLine($"flagged {cluster.Id}: {cluster.Citizens} citizens, {cluster.Items} posts, {(cluster.LastAt - cluster.FirstAt).TotalMinutes:0.0} min: {string.Join(" | ", texts)}");
            }

            counts.FlaggedPlanted += members.Count(id => burstOf[id] is not null);
            var majority = members.GroupBy(id => burstOf[id]).OrderByDescending(g => g.Count()).First();
            if (majority.Key is not null && 2 * majority.Count() > members.Count)
            {
                counts.RightClusters++;
                found.Add(majority.Key);
            }
        }

        counts.FoundBursts = found.Count;
        return counts;
    }

    private sealed class Counts
    {
        public int Planted { get; set; }

        public int Bursts { get; set; }

        public int FlaggedItems { get; set; }

        public int FlaggedPlanted { get; set; }

        public int FlaggedClusters { get; set; }

        public int RightClusters { get; set; }

        public int FoundBursts { get; set; }

        public int OrganicFlaggedItems { get; set; }

        public int OrganicFlaggedClusters { get; set; }

        public double ItemPrecision => Ratio(FlaggedPlanted, FlaggedItems);

        public double ItemRecall => Ratio(FlaggedPlanted, Planted);

        public double ClusterPrecision => Ratio(RightClusters, FlaggedClusters);

        public double ClusterRecall => Ratio(FoundBursts, Bursts);

        public void Add(Counts other)
        {
            Planted += other.Planted;
            Bursts += other.Bursts;
            FlaggedItems += other.FlaggedItems;
            FlaggedPlanted += other.FlaggedPlanted;
            FlaggedClusters += other.FlaggedClusters;
            RightClusters += other.RightClusters;
            FoundBursts += other.FoundBursts;
            OrganicFlaggedItems += other.OrganicFlaggedItems;
            OrganicFlaggedClusters += other.OrganicFlaggedClusters;
        }

        // No flags at all is vacuously precise.
        private static double Ratio(int numerator, int denominator) => denominator == 0 ? 1 : (double)numerator / denominator;
    }
}
