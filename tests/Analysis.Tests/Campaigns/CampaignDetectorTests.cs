using System.Globalization;
using OpenGov.Dialogue.Analysis.Campaigns;
using OpenGov.Dialogue.Analysis.Data;
using OpenGov.Dialogue.Tests;

namespace OpenGov.Dialogue.Analysis.Tests.Campaigns;

[Trait("Category", "unit")]
public sealed class CampaignDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 19, 0, 0, TimeSpan.Zero);

    private const string Template = "Kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami";

    /// <summary>Every Pol.is comment of the shared conversations, by its real author, squeezed into one hour in its real order.</summary>
    private static List<CampaignPost> PolisCommentsInOneHour()
    {
        var comments = new List<(long Timestamp, string Author, string Text)>();
        foreach (var folder in Directory.GetDirectories(SharedPolisData.Root).Order(StringComparer.Ordinal))
        {
            var table = CsvTable.Load(Path.Combine(folder, "comments.csv"));
            var (time, author, body) = (table.Column("timestamp"), table.Column("author-id"), table.Column("comment-body"));
            comments.AddRange(table.Rows.Select(r => (long.Parse(r[time], CultureInfo.InvariantCulture), $"{Path.GetFileName(folder)}/{r[author]}", r[body])));
        }

        comments.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        var step = TimeSpan.FromHours(1) / comments.Count;
        return [.. comments.Select((c, i) => new CampaignPost($"polis{i}", c.Author, c.Text, Start + step * i))];
    }

    private static List<string> LaporGubTexts()
    {
        var table = CsvTable.Load(Path.Combine(SharedPolisData.Root, "..", "laporgub-complaints", "train.csv"));
        var text = table.Column("text");
        return [.. table.Rows.Select(r => r[text]).Where(t => t.Length > 0)];
    }

    [Fact]
    public void A_planted_burst_among_real_comments_is_flagged_with_its_size_and_span()
    {
        var random = new Random(7);
        var posts = PolisCommentsInOneHour();
        var burstStart = Start + TimeSpan.FromMinutes(30);
        var planted = Enumerable.Range(0, 12)
            .Select(c => new CampaignPost($"burst{c}", $"campaigner{c}", PlantedCampaigns.Vary(Template, random), burstStart + TimeSpan.FromSeconds(25 * c)))
            .ToList();
        var detector = new CampaignDetector();
        foreach (var post in posts.Concat(planted).OrderBy(p => p.At))
        {
            detector.Observe(post);
        }

        var campaign = Assert.Single(detector.Campaigns);
        Assert.Equal(planted.Select(p => p.Id).Order(), detector.ItemsOf(campaign.Id).Order());
        Assert.Equal(12, campaign.Citizens);
        Assert.Equal(burstStart, campaign.FirstAt);
        Assert.Equal(burstStart + TimeSpan.FromSeconds(25 * 11), campaign.LastAt);
        Assert.All(planted, p => Assert.Equal(campaign.Id, detector.CampaignOf(p.Id)?.Id));
        Assert.Null(detector.CampaignOf(posts[0].Id));
    }

    [Fact]
    public void Real_comments_alone_are_not_flagged_even_when_they_all_arrive_within_an_hour()
    {
        var detector = new CampaignDetector();
        var posts = PolisCommentsInOneHour();
        Assert.True(posts.Count > 2000, $"{posts.Count} comments");
        foreach (var post in posts)
        {
            detector.Observe(post);
        }

        var texts = posts.ToDictionary(p => p.Id, p => $"{p.CitizenId} at {p.At:HH:mm:ss}: {p.Text}");
        Assert.True(!detector.Campaigns.Any(), string.Join("\n", detector.Campaigns.SelectMany(c => detector.ItemsOf(c.Id)).Select(id => texts[id])));
    }

    [Fact]
    public void Planted_bursts_mixed_into_complaints_are_found_and_the_complaints_are_left_alone()
    {
        // 2,000 LaporGub complaints from a 5,000-citizen hall over three hours, ten planted bursts and the decoys.
        var texts = LaporGubTexts().Take(2000).ToList();
        var mix = PlantedCampaigns.Mix(texts, new MixOptions());
        var detector = new CampaignDetector();
        foreach (var post in mix)
        {
            detector.Observe(post.ToPost());
        }

        var planted = mix.Where(p => p.Burst is not null).Select(p => p.Id).ToHashSet();
        var flagged = detector.Campaigns.SelectMany(c => detector.ItemsOf(c.Id)).ToHashSet();
        var recall = (double)flagged.Count(planted.Contains) / planted.Count;
        var precision = (double)flagged.Count(planted.Contains) / flagged.Count;
        Assert.True(recall >= 0.95, $"recall {recall:0.000}");
        Assert.True(precision >= 0.95, $"precision {precision:0.000}; flagged but not planted: {string.Join(" | ", mix.Where(p => flagged.Contains(p.Id) && !planted.Contains(p.Id)).Take(5).Select(p => p.Text))}");
        Assert.Equal(10, detector.Campaigns.Count());
    }

    [Fact]
    public void One_citizen_posting_the_same_text_twenty_times_is_not_a_campaign()
    {
        var detector = new CampaignDetector();
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(detector.Observe(new CampaignPost($"i{i}", "the-same-citizen", Template, Start + TimeSpan.FromSeconds(10 * i))));
        }

        Assert.Empty(detector.Campaigns);
    }

    [Fact]
    public void Three_neighbours_with_the_same_wording_are_not_a_campaign_but_a_fifth_citizen_makes_one()
    {
        var random = new Random(3);
        var detector = new CampaignDetector();
        for (var c = 0; c < 3; c++)
        {
            // Each neighbour posts twice: repeats add posts, not citizens.
            Assert.Null(detector.Observe(new CampaignPost($"n{c}a", $"neighbour{c}", PlantedCampaigns.Vary(Template, random), Start + TimeSpan.FromMinutes(c))));
            Assert.Null(detector.Observe(new CampaignPost($"n{c}b", $"neighbour{c}", PlantedCampaigns.Vary(Template, random), Start + TimeSpan.FromMinutes(c) + TimeSpan.FromSeconds(5))));
        }

        Assert.Null(detector.Observe(new CampaignPost("n3", "neighbour3", Template, Start + TimeSpan.FromMinutes(4))));
        var campaign = detector.Observe(new CampaignPost("n4", "neighbour4", Template, Start + TimeSpan.FromMinutes(5)));

        Assert.NotNull(campaign);
        Assert.Equal(5, campaign.Citizens);
        Assert.Equal(8, campaign.Items);
        Assert.Equal(campaign, detector.CampaignOf("n0a"));
    }

    [Fact]
    public void Copies_spread_beyond_the_window_are_not_a_burst()
    {
        var detector = new CampaignDetector(new CampaignOptions { Window = TimeSpan.FromMinutes(10), MinCitizens = 5 });
        for (var c = 0; c < 12; c++)
        {
            // One copy every 3 minutes: never more than four citizens within ten minutes.
            Assert.Null(detector.Observe(new CampaignPost($"i{c}", $"citizen{c}", Template, Start + TimeSpan.FromMinutes(3 * c))));
        }

        Assert.Empty(detector.Campaigns);
    }

    [Fact]
    public void Short_agreement_from_many_citizens_is_not_a_campaign()
    {
        var detector = new CampaignDetector();
        for (var c = 0; c < 30; c++)
        {
            Assert.Null(detector.Observe(new CampaignPost($"i{c}", $"citizen{c}", "Setuju sekali!", Start + TimeSpan.FromSeconds(c))));
        }

        Assert.Empty(detector.Campaigns);
    }

    [Fact]
    public void A_replay_of_the_same_posts_gives_the_same_clusters()
    {
        var mix = PlantedCampaigns.Mix(LaporGubTexts().Take(500).ToList(), new MixOptions { Seed = 5, Span = TimeSpan.FromHours(1) });
        string Run()
        {
            var detector = new CampaignDetector();
            mix.ForEach(p => detector.Observe(p.ToPost()));
            return string.Join(';', detector.Campaigns.Select(c => $"{c}:{string.Join(',', detector.ItemsOf(c.Id))}"));
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Memory_follows_the_window_not_the_thread()
    {
        // 20,000 distinct posts, ten per minute for 33 hours: only the last ten minutes stay open.
        var detector = new CampaignDetector();
        for (var i = 0; i < 20_000; i++)
        {
            detector.Observe(new CampaignPost($"i{i}", $"citizen{i}", $"Usulan nomor {i} tentang taman kota blok {i % 97} dan jalan {i % 89} serta sekolah {i % 83}", Start + TimeSpan.FromSeconds(6 * i)));
        }

        Assert.True(detector.OpenClusters <= 150, $"{detector.OpenClusters} open clusters");
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CampaignDetector(new CampaignOptions { MinCitizens = 1 }));
        Assert.Throws<ArgumentException>(() => new CampaignDetector(new CampaignOptions { Window = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new CampaignDetector(new CampaignOptions { MinSimilarity = 1.5 }));
    }
}
