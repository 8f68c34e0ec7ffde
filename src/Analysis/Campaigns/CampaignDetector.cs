using System.Runtime.InteropServices;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Campaigns;

/// <summary>What makes a burst of near-identical texts campaign-like.</summary>
public sealed record CampaignOptions
{
    /// <summary>How far apart in time two posts may be and still be linked; also the span in which <see cref="MinCitizens"/> must post.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Distinct citizens posting near-identical texts within one <see cref="Window"/> before the cluster is labelled.</summary>
    public int MinCitizens { get; init; } = 5;

    /// <summary>Least similarity (the mean of the cosines of normalised content words and of their character trigrams, no IDF) between a post and one of a cluster's first posts.</summary>
    public double MinSimilarity { get; init; } = 0.6;

    /// <summary>Least ratio of the shorter post's content words to the longer's: a short demand is not a copy of every longer text that contains it.</summary>
    public double MinLengthRatio { get; init; } = 0.6;

    /// <summary>Posts with fewer content words ("setuju", "thank you") are never linked: short agreement is not a campaign.</summary>
    public int MinWords { get; init; } = 4;

    /// <summary>Clusters still open to new posts at most; the least recently active are closed first, so memory and cost stay bounded in a flood.</summary>
    public int MaxOpenClusters { get; init; } = 20_000;

    public CampaignOptions Validated()
    {
        if (Window <= TimeSpan.Zero || MinCitizens < 2 || MinSimilarity is <= 0 or > 1 || MinLengthRatio is < 0 or > 1 || MinWords < 1 || MaxOpenClusters < 1)
        {
            throw new ArgumentException("Campaign options: window > 0, at least 2 citizens, similarity in (0, 1], length ratio in [0, 1], at least 1 word and 1 open cluster.");
        }

        return this;
    }
}

/// <summary>One post as it arrives: its id, its author and its time.</summary>
public sealed record CampaignPost(string Id, string CitizenId, string Text, DateTimeOffset At);

/// <summary>A campaign-like cluster as moderators see it: a label, not a verdict.</summary>
/// <param name="Citizens">Distinct authors of its posts.</param>
/// <param name="Items">Its posts, counting every author's repeats.</param>
public sealed record CampaignCluster(string Id, int Citizens, int Items, DateTimeOffset FirstAt, DateTimeOffset LastAt);

/// <summary>
/// Finds bursts of near-identical texts from different citizens: each post, in arrival order, joins
/// the most similar open cluster (compared with the cluster's first few posts) or opens its own; a cluster
/// is open while it had a post within <see cref="CampaignOptions.Window"/>. A cluster becomes
/// campaign-like once <see cref="CampaignOptions.MinCitizens"/> distinct citizens posted into it within
/// one window, and stays so. One citizen repeating a text is never enough (rate limits deal with that).
/// Clusters that closed without becoming campaign-like are forgotten, so memory follows the recent posts
/// and the campaigns, not the whole thread. Not thread-safe: feed it from one thread, in time order.
/// </summary>
public sealed class CampaignDetector
{
    private readonly CampaignOptions _options;
    private readonly TextNormalizer _normalizer;
    private readonly List<Cluster> _open = [];
    private readonly Dictionary<int, List<Cluster>> _postings = [];
    private readonly Dictionary<string, Cluster> _campaigns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Cluster> _campaignOfItem = new(StringComparer.Ordinal);
    private readonly Dictionary<Cluster, int> _shared = [];
    private int _nextCluster = 1;
    private int _indexedSinceCompaction;
    private DateTimeOffset _oldest = DateTimeOffset.MinValue;
    private DateTimeOffset _swept = DateTimeOffset.MinValue;

    public CampaignDetector(CampaignOptions? options = null, TextNormalizer? normalizer = null)
    {
        _options = (options ?? new CampaignOptions()).Validated();
        _normalizer = normalizer ?? TextNormalizer.ForTopics;
    }

    public CampaignOptions Options => _options;

    /// <summary>Clusters currently open to new posts (for tests and benchmarks).</summary>
    public int OpenClusters => _open.Count;

    /// <summary>Every campaign-like cluster so far, oldest first.</summary>
    public IEnumerable<CampaignCluster> Campaigns => _campaigns.Values.Select(c => c.Snapshot());

    /// <summary>
    /// Links a post. Returns the campaign-like cluster it is in (which may have become campaign-like with
    /// this post, taking its earlier posts with it), or null. Cost: the posting lists of the post's rarer
    /// features plus an exact comparison with at most <see cref="Candidates"/> clusters.
    /// </summary>
    public CampaignCluster? Observe(CampaignPost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        Close(post.At);
        var tokens = _normalizer.Tokenize(post.Text);
        if (tokens.Count < _options.MinWords)
        {
            return null;
        }

        var features = new Representative(Featurize(tokens), tokens.Count, tokens.Count(StopWords.Negations.Contains) % 2 == 1);
        var cluster = BestMatch(features);
        if (cluster is null)
        {
            cluster = new Cluster($"c{_nextCluster++}", post.At);
            _open.Add(cluster);
            Index(cluster, features);
        }
        else if (cluster.Representatives.Count < Representatives && !cluster.HasCitizen(post.CitizenId))
        {
            // A few more copies from other citizens widen what the cluster recognises (a greeting in one,
            // a sign-off in another) without letting it drift: later posts are still compared with these.
            Index(cluster, features);
        }

        var wasCampaign = cluster.IsCampaign;
        cluster.Add(post.Id, post.CitizenId, post.At, _options.Window);
        if (!wasCampaign && cluster.RecentCitizens >= _options.MinCitizens)
        {
            cluster.IsCampaign = true;
            _campaigns[cluster.Id] = cluster;
            foreach (var id in cluster.ItemIds)
            {
                _campaignOfItem[id] = cluster;
            }
        }
        else if (cluster.IsCampaign)
        {
            _campaignOfItem[post.Id] = cluster;
        }

        return cluster.IsCampaign ? cluster.Snapshot() : null;
    }

    /// <summary>The campaign-like cluster an item is in, or null.</summary>
    public CampaignCluster? CampaignOf(string itemId) =>
        _campaignOfItem.TryGetValue(itemId, out var cluster) ? cluster.Snapshot() : null;

    /// <summary>A campaign-like cluster by id, or null (unknown, or never campaign-like).</summary>
    public CampaignCluster? Find(string clusterId) =>
        _campaigns.TryGetValue(clusterId, out var cluster) ? cluster.Snapshot() : null;

    /// <summary>The posts of a campaign-like cluster in arrival order; empty when there is no such cluster.</summary>
    public IReadOnlyList<string> ItemsOf(string clusterId) =>
        _campaigns.TryGetValue(clusterId, out var cluster) ? [.. cluster.ItemIds] : [];

    /// <summary>The similarity the detector links posts by (for tests and tuning).</summary>
    internal double Similarity(string a, string b) =>
        Cosine(Featurize(_normalizer.Tokenize(a)), Featurize(_normalizer.Tokenize(b)));

    /// <summary>The first posts of a cluster, from distinct citizens, that later posts are compared with.</summary>
    private const int Representatives = 3;

    /// <summary>Clusters compared exactly per post: the ones sharing the most rare features with it.</summary>
    private const int Candidates = 16;

    /// <summary>Posting lists longer than this are walked only when the rarer ones found nothing.</summary>
    private const int CommonPostings = 64;

    private Cluster? BestMatch(Representative post)
    {
        _shared.Clear();
        var common = new List<List<Cluster>>();
        foreach (var (key, _) in post.Features)
        {
            if (!_postings.TryGetValue(key, out var list))
            {
                continue;
            }

            if (list.Count > CommonPostings)
            {
                common.Add(list);
                continue;
            }

            Tally(list, list.Count);
        }

        // A text made only of common features (a form letter among many like it) still finds the newest clusters that share them.
        if (_shared.Count == 0)
        {
            foreach (var list in common.OrderBy(l => l.Count).Take(8))
            {
                Tally(list, CommonPostings);
            }
        }

        // The clusters sharing the most features, found in one pass (no sort of every cluster touched).
        var top = new List<(Cluster Cluster, int Shared)>(Candidates + 1);
        foreach (var (cluster, shared) in _shared)
        {
            if (top.Count == Candidates && shared <= top[^1].Shared)
            {
                continue;
            }

            var at = top.Count;
            while (at > 0 && (top[at - 1].Shared < shared || top[at - 1].Shared == shared && top[at - 1].Cluster.Number > cluster.Number))
            {
                at--;
            }

            top.Insert(at, (cluster, shared));
            if (top.Count > Candidates)
            {
                top.RemoveAt(Candidates);
            }
        }

        Cluster? best = null;
        var bestScore = _options.MinSimilarity;
        foreach (var (candidate, _) in top)
        {
            var score = candidate.Representatives.Max(r => Comparable(r, post) ? Cosine(post.Features, r.Features) : 0);
            if (score >= bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>Of similar length, and not one saying the opposite of the other ("needs" / "does not need"): a campaign's copies never flip a negation.</summary>
    private bool Comparable(Representative a, Representative b) =>
        a.Negated == b.Negated && Math.Min(a.Words, b.Words) >= _options.MinLengthRatio * Math.Max(a.Words, b.Words);

    private void Index(Cluster cluster, Representative features)
    {
        cluster.Representatives.Add(features);
        foreach (var (key, _) in features.Features)
        {
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_postings, key, out _);
            list ??= [];
            if (list.Count == 0 || list[^1] != cluster)
            {
                list.Add(cluster);
            }
        }

        _indexedSinceCompaction++;
    }

    private void Tally(List<Cluster> list, int newest)
    {
        for (var i = list.Count - 1; i >= Math.Max(0, list.Count - newest); i--)
        {
            var cluster = list[i];
            if (!cluster.Closed && cluster.LastAt >= _oldest)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_shared, cluster, out _)++;
            }
        }
    }

    /// <summary>Closes clusters with no post within the window, and the least recent ones beyond the cap.</summary>
    private void Close(DateTimeOffset now)
    {
        _oldest = now - _options.Window;
        var closedAny = false;

        // Lookups skip clusters past the window anyway; the sweep that drops them runs a few times per window, not per post.
        if (now - _swept >= _options.Window / 8)
        {
            _swept = now;
            foreach (var cluster in _open)
            {
                if (cluster.LastAt < _oldest)
                {
                    cluster.Closed = true;
                    closedAny = true;
                }
            }
        }

        if (_open.Count >= _options.MaxOpenClusters)
        {
            foreach (var cluster in _open.Where(c => !c.Closed).OrderBy(c => c.LastAt).Take(_open.Count - _options.MaxOpenClusters + 1))
            {
                cluster.Closed = true;
                closedAny = true;
            }
        }

        if (closedAny)
        {
            _open.RemoveAll(c => c.Closed);
        }

        // Posting lists keep closed clusters until there are as many new entries as open clusters: amortised O(1) per post.
        if (_indexedSinceCompaction > Math.Max(64, _open.Count))
        {
            foreach (var (key, list) in _postings)
            {
                list.RemoveAll(c => c.Closed);
                if (list.Count == 0)
                {
                    _postings.Remove(key);
                }
            }

            _indexedSinceCompaction = 0;
        }
    }

    /// <summary>
    /// Hashed content words and, apart, their character trigrams, each with sub-linear tf and L2-normalised
    /// to length 1/√2, sorted by key: the dot product of two posts is then the mean of their word cosine and
    /// their trigram cosine. Trigrams alone would call two texts about the same named place near-identical.
    /// </summary>
    private static (int Key, float Weight)[] Featurize(List<string> tokens)
    {
        var words = new Dictionary<int, int>();
        foreach (var token in tokens)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(words, Hash(token, 0x57), out _)++;
        }

        var trigrams = new Dictionary<int, int>();
        var joined = " " + string.Join(' ', tokens) + " ";
        for (var i = 0; i + 3 <= joined.Length; i++)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(trigrams, Hash(joined.AsSpan(i, 3), 0x43), out _)++;
        }

        return [.. Weighted(words).Concat(Weighted(trigrams)).OrderBy(f => f.Key)];
    }

    private static IEnumerable<(int Key, float Weight)> Weighted(Dictionary<int, int> counts)
    {
        var norm = MathF.Sqrt(2 * counts.Values.Sum(c => (1 + MathF.Log(c)) * (1 + MathF.Log(c))));
        return counts.Select(p => (p.Key, (1 + MathF.Log(p.Value)) / norm));
    }

    private static double Cosine((int Key, float Weight)[] a, (int Key, float Weight)[] b)
    {
        double dot = 0;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i].Key == b[j].Key)
            {
                dot += a[i++].Weight * b[j++].Weight;
            }
            else if (a[i].Key < b[j].Key)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return dot;
    }

    private static int Hash(ReadOnlySpan<char> text, uint seed)
    {
        // FNV-1a: the same on every process, so a replay links the same posts.
        var hash = 2166136261u ^ seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    /// <param name="Negated">An odd number of negations: the text denies what a copy without them asserts.</param>
    private sealed record Representative((int Key, float Weight)[] Features, int Words, bool Negated);

    private sealed class Cluster(string id, DateTimeOffset firstAt)
    {
        private readonly Queue<(DateTimeOffset At, string Citizen)> _recent = new();
        private readonly Dictionary<string, int> _recentByCitizen = new(StringComparer.Ordinal);
        private readonly HashSet<string> _citizens = new(StringComparer.Ordinal);
        private CampaignCluster? _snapshot;

        public string Id { get; } = id;

        public int Number { get; } = int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The features of its first few posts: later posts are compared with these only, so the cluster cannot drift.</summary>
        public List<Representative> Representatives { get; } = [];

        public DateTimeOffset FirstAt { get; } = firstAt;

        public DateTimeOffset LastAt { get; private set; } = firstAt;

        public bool Closed { get; set; }

        public bool IsCampaign { get; set; }

        public List<string> ItemIds { get; } = [];

        /// <summary>Distinct citizens who posted into it within the last window.</summary>
        public int RecentCitizens => _recentByCitizen.Count;

        public bool HasCitizen(string citizen) => _citizens.Contains(citizen);

        public void Add(string itemId, string citizen, DateTimeOffset at, TimeSpan window)
        {
            ItemIds.Add(itemId);
            _citizens.Add(citizen);
            if (at > LastAt)
            {
                LastAt = at;
            }

            _recent.Enqueue((at, citizen));
            CollectionsMarshal.GetValueRefOrAddDefault(_recentByCitizen, citizen, out _)++;
            while (_recent.Count > 0 && _recent.Peek().At < at - window)
            {
                var (_, gone) = _recent.Dequeue();
                if (--_recentByCitizen[gone] == 0)
                {
                    _recentByCitizen.Remove(gone);
                }
            }

            _snapshot = null;
        }

        public CampaignCluster Snapshot() => _snapshot ??= new CampaignCluster(Id, _citizens.Count, ItemIds.Count, FirstAt, LastAt);
    }
}
