using System.Globalization;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>Settings of <see cref="SparseTfidf"/>; the defaults are the ones chosen by 5-fold CV in issue #18.</summary>
public sealed record SparseTfidfOptions
{
    /// <summary>Word n-gram lengths (inclusive); <see cref="WordNgramTo"/> 0 leaves words out.</summary>
    public int WordNgramFrom { get; init; } = 1;

    public int WordNgramTo { get; init; } = 2;

    /// <summary>Character n-gram lengths taken inside each space-padded word; <see cref="CharNgramTo"/> 0 leaves them out.</summary>
    public int CharNgramFrom { get; init; } = 3;

    public int CharNgramTo { get; init; } = 5;

    /// <summary>Terms found in fewer training texts than this are left out of the vocabulary.</summary>
    public int MinDocumentFrequency { get; init; } = 2;

    /// <summary>Term frequency tf counts as 1 + ln tf (sub-linear) instead of tf.</summary>
    public bool SublinearTf { get; init; } = true;
}

/// <summary>
/// TF-IDF of word n-grams and of word-bounded character n-grams, the team's own code (ML.NET's FeaturizeText has
/// neither a minimum document frequency nor sub-linear tf, both worth about +0.02 macro-F1 on LaporGub). Words are runs
/// of two or more letters or digits, or one kana or CJK ideograph; character n-grams are taken inside each word padded with one space on each
/// side (a padded word no longer than n gives itself once, and no longer n-grams). Each bag: tf (or 1 + ln tf) × idf, idf = ln((1 + n) / (1 + df)) + 1,
/// L2-normalised on its own; the character bag's indices follow the word bag's. Immutable once fitted; thread-safe.
/// </summary>
public sealed class SparseTfidf
{
    private readonly Dictionary<string, int> _words;
    private readonly Dictionary<string, int> _chars;
    private readonly float[] _idf;

    private SparseTfidf(SparseTfidfOptions options, Dictionary<string, int> words, Dictionary<string, int> chars, float[] idf)
    {
        Options = options;
        _words = words;
        _chars = chars;
        _idf = idf;
    }

    public SparseTfidfOptions Options { get; }

    /// <summary>Number of features: word terms, then character terms.</summary>
    public int Dimension => _idf.Length;

    public int WordTerms => _words.Count;

    public static SparseTfidf Fit(IReadOnlyList<string> texts, SparseTfidfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options ??= new SparseTfidfOptions();
        if (options.WordNgramTo <= 0 && options.CharNgramTo <= 0)
        {
            throw new ArgumentException("neither word nor character n-grams are asked for", nameof(options));
        }

        var wordDf = new Dictionary<string, int>(StringComparer.Ordinal);
        var charDf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var term in Terms(text, options, words: true).Keys)
            {
                wordDf[term] = wordDf.GetValueOrDefault(term) + 1;
            }

            foreach (var term in Terms(text, options, words: false).Keys)
            {
                charDf[term] = charDf.GetValueOrDefault(term) + 1;
            }
        }

        var min = Math.Max(1, options.MinDocumentFrequency);
        var n = texts.Count;
        var idf = new List<float>();
        Dictionary<string, int> Vocabulary(Dictionary<string, int> df)
        {
            var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (term, count) in df.Where(p => p.Value >= min).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                vocabulary[term] = idf.Count;
                idf.Add((float)(Math.Log((1.0 + n) / (1.0 + count)) + 1));
            }

            return vocabulary;
        }

        var words = Vocabulary(wordDf);
        var chars = Vocabulary(charDf);
        if (idf.Count == 0 && min > 1)
        {
            // A handful of texts may share no term at all: keep every term rather than learn from nothing.
            min = 1;
            words = Vocabulary(wordDf);
            chars = Vocabulary(charDf);
        }

        return new SparseTfidf(options, words, chars, idf.ToArray());
    }

    /// <summary>The text's features, sorted by index; unknown terms are ignored. An empty row for a text with no known term.</summary>
    public SparseVector Transform(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var indices = new List<int>();
        var values = new List<float>();
        Bag(Terms(text, Options, words: true), _words, indices, values);
        Bag(Terms(text, Options, words: false), _chars, indices, values);
        return new SparseVector(indices.ToArray(), values.ToArray());
    }

    /// <summary>The vocabulary in index order (for saving).</summary>
    public IReadOnlyList<string> Terms() =>
        _words.Concat(_chars).OrderBy(p => p.Value).Select(p => p.Key).ToList();

    public void Write(BinaryWriter writer)
    {
        writer.Write(Options.WordNgramFrom);
        writer.Write(Options.WordNgramTo);
        writer.Write(Options.CharNgramFrom);
        writer.Write(Options.CharNgramTo);
        writer.Write(Options.MinDocumentFrequency);
        writer.Write(Options.SublinearTf);
        writer.Write(_words.Count);
        writer.Write(_chars.Count);
        foreach (var term in Terms())
        {
            writer.Write(term);
        }

        foreach (var value in _idf)
        {
            writer.Write(value);
        }
    }

    public static SparseTfidf Read(BinaryReader reader)
    {
        var options = new SparseTfidfOptions
        {
            WordNgramFrom = reader.ReadInt32(),
            WordNgramTo = reader.ReadInt32(),
            CharNgramFrom = reader.ReadInt32(),
            CharNgramTo = reader.ReadInt32(),
            MinDocumentFrequency = reader.ReadInt32(),
            SublinearTf = reader.ReadBoolean(),
        };
        var wordCount = reader.ReadInt32();
        var charCount = reader.ReadInt32();
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var chars = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < wordCount + charCount; i++)
        {
            (i < wordCount ? words : chars)[reader.ReadString()] = i;
        }

        var idf = new float[wordCount + charCount];
        for (var i = 0; i < idf.Length; i++)
        {
            idf[i] = reader.ReadSingle();
        }

        return new SparseTfidf(options, words, chars, idf);
    }

    private void Bag(Dictionary<string, int> counts, Dictionary<string, int> vocabulary, List<int> indices, List<float> values)
    {
        var start = indices.Count;
        double norm = 0;
        foreach (var (term, count) in counts)
        {
            if (vocabulary.TryGetValue(term, out var index))
            {
                var tf = Options.SublinearTf ? 1 + Math.Log(count) : count;
                var value = tf * _idf[index];
                indices.Add(index);
                values.Add((float)value);
                norm += value * value;
            }
        }

        if (indices.Count == start)
        {
            return;
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        var length = indices.Count - start;
        var sortedIndices = indices.GetRange(start, length).ToArray();
        var sortedValues = values.GetRange(start, length).ToArray();
        Array.Sort(sortedIndices, sortedValues);
        for (var k = 0; k < length; k++)
        {
            indices[start + k] = sortedIndices[k];
            values[start + k] = sortedValues[k] * scale;
        }
    }

    /// <summary>
    /// Maximal runs of two or more word characters (the regular expression \b\w\w+\b, without its cost), and also a lone
    /// kana or CJK ideograph: the <c>TextNormalizer</c> makes each of those a token of its own, and a Chinese comment would
    /// otherwise have no word at all.
    /// </summary>
    internal static string[] Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var word = i < text.Length && IsWordChar(text[i]);
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                if (i - start >= 2 || Text.TextNormalizer.IsIdeograph(text[start]))
                {
                    words.Add(text.Substring(start, i - start));
                }

                start = -1;
            }
        }

        return words.ToArray();
    }

    /// <summary>.NET's \w: letters, non-spacing marks, decimal digits and connector punctuation.</summary>
    private static bool IsWordChar(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };

    /// <summary>Term counts of one text: word n-grams (<paramref name="words"/>) or word-bounded character n-grams.</summary>
    internal static Dictionary<string, int> Terms(string text, SparseTfidfOptions options, bool words)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lower = text.ToLowerInvariant();
        if (words)
        {
            if (options.WordNgramTo <= 0)
            {
                return counts;
            }

            var tokens = Words(lower);
            for (var n = Math.Max(1, options.WordNgramFrom); n <= options.WordNgramTo; n++)
            {
                for (var i = 0; i + n <= tokens.Length; i++)
                {
                    var term = n == 1 ? tokens[i] : string.Join(' ', tokens, i, n);
                    counts[term] = counts.GetValueOrDefault(term) + 1;
                }
            }

            return counts;
        }

        if (options.CharNgramTo <= 0)
        {
            return counts;
        }

        foreach (var word in lower.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var padded = " " + word + " ";
            for (var n = Math.Max(1, options.CharNgramFrom); n <= options.CharNgramTo; n++)
            {
                if (padded.Length <= n)
                {
                    // The whole padded word once, and no longer n-grams of it.
                    counts[padded] = counts.GetValueOrDefault(padded) + 1;
                    break;
                }

                for (var i = 0; i + n <= padded.Length; i++)
                {
                    var term = padded.Substring(i, n);
                    counts[term] = counts.GetValueOrDefault(term) + 1;
                }
            }
        }

        return counts;
    }
}

/// <summary>A sparse row: indices ascending, with their values.</summary>
public readonly record struct SparseVector(int[] Indices, float[] Values)
{
    public double Dot(float[] weights)
    {
        double sum = 0;
        for (var k = 0; k < Indices.Length; k++)
        {
            sum += weights[Indices[k]] * Values[k];
        }

        return sum;
    }
}
