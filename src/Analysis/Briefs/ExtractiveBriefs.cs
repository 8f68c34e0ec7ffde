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
    /// A post counts as covered by a sentence from this cosine similarity on (TF-IDF of words and in-word
    /// character 3–5-grams, stop words out, sub-linear tf, idf over the whole consultation).
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

    /// <summary>Only the sentences nearest the centre are considered, so a group of 10,000 posts costs as one of 500.</summary>
    public int MaxCandidates { get; init; } = 500;
}

/// <summary>
/// Extractive briefs of topic groups: 2–4 sentences per group taken verbatim from its posts, no generated
/// text. Sentences and posts become TF-IDF vectors of words and in-word character 3–5-grams (idf over every
/// post of the consultation, so the words that set a group apart weigh most). The group's centre is the vote-weighted mean of its posts; sentences
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
        var tokens = posts.Select(p => Features(p.Text)).ToList();
        var idf = InverseDocumentFrequency(tokens);
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
            briefs.Add(Brief(group, members, posts, tokens, idf, options));
        }

        return briefs;
    }

    private static GroupBrief Brief(int group, List<int> members, IReadOnlyList<BriefPost> posts, List<List<string>> tokens, Dictionary<string, double> idf, BriefOptions options)
    {
        var postVectors = members.Select(m => Vector(tokens[m], idf)).ToList();
        var centre = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var k = 0; k < members.Count; k++)
        {
            var weight = 1 + Math.Log(1 + Math.Max(0, posts[members[k]].Votes));
            foreach (var (word, value) in postVectors[k])
            {
                centre[word] = centre.GetValueOrDefault(word) + weight * value;
            }
        }

        Normalize(centre);
        var candidates = new List<Candidate>();
        for (var k = 0; k < members.Count; k++)
        {
            var post = posts[members[k]];
            foreach (var sentence in Sentences(post.Text))
            {
                var words = TextNormalizer.ForTopics.Tokenize(sentence);
                if (words.Count < options.MinWords || sentence.Length > options.MaxChars)
                {
                    continue;
                }

                var vector = Vector(Features(words), idf);
                if (vector.Count > 0)
                {
                    candidates.Add(new Candidate(sentence, post.Id, vector, Cosine(vector, centre)));
                }
            }
        }

        var pool = candidates
            .Select((c, order) => (c, order))
            .OrderByDescending(x => x.c.Relevance).ThenBy(x => x.order)
            .Take(options.MaxCandidates)
            .Select(x => x.c)
            .ToList();
        var want = members.Count < 10 ? 2 : members.Count < 40 ? 3 : 4;
        var chosen = new List<Candidate>();
        while (chosen.Count < want)
        {
            Candidate? best = null;
            var bestScore = double.NegativeInfinity;
            foreach (var candidate in pool)
            {
                var redundancy = chosen.Count == 0 ? 0 : chosen.Max(c => Cosine(c.Vector, candidate.Vector));
                if (redundancy >= options.SameFrom)
                {
                    continue;
                }

                var score = options.Lambda * candidate.Relevance - (1 - options.Lambda) * redundancy;
                if (score > bestScore)
                {
                    best = candidate;
                    bestScore = score;
                }
            }

            if (best is null)
            {
                break;
            }

            chosen.Add(best);
            pool.Remove(best);
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
    /// The features a text is compared by: its words (stop words out) and the character 3–5-grams inside each
    /// word's boundaries, so that affixed forms meet their root (<c>diaspal</c> and <c>aspal</c>, <c>berlubang</c> and <c>lubang</c>).
    /// </summary>
    public static List<string> Features(string text) => Features(TextNormalizer.ForTopics.Tokenize(text));

    private static List<string> Features(IReadOnlyList<string> words)
    {
        var features = new List<string>(words.Count * 12);
        foreach (var word in words)
        {
            features.Add(word);
            var padded = " " + word + " ";
            for (var n = 3; n <= 5; n++)
            {
                for (var i = 0; i + n <= padded.Length; i++)
                {
                    // A gram is never a whole word (those carry no space), so the two kinds cannot collide.
                    var gram = padded.Substring(i, n);
                    if (gram.Contains(' ', StringComparison.Ordinal))
                    {
                        features.Add(gram);
                    }
                    else
                    {
                        features.Add("#" + gram);
                    }
                }
            }
        }

        return features;
    }

    /// <summary>Cosine similarity of two L2-normalised sparse vectors.</summary>
    public static double Cosine(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b)
    {
        if (a.Count > b.Count)
        {
            (a, b) = (b, a);
        }

        var dot = 0.0;
        foreach (var (word, value) in a)
        {
            if (b.TryGetValue(word, out var other))
            {
                dot += value * other;
            }
        }

        return dot;
    }

    /// <summary>Sub-linear tf × idf of the known words, L2-normalised.</summary>
    public static Dictionary<string, double> Vector(IReadOnlyList<string> words, IReadOnlyDictionary<string, double> idf)
    {
        var vector = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in words.GroupBy(w => w, StringComparer.Ordinal))
        {
            if (idf.TryGetValue(group.Key, out var weight))
            {
                vector[group.Key] = (1 + Math.Log(group.Count())) * weight;
            }
        }

        Normalize(vector);
        return vector;
    }

    /// <summary>Smoothed idf, ln((1 + n) / (1 + df)) + 1, as scikit-learn computes it.</summary>
    public static Dictionary<string, double> InverseDocumentFrequency(IReadOnlyList<IReadOnlyList<string>> documents)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var words in documents)
        {
            foreach (var word in words.Distinct(StringComparer.Ordinal))
            {
                df[word] = df.GetValueOrDefault(word) + 1;
            }
        }

        return df.ToDictionary(p => p.Key, p => Math.Log((1.0 + documents.Count) / (1.0 + p.Value)) + 1, StringComparer.Ordinal);
    }

    private static void Normalize(Dictionary<string, double> vector)
    {
        var norm = Math.Sqrt(vector.Values.Sum(v => v * v));
        if (norm > 0)
        {
            foreach (var key in vector.Keys.ToList())
            {
                vector[key] /= norm;
            }
        }
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    private sealed record Candidate(string Text, string SourceId, Dictionary<string, double> Vector, double Relevance);
}
