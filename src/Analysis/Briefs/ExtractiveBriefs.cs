using System.Text.RegularExpressions;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Briefs;

/// <summary>A post to brief: its id, its text as published, and its votes (more-voted posts weigh more in the centre).</summary>
public sealed record BriefPost(string Id, string Text, int Votes);

/// <summary>
/// One sentence of a brief, verbatim from post <see cref="SourceId"/> (a substring of its text). It stands for
/// <see cref="ItemIds"/>: the group's posts whose nearest brief sentence it is, at a similarity of at least
/// <see cref="BriefOptions.CoverFrom"/> (its own post always among them).
/// </summary>
public sealed record ExtractedSentence(string Text, string SourceId, IReadOnlyList<string> ItemIds);

/// <summary>A group's brief and how much of the group it covers.</summary>
/// <param name="Covered">Posts of the group that some brief sentence stands for.</param>
public sealed record GroupBrief(int GroupId, IReadOnlyList<ExtractedSentence> Sentences, int Posts, int Covered)
{
    public double Coverage => Posts == 0 ? 0 : Covered / (double)Posts;
}

public sealed record BriefOptions
{
    /// <summary>
    /// A post counts as covered by a sentence from this cosine similarity on (TF-IDF of words, stop words out,
    /// sub-linear tf, idf over the whole consultation). At 0.2 on LaporGub, 7 % of posts would also count as covered
    /// by some other group's brief, against 21 % by their own (docs/analysis.md, "Briefs").
    /// </summary>
    public double CoverFrom { get; init; } = 0.2;

    /// <summary>The trade-off of maximal marginal relevance: closeness to the group's centre against novelty.</summary>
    public double Lambda { get; init; } = 0.7;

    /// <summary>Two candidate sentences this similar say the same; only one can be chosen.</summary>
    public double SameFrom { get; init; } = 0.8;

    /// <summary>A sentence shorter than this many words says too little to stand for others.</summary>
    public int MinWords { get; init; } = 4;

    /// <summary>A sentence longer than this is not quoted (a brief must stay readable).</summary>
    public int MaxChars { get; init; } = 280;

    /// <summary>
    /// Compare by in-word character 3–5-grams as well as words (affixed forms meet their root). Off: on LaporGub
    /// (`eval briefs`) they raised coverage less than they raised the coverage by other groups' briefs, at 5× the time.
    /// </summary>
    public bool CharGrams { get; init; }

    /// <summary>Only the sentences nearest the centre are considered, so a group of 10,000 posts costs as one of 500.</summary>
    public int MaxCandidates { get; init; } = 500;
}

/// <summary>
/// Extractive briefs of topic groups: 2–4 sentences per group taken verbatim from its posts, no generated
/// text. Sentences and posts become TF-IDF vectors of their words (stop words out; idf over every post of
/// the consultation, so the words that set a group apart weigh most). The group's centre is the vote-weighted mean of its posts; sentences
/// are chosen by maximal marginal relevance (close to the centre, unlike the sentences already chosen);
/// then every post is counted for its nearest chosen sentence when they are similar enough. A group of
/// under 10 posts gets 2 sentences, under 40 gets 3, larger ones 4 (fewer when fewer distinct ones exist).
/// Deterministic: ties go to the earlier post.
/// </summary>
public static partial class ExtractiveBriefs
{
    public static IReadOnlyList<GroupBrief> Make(IReadOnlyList<BriefPost> posts, IReadOnlyDictionary<string, int> groupOf, BriefOptions? options = null)
    {
        options ??= new BriefOptions();
        var features = posts.Select(p => Features(p.Text, options.CharGrams)).ToList();
        var idf = InverseDocumentFrequency(features);
        var byGroup = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < posts.Count; i++)
        {
            if (groupOf.TryGetValue(posts[i].Id, out var group))
            {
                if (!byGroup.TryGetValue(group, out var list))
                {
                    byGroup[group] = list = [];
                }

                list.Add(i);
            }
        }

        var briefs = new List<GroupBrief>(byGroup.Count);
        foreach (var (group, members) in byGroup)
        {
            briefs.Add(Brief(group, members, posts, features, idf, options));
        }

        return briefs;
    }

    private static GroupBrief Brief(int group, List<int> members, IReadOnlyList<BriefPost> posts, List<int[]> features, Dictionary<int, double> idf, BriefOptions options)
    {
        var postVectors = members.Select(m => Vector(features[m], idf)).ToList();
        var centre = new Dictionary<int, double>();
        for (var k = 0; k < members.Count; k++)
        {
            var weight = 1 + Math.Log(1 + Math.Max(0, posts[members[k]].Votes));
            var v = postVectors[k];
            for (var j = 0; j < v.Keys.Length; j++)
            {
                centre[v.Keys[j]] = centre.GetValueOrDefault(v.Keys[j]) + weight * v.Values[j];
            }
        }

        var centreVector = SparseVector.From(centre);
        var candidates = Candidates(members, posts, idf, centreVector, options.MaxChars, options.MinWords, options.CharGrams);
        if (candidates.Count == 0)
        {
            // Every sentence is too long or too short: quote them as they are rather than say nothing.
            candidates = Candidates(members, posts, idf, centreVector, int.MaxValue, 1, options.CharGrams);
        }

        List<Candidate?> pool = [.. candidates
            .Select((c, order) => (c, order))
            .OrderByDescending(x => x.c.Relevance).ThenBy(x => x.order)
            .Take(options.MaxCandidates)
            .Select(x => x.c)];
        var want = members.Count < 10 ? 2 : members.Count < 40 ? 3 : 4;
        var chosen = new List<Candidate>();
        var redundancy = new double[pool.Count];
        while (chosen.Count < want)
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var c = 0; c < pool.Count; c++)
            {
                if (pool[c] is null || redundancy[c] >= options.SameFrom)
                {
                    continue;
                }

                var score = options.Lambda * pool[c]!.Relevance - (1 - options.Lambda) * redundancy[c];
                if (score > bestScore)
                {
                    best = c;
                    bestScore = score;
                }
            }

            if (best < 0)
            {
                break;
            }

            var taken = pool[best]!;
            chosen.Add(taken);
            pool[best] = null;
            for (var c = 0; c < pool.Count; c++)
            {
                if (pool[c] is { } other)
                {
                    redundancy[c] = Math.Max(redundancy[c], Cosine(taken.Vector, other.Vector));
                }
            }
        }

        var stands = chosen.Select(_ => new List<string>()).ToList();
        var covered = 0;
        for (var k = 0; k < members.Count; k++)
        {
            var id = posts[members[k]].Id;
            var nearest = -1;
            var similarity = double.NegativeInfinity;
            for (var c = 0; c < chosen.Count; c++)
            {
                // A sentence always stands for the post it is quoted from.
                var s = chosen[c].SourceId == id ? 1 : Cosine(chosen[c].Vector, postVectors[k]);
                if (s > similarity)
                {
                    nearest = c;
                    similarity = s;
                }
            }

            if (nearest >= 0 && similarity >= options.CoverFrom)
            {
                stands[nearest].Add(id);
                covered++;
            }
        }

        var sentences = chosen.Select((c, i) => new ExtractedSentence(c.Text, c.SourceId, stands[i])).ToList();
        return new GroupBrief(group, sentences, members.Count, covered);
    }

    private static List<Candidate> Candidates(List<int> members, IReadOnlyList<BriefPost> posts, Dictionary<int, double> idf, SparseVector centre, int maxChars, int minWords, bool charGrams)
    {
        var candidates = new List<Candidate>();
        foreach (var member in members)
        {
            var post = posts[member];
            foreach (var sentence in Sentences(post.Text))
            {
                if (sentence.Length > maxChars || TextNormalizer.ForTopics.Tokenize(sentence).Count < minWords)
                {
                    continue;
                }

                var vector = Vector(Features(sentence, charGrams), idf);
                if (vector.Keys.Length > 0)
                {
                    candidates.Add(new Candidate(sentence, post.Id, vector, Cosine(vector, centre)));
                }
            }
        }

        return candidates;
    }

    /// <summary>The sentences of a text, verbatim: split after . ! ? (or a run of them) followed by a space, and at line breaks.</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            foreach (var part in SentenceEnd().Split(line))
            {
                var sentence = part.Trim();
                if (sentence.Length > 0)
                {
                    yield return sentence;
                }
            }
        }
    }

    /// <summary>
    /// The features a text is compared by, hashed: its words (stop words out) and, with <paramref name="charGrams"/>,
    /// the character 3–5-grams inside each word's boundaries, so that affixed forms meet their root
    /// (<c>diaspal</c> and <c>aspal</c>, <c>berlubang</c> and <c>lubang</c>).
    /// </summary>
    public static int[] Features(string text, bool charGrams = false)
    {
        var words = TextNormalizer.ForTopics.Tokenize(text);
        var features = new List<int>(words.Count * (charGrams ? 12 : 1));
        foreach (var word in words)
        {
            features.Add(string.GetHashCode(word.AsSpan()));
            if (!charGrams)
            {
                continue;
            }

            var padded = (" " + word + " ").AsSpan();
            for (var n = 3; n <= 5; n++)
            {
                for (var i = 0; i + n <= padded.Length; i++)
                {
                    // Salted apart from whole words, so a gram and a word of the same letters never meet.
                    features.Add(HashCode.Combine(0x6772616d, string.GetHashCode(padded.Slice(i, n))));
                }
            }
        }

        return [.. features];
    }

    /// <summary>Cosine similarity of two L2-normalised sparse vectors.</summary>
    public static double Cosine(SparseVector a, SparseVector b)
    {
        double dot = 0;
        int i = 0, j = 0;
        while (i < a.Keys.Length && j < b.Keys.Length)
        {
            var x = a.Keys[i];
            var y = b.Keys[j];
            if (x == y)
            {
                dot += a.Values[i++] * b.Values[j++];
            }
            else if (x < y)
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

    /// <summary>Sub-linear tf × idf of the known features, L2-normalised.</summary>
    public static SparseVector Vector(int[] features, IReadOnlyDictionary<int, double> idf)
    {
        var counts = new Dictionary<int, int>(features.Length);
        foreach (var feature in features)
        {
            counts[feature] = counts.GetValueOrDefault(feature) + 1;
        }

        var weights = new Dictionary<int, double>(counts.Count);
        foreach (var (feature, count) in counts)
        {
            if (idf.TryGetValue(feature, out var weight))
            {
                weights[feature] = (1 + Math.Log(count)) * weight;
            }
        }

        return SparseVector.From(weights);
    }

    /// <summary>Smoothed idf, ln((1 + n) / (1 + df)) + 1, as scikit-learn computes it.</summary>
    public static Dictionary<int, double> InverseDocumentFrequency(IReadOnlyList<int[]> documents)
    {
        var df = new Dictionary<int, int>();
        foreach (var features in documents)
        {
            foreach (var feature in features.Distinct())
            {
                df[feature] = df.GetValueOrDefault(feature) + 1;
            }
        }

        return df.ToDictionary(p => p.Key, p => Math.Log((1.0 + documents.Count) / (1.0 + p.Value)) + 1);
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    private sealed record Candidate(string Text, string SourceId, SparseVector Vector, double Relevance);
}

/// <summary>A sparse vector: keys ascending, L2-normalised values.</summary>
public sealed record SparseVector(int[] Keys, double[] Values)
{
    public static SparseVector From(Dictionary<int, double> weights)
    {
        var keys = weights.Keys.ToArray();
        Array.Sort(keys);
        var values = keys.Select(k => weights[k]).ToArray();
        var norm = Math.Sqrt(values.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] /= norm;
            }
        }

        return new SparseVector(keys, values);
    }
}
