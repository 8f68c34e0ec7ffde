namespace OpenGov.Dialogue.Analysis.Grouping;

/// <summary>A comment to group.</summary>
public sealed record CommentText(string Id, string Text);

/// <summary>A group of concern: stable id, a short label of distinctive words, and its most typical comments.</summary>
public sealed record ConcernGroup(int GroupId, string Label, IReadOnlyList<string> DistinctiveTerms, IReadOnlyList<string> RepresentativeIds, int Size);

/// <summary>
/// The result of one grouping run. Pass it back as <c>previous</c> to the next run so groups keep
/// their ids; it is plain data and serialises with System.Text.Json.
/// </summary>
public sealed record ConcernGrouping(IReadOnlyList<ConcernGroup> Groups, IReadOnlyDictionary<string, int> Assignments, int NextGroupId);

public sealed record GrouperOptions
{
    public int Groups { get; init; } = 10;

    /// <summary>Dimensions of the space the comments are clustered in (word vectors or LSA).</summary>
    public int Dimensions { get; init; } = 100;

    public int MaxVocabulary { get; init; } = 20_000;

    public int MinDocumentFrequency { get; init; } = 2;

    /// <summary>k-means restarts from different seeds; the tightest clustering wins.</summary>
    public int Restarts { get; init; } = 3;

    public int Seed { get; init; } = 1;

    public int RepresentativesPerGroup { get; init; } = 3;

    public int TermsPerLabel { get; init; } = 3;

    /// <summary>
    /// Comments as TF-IDF-weighted means of co-occurrence (PPMI + SVD) word vectors; false uses LSA
    /// coordinates of the TF-IDF rows instead (faster, but grouped LaporGub worse: NMI 0.33 against 0.38).
    /// </summary>
    public bool CoOccurrenceVectors { get; init; } = true;

    /// <summary>Cores the grouping may use at once (-1: all). A grouping that runs beside live traffic uses one.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>
/// Groups comments into concerns: each comment becomes the TF-IDF-weighted mean of word vectors
/// learned from the comments themselves (positive PMI of nearby words, reduced by a randomised SVD,
/// our own code), then cosine k-means. Plain k-means on raw TF-IDF is near chance on topics; word
/// vectors link comments that say the same thing in different words. Recomputation starts from the previous groups and matches clusters to them by
/// shared members, so group ids stay stable. Deterministic for a given input and seed. Stateless and
/// thread-safe.
/// </summary>
public sealed class ConcernGrouper(GrouperOptions? options = null)
{
    private readonly GrouperOptions _options = options ?? new GrouperOptions();

    public ConcernGrouping Group(IReadOnlyList<CommentText> comments, ConcernGrouping? previous = null) =>
        Run(comments, previous, withPlacer: false).Grouping;

    /// <summary>
    /// Groups <paramref name="comments"/> as <see cref="Group"/> does and returns a placer that puts any
    /// other comment into the nearest of the groups: group a sample, place the rest. Each of
    /// <paramref name="others"/> (an id and its words as <see cref="ConcernPlacer.Tokenize"/> reads them)
    /// is placed at once, and the grouping's assignments cover them too.
    /// </summary>
    public (ConcernGrouping Grouping, ConcernPlacer Placer) GroupWithPlacer(
        IReadOnlyList<CommentText> comments, ConcernGrouping? previous = null, IEnumerable<(string Id, IReadOnlyList<string> Words)>? others = null)
    {
        var (grouping, placer) = Run(comments, previous, withPlacer: true);
        if (others is null)
        {
            return (grouping, placer!);
        }

        var assignments = new Dictionary<string, int>(grouping.Assignments, StringComparer.Ordinal);
        foreach (var (id, words) in others)
        {
            assignments[id] = placer!.Place(words);
        }

        return (grouping with { Assignments = assignments }, placer!);
    }

    private (ConcernGrouping Grouping, ConcernPlacer? Placer) Run(IReadOnlyList<CommentText> comments, ConcernGrouping? previous, bool withPlacer)
    {
        ArgumentNullException.ThrowIfNull(comments);
        if (comments.Count == 0)
        {
            throw new ArgumentException("no comments to group", nameof(comments));
        }

        if (comments.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count() != comments.Count)
        {
            throw new ArgumentException("comment ids must be unique", nameof(comments));
        }

        var k = Math.Max(1, Math.Min(_options.Groups, comments.Count));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
        var space = LatentSemanticSpace.Build(comments.Select(c => c.Text).ToList(), _options.Dimensions, _options.MaxVocabulary, _options.MinDocumentFrequency, _options.Seed, _options.CoOccurrenceVectors, parallel);
        var points = space.Coordinates;

        var seeded = previous is null ? null : CentroidsFromPrevious(comments, points, previous, k);
        var best = seeded is null ? null : SphericalKMeans.Run(points, seeded, parallel);
        // Restarts guard small consultations against a poor seeding; at this size one run is stable.
        var restarts = comments.Count > 20_000 ? 1 : _options.Restarts;
        for (var restart = 0; restart < (best is null ? restarts : 0); restart++)
        {
            var candidate = SphericalKMeans.Run(points, SphericalKMeans.PlusPlusSeeds(points, k, _options.Seed + restart), parallel);
            if (best is null || candidate.Cohesion > best.Cohesion)
            {
                best = candidate;
            }
        }

        var clustering = best!;
        var ids = StableIds(comments, clustering.Assignments, clustering.Centroids.Length, previous, out var nextId);
        var groups = Describe(comments, space, clustering, ids);
        var assignments = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < comments.Count; i++)
        {
            assignments[comments[i].Id] = ids[clustering.Assignments[i]];
        }

        var grouping = new ConcernGrouping(groups, assignments, nextId);
        return (grouping, withPlacer ? Placer(space, clustering, ids, groups) : null);
    }

    /// <summary>Each word's similarity to each group's centroid; a comment's score for a group is their weighted sum.</summary>
    private static ConcernPlacer Placer(LatentSemanticSpace space, SphericalKMeans.Result clustering, int[] ids, List<ConcernGroup> groups)
    {
        // Groups in the grouping's order (largest first), so a comment with no known word goes to the largest.
        var clusters = groups.Select(g => Array.IndexOf(ids, g.GroupId)).ToArray();
        var affinity = new float[space.WordVectors.Length][];
        for (var word = 0; word < affinity.Length; word++)
        {
            affinity[word] = new float[clusters.Length];
            for (var g = 0; g < clusters.Length; g++)
            {
                affinity[word][g] = VectorMath.Dot(space.WordVectors[word], clustering.Centroids[clusters[g]]);
            }
        }

        var columnOf = new Dictionary<string, int>(space.Vocabulary.Length, StringComparer.Ordinal);
        for (var column = 0; column < space.Vocabulary.Length; column++)
        {
            columnOf[space.Vocabulary[column]] = column;
        }

        return new ConcernPlacer(columnOf, space.Idf, affinity, [.. groups.Select(g => g.GroupId)]);
    }

    /// <summary>Warm start: each previous group's members, placed in today's space, give a starting centroid.</summary>
    private static float[][]? CentroidsFromPrevious(IReadOnlyList<CommentText> comments, float[][] points, ConcernGrouping previous, int k)
    {
        var sums = new Dictionary<int, float[]>();
        for (var i = 0; i < comments.Count; i++)
        {
            if (previous.Assignments.TryGetValue(comments[i].Id, out var group))
            {
                if (!sums.TryGetValue(group, out var sum))
                {
                    sums[group] = sum = new float[points[i].Length];
                }

                VectorMath.AddScaled(sum, points[i], 1);
            }
        }

        if (sums.Count != k)
        {
            return null;
        }

        return sums.OrderBy(s => s.Key).Select(s =>
        {
            VectorMath.Normalize(s.Value);
            return s.Value;
        }).ToArray();
    }

    /// <summary>
    /// Gives each new cluster the id of the previous group it shares most members with (greedy, largest
    /// overlap first); clusters with no such group get fresh ids.
    /// </summary>
    private static int[] StableIds(IReadOnlyList<CommentText> comments, int[] assignments, int clusters, ConcernGrouping? previous, out int nextId)
    {
        var ids = Enumerable.Repeat(-1, clusters).ToArray();
        nextId = previous?.NextGroupId ?? 1;
        if (previous is not null)
        {
            var overlap = new Dictionary<(int Cluster, int Group), int>();
            for (var i = 0; i < comments.Count; i++)
            {
                if (previous.Assignments.TryGetValue(comments[i].Id, out var group))
                {
                    overlap[(assignments[i], group)] = overlap.GetValueOrDefault((assignments[i], group)) + 1;
                }
            }

            var usedGroups = new HashSet<int>();
            foreach (var ((cluster, group), _) in overlap.OrderByDescending(o => o.Value).ThenBy(o => o.Key.Cluster).ThenBy(o => o.Key.Group))
            {
                if (ids[cluster] < 0 && usedGroups.Add(group))
                {
                    ids[cluster] = group;
                }
            }
        }

        for (var c = 0; c < clusters; c++)
        {
            if (ids[c] < 0)
            {
                ids[c] = nextId++;
            }
        }

        return ids;
    }

    private List<ConcernGroup> Describe(IReadOnlyList<CommentText> comments, LatentSemanticSpace space, SphericalKMeans.Result clustering, int[] ids)
    {
        var clusters = clustering.Centroids.Length;
        var vocabulary = space.Vocabulary.Length;
        var termSums = new float[clusters][];
        var total = new float[vocabulary];
        var sizes = new int[clusters];
        for (var c = 0; c < clusters; c++)
        {
            termSums[c] = new float[vocabulary];
        }

        for (var i = 0; i < comments.Count; i++)
        {
            var c = clustering.Assignments[i];
            sizes[c]++;
            for (var p = space.RowStart[i]; p < space.RowStart[i + 1]; p++)
            {
                termSums[c][space.Columns[p]] += space.Values[p];
                total[space.Columns[p]] += space.Values[p];
            }
        }

        var groups = new List<ConcernGroup>(clusters);
        for (var c = 0; c < clusters; c++)
        {
            if (sizes[c] == 0)
            {
                continue;
            }

            // Distinctive: weight inside the group well above its weight everywhere else.
            var inside = termSums[c];
            var others = Math.Max(1, comments.Count - sizes[c]);
            var terms = Enumerable.Range(0, vocabulary)
                .Select(t => (Term: t, Score: inside[t] / sizes[c] - (total[t] - inside[t]) / others))
                .Where(t => t.Score > 0)
                .OrderByDescending(t => t.Score).ThenBy(t => t.Term)
                .Take(_options.TermsPerLabel)
                .Select(t => space.Vocabulary[t.Term])
                .ToList();
            var centroid = clustering.Centroids[c];
            var representatives = Enumerable.Range(0, comments.Count)
                .Where(i => clustering.Assignments[i] == c)
                .OrderByDescending(i => VectorMath.Dot(space.Coordinates[i], centroid)).ThenBy(i => i)
                .Take(_options.RepresentativesPerGroup)
                .Select(i => comments[i].Id)
                .ToList();
            groups.Add(new ConcernGroup(ids[c], terms.Count == 0 ? "(no distinctive words)" : string.Join(", ", terms), terms, representatives, sizes[c]));
        }

        return groups.OrderByDescending(g => g.Size).ThenBy(g => g.GroupId).ToList();
    }
}
