using System.Runtime.InteropServices;
using System.Text;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Duplicates;

/// <summary>An earlier item and its cosine similarity (0–1) to the query.</summary>
public sealed record SimilarItem(string Id, double Score);

/// <summary>
/// Near-duplicate search over the items of one consultation, fast enough to call while a participant
/// types. Items are bags of normalised words and character trigrams, weighted by TF-IDF and compared
/// by cosine through an inverted index. Add and query are safe from many threads at once.
/// </summary>
public sealed class DuplicateIndex(TextNormalizer? normalizer = null) : IDisposable
{
    private readonly TextNormalizer _normalizer = normalizer ?? TextNormalizer.Default;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<int, PostingList> _postings = [];
    private readonly List<Item> _items = [];
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private float[] _norms = [];
    private int _normsValidUpTo;

    [ThreadStatic]
    private static QueryScratch? _scratch;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _items.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds an item; adding an id again replaces nothing and is ignored (items are immutable once posted).</summary>
    public bool Add(string id, string text)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(text);
        var features = Featurize(text);
        _lock.EnterWriteLock();
        try
        {
            if (_positions.ContainsKey(id))
            {
                return false;
            }

            var position = _items.Count;
            _items.Add(new Item(id, text, features));
            _positions[id] = position;
            foreach (var (key, weight) in features)
            {
                if (!_postings.TryGetValue(key, out var list))
                {
                    list = new PostingList();
                    _postings[key] = list;
                }

                list.Add(position, weight);
            }

            // Norms depend on IDF, which drifts as items arrive: recompute all of them whenever the
            // index doubles (amortised O(1) per add), and give new items a norm from today's IDF.
            if (_items.Count >= 2 * Math.Max(32, _normsValidUpTo))
            {
                RecomputeNorms();
            }
            else
            {
                EnsureNormCapacity(_items.Count);
                _norms[position] = Norm(features);
            }

            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The <paramref name="top"/> most similar earlier items with a score of at least <paramref name="minScore"/>, best first.</summary>
    public IReadOnlyList<SimilarItem> FindSimilar(string text, int top = 5, double minScore = 0.0)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var features = Featurize(text);
        if (features.Length == 0)
        {
            return [];
        }

        _lock.EnterReadLock();
        try
        {
            var count = _items.Count;
            if (count == 0)
            {
                return [];
            }

            var scratch = _scratch ??= new QueryScratch();
            scratch.Ensure(count);
            var scores = scratch.Scores;
            var touched = scratch.Touched;
            var touchedCount = 0;
            var logN = Math.Log(count + 1);

            // Query weights with today's IDF; the query's length counts every feature, seen or not.
            var weighted = new (int Key, float Weight, float Idf, PostingList? List)[features.Length];
            double queryNorm = 0;
            for (var f = 0; f < features.Length; f++)
            {
                var (key, weight) = features[f];
                _postings.TryGetValue(key, out var list);
                var idf = (float)(list is null ? logN + 1 : logN - Math.Log(list.Count) + 1);
                weighted[f] = (key, weight * idf, idf, list);
                queryNorm += weight * idf * (weight * idf);
            }

            // A long text would walk thousands of posting lists; its rarest features find the same
            // candidates, whose exact cosine is then computed below. Likewise a feature found in a
            // large share of the items (a common word and its trigrams) adds little to any cosine but
            // would walk most of the index on every lookup: it is left out of the candidate search.
            var common = Math.Max(MinCommonPostings, count / 10);
            var exact = weighted.Length <= MaxScannedFeatures && !weighted.Any(w => w.List?.Count > common);
            if (!exact)
            {
                Array.Sort(weighted, (a, b) => b.Idf.CompareTo(a.Idf));
            }

            // The common lists among the rarest features are walked only when the others found too few
            // candidates (a text of common words only). In a form-letter campaign every item shares most
            // of its features: walking them would touch every earlier item on every lookup.
            var scanned = Math.Min(weighted.Length, MaxScannedFeatures);
            for (var f = 0; f < scanned; f++)
            {
                if (weighted[f].List is { } list && list.Count <= common)
                {
                    Accumulate(list, weighted[f].Weight * weighted[f].Idf, scores, touched, ref touchedCount);
                }
            }

            if (!exact && touchedCount < CandidatesBeforeRescore(top))
            {
                for (var f = 0; f < Math.Min(scanned, AlwaysScanned); f++)
                {
                    if (weighted[f].List is { } list && list.Count > common)
                    {
                        Accumulate(list, weighted[f].Weight * weighted[f].Idf, scores, touched, ref touchedCount, newest: FallbackPostings);
                    }
                }
            }

            var inverseQueryNorm = queryNorm > 0 ? 1 / Math.Sqrt(queryNorm) : 0;
            var best = new TopList(exact ? top : CandidatesBeforeRescore(top));
            for (var t = 0; t < touchedCount; t++)
            {
                var doc = touched[t];
                var score = Math.Min(1.0, scores[doc] * inverseQueryNorm / _norms[doc]);
                scores[doc] = 0;
                if (!exact || score >= minScore)
                {
                    best.Offer(doc, score);
                }
            }

            if (!exact)
            {
                best = Rescore(best, weighted, inverseQueryNorm, top, minScore);
            }

            return best.ToList(doc => _items[doc].Id);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static int CandidatesBeforeRescore(int top) => Math.Max(4 * top, 20);

    /// <summary>Adds a feature's contribution to the score of every item on its list (or of its newest items).</summary>
    private static void Accumulate(PostingList list, float factor, float[] scores, int[] touched, ref int touchedCount, int newest = int.MaxValue)
    {
        var docs = list.Docs;
        var weights = list.Weights;
        for (var p = Math.Max(0, list.Count - newest); p < list.Count; p++)
        {
            var doc = docs[p];
            if (scores[doc] == 0)
            {
                touched[touchedCount++] = doc;
            }

            scores[doc] += factor * weights[p];
        }
    }

    /// <summary>Exact cosine for the candidates a partial scan found.</summary>
    private TopList Rescore(TopList candidates, (int Key, float Weight, float Idf, PostingList? List)[] query, double inverseQueryNorm, int top, double minScore)
    {
        var queryWeights = new Dictionary<int, float>(query.Length);
        foreach (var (key, weight, idf, _) in query)
        {
            queryWeights[key] = weight * idf;
        }

        var rescored = new TopList(top);
        foreach (var doc in candidates.Docs)
        {
            double dot = 0;
            foreach (var (key, weight) in _items[doc].Features)
            {
                if (queryWeights.TryGetValue(key, out var factor))
                {
                    dot += factor * weight;
                }
            }

            var score = Math.Min(1.0, dot * inverseQueryNorm / _norms[doc]);
            if (score >= minScore)
            {
                rescored.Offer(doc, score);
            }
        }

        return rescored;
    }

    /// <summary>Writes the items (ids and texts); the index is rebuilt on load.</summary>
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        _lock.EnterReadLock();
        try
        {
            writer.Write(FormatVersion);
            writer.Write(_items.Count);
            foreach (var item in _items)
            {
                writer.Write(item.Id);
                writer.Write(item.Text);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public static DuplicateIndex Load(Stream stream, TextNormalizer? normalizer = null)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"unsupported duplicate index format {version}");
        }

        var index = new DuplicateIndex(normalizer);
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            index.Add(reader.ReadString(), reader.ReadString());
        }

        return index;
    }

    public void Dispose() => _lock.Dispose();

    private const int FormatVersion = 1;

    /// <summary>At most this many of a query's rarest features walk their posting lists.</summary>
    private const int MaxScannedFeatures = 96;

    /// <summary>Below this many postings a feature is never too common to scan.</summary>
    private const int MinCommonPostings = 2000;

    /// <summary>When the uncommon features found too few candidates, the rarest few common ones are scanned too, so a text of common words still finds some.</summary>
    private const int AlwaysScanned = 8;

    /// <summary>
    /// Of a common feature's list, the fallback walks only the newest items: a text made of common words
    /// only (a form letter sent thousands of times) then costs the same at 50,000 items as at 5,000,
    /// and finds its copies among the recent ones.
    /// </summary>
    private const int FallbackPostings = 4096;

    /// <summary>Hashed word and character-trigram features with sub-linear term frequency.</summary>
    internal (int Key, float Weight)[] Featurize(string text)
    {
        var tokens = _normalizer.Tokenize(text);
        var counts = new Dictionary<int, int>();
        foreach (var token in tokens)
        {
            Increment(counts, Hash(token.AsSpan(), 0x57));
        }

        var joined = " " + string.Join(' ', tokens) + " ";
        for (var i = 0; i + 3 <= joined.Length; i++)
        {
            Increment(counts, Hash(joined.AsSpan(i, 3), 0x43));
        }

        var features = new (int, float)[counts.Count];
        var n = 0;
        foreach (var (key, count) in counts)
        {
            features[n++] = (key, 1 + MathF.Log(count));
        }

        return features;
    }

    private static void Increment(Dictionary<int, int> counts, int key) =>
        CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _)++;

    private static int Hash(ReadOnlySpan<char> text, uint seed)
    {
        // FNV-1a: deterministic across processes, unlike string.GetHashCode.
        var hash = 2166136261u ^ seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    private float Norm((int Key, float Weight)[] features)
    {
        var logN = Math.Log(_items.Count + 1);
        double sum = 0;
        foreach (var (key, weight) in features)
        {
            var df = _postings.TryGetValue(key, out var list) ? list.Count : 1;
            var idf = logN - Math.Log(df) + 1;
            sum += weight * idf * weight * idf;
        }

        return sum > 0 ? (float)Math.Sqrt(sum) : 1f;
    }

    private void RecomputeNorms()
    {
        EnsureNormCapacity(_items.Count);
        for (var i = 0; i < _items.Count; i++)
        {
            _norms[i] = Norm(_items[i].Features);
        }

        _normsValidUpTo = _items.Count;
    }

    private void EnsureNormCapacity(int count)
    {
        if (_norms.Length < count)
        {
            Array.Resize(ref _norms, Math.Max(count, _norms.Length * 2));
        }
    }

    private sealed record Item(string Id, string Text, (int Key, float Weight)[] Features);

    private sealed class PostingList
    {
        public int[] Docs = new int[2];
        public float[] Weights = new float[2];
        public int Count;

        public void Add(int doc, float weight)
        {
            if (Count == Docs.Length)
            {
                Array.Resize(ref Docs, Count * 2);
                Array.Resize(ref Weights, Count * 2);
            }

            Docs[Count] = doc;
            Weights[Count++] = weight;
        }
    }

    private sealed class QueryScratch
    {
        public float[] Scores = [];
        public int[] Touched = [];

        public void Ensure(int count)
        {
            if (Scores.Length < count)
            {
                var size = Math.Max(count, Scores.Length * 2);
                Scores = new float[size];
                Touched = new int[size];
            }
        }
    }

    /// <summary>The k best scores seen so far, kept sorted; k is small (≈ 5), so insertion beats a heap.</summary>
    private sealed class TopList(int capacity)
    {
        private readonly List<(int Doc, double Score)> _best = new(capacity + 1);

        public void Offer(int doc, double score)
        {
            if (_best.Count == capacity && score <= _best[^1].Score)
            {
                return;
            }

            var at = _best.Count;
            while (at > 0 && (_best[at - 1].Score < score || _best[at - 1].Score == score && _best[at - 1].Doc > doc))
            {
                at--;
            }

            _best.Insert(at, (doc, score));
            if (_best.Count > capacity)
            {
                _best.RemoveAt(capacity);
            }
        }

        public IEnumerable<int> Docs => _best.Select(b => b.Doc);

        public List<SimilarItem> ToList(Func<int, string> idOf) =>
            _best.Select(b => new SimilarItem(idOf(b.Doc), b.Score)).ToList();
    }
}
