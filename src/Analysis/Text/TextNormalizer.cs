using System.Globalization;
using System.Text;

namespace OpenGov.Dialogue.Analysis.Text;

/// <summary>How much a <see cref="TextNormalizer"/> rewrites.</summary>
public sealed record NormalizerOptions
{
    /// <summary>Drop function words (negations are always kept).</summary>
    public bool RemoveStopWords { get; init; }

    /// <summary>Map chat spellings through <see cref="InformalSpellings"/> (or <see cref="Spellings"/>).</summary>
    public bool MapInformalSpellings { get; init; } = true;

    /// <summary>A replacement spelling dictionary, for example one extended by a consultation's moderators.</summary>
    public IReadOnlyDictionary<string, string>? Spellings { get; init; }
}

/// <summary>
/// Turns raw Indonesian or English comments into lower-case tokens separated by single spaces:
/// Unicode compatibility folding, URLs / mentions / numbers as placeholder tokens, letter runs
/// shortened, chat spellings mapped, Indonesian reduplication ("anak2") expanded. Stateless and
/// thread-safe.
/// </summary>
public sealed class TextNormalizer(NormalizerOptions? options = null)
{
    public const string UrlToken = "_url";
    public const string MentionToken = "_user";
    public const string NumberToken = "_num";

    private readonly NormalizerOptions _options = options ?? new NormalizerOptions();
    private readonly IReadOnlyDictionary<string, string> _spellings = options?.Spellings ?? InformalSpellings.Default;

    public static TextNormalizer Default { get; } = new();

    public static TextNormalizer ForTopics { get; } = new(new NormalizerOptions { RemoveStopWords = true });

    /// <summary>The normalised text: tokens joined by single spaces.</summary>
    public string Normalize(string text) => string.Join(' ', Tokenize(text));

    public List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        if (text.Length == 0)
        {
            return tokens;
        }

        // ASCII is already in compatibility form; checking it costs as much as the rest of the work.
        var folded = System.Text.Ascii.IsValid(text) || text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var span = folded.AsSpan();
        var word = new StringBuilder();
        var i = 0;
        while (i < span.Length)
        {
            var c = span[i];
            if (IsUrlStart(span[i..]))
            {
                tokens.Add(UrlToken);
                i = SkipUntilWhitespace(span, i);
                continue;
            }

            if (c == '@' && i + 1 < span.Length && IsWordChar(span[i + 1]))
            {
                tokens.Add(MentionToken);
                i = SkipWhile(span, i + 1, ch => IsWordChar(ch) || ch == '_');
                continue;
            }

            // Scraped text often carries escapes as literal text ("\n", "\xf0\x9f"); they are noise.
            if (c == '\\' && i + 1 < span.Length && (span[i + 1] is 'n' or 'r' or 't' || span[i + 1] == 'x' && i + 3 < span.Length && Uri.IsHexDigit(span[i + 2])))
            {
                i += span[i + 1] == 'x' ? 4 : 2;
                continue;
            }

            if (IsIdeograph(c))
            {
                tokens.Add(c.ToString());
                i++;
                continue;
            }

            if (IsWordChar(c))
            {
                word.Clear();
                var end = i;
                while (end < span.Length && (IsWordChar(span[end]) || span[end] is '\'' or '’'
                    || span[end] is '.' or ',' && end > i && char.IsDigit(span[end - 1]) && end + 1 < span.Length && char.IsDigit(span[end + 1])))
                {
                    end++;
                }

                for (var j = i; j < end; j++)
                {
                    var ch = span[j] == '’' ? '\'' : span[j];
                    word.Append(char.ToLowerInvariant(ch));
                }

                i = end;
                AddWord(word.ToString().Trim('\''), tokens);
                continue;
            }

            i++;
        }

        return tokens;
    }

    private void AddWord(string raw, List<string> tokens)
    {
        if (raw.Length == 0)
        {
            return;
        }

        if (IsNumber(raw))
        {
            tokens.Add(NumberToken);
            return;
        }

        // "anak2" is the chat form of the reduplicated "anak anak".
        if (raw.Length > 2 && raw[^1] == '2' && char.IsLetter(raw[^2]) && raw.Take(raw.Length - 1).All(char.IsLetter))
        {
            var stem = raw[..^1];
            AddWord(stem, tokens);
            AddWord(stem, tokens);
            return;
        }

        var word = ShortenRuns(raw, 2);
        if (_options.MapInformalSpellings)
        {
            var shortest = ShortenRuns(word, 1);
            if (_spellings.TryGetValue(word, out var standard) || (!ReferenceEquals(shortest, word) && _spellings.TryGetValue(shortest, out standard)))
            {
                foreach (var part in standard.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    AddStandard(part, tokens);
                }

                return;
            }

            if (word.EndsWith("n't", StringComparison.Ordinal) && word.Length > 3)
            {
                AddStandard(word[..^3], tokens);
                AddStandard("not", tokens);
                return;
            }
        }

        AddStandard(word, tokens);
    }

    private void AddStandard(string word, List<string> tokens)
    {
        if (_options.RemoveStopWords && StopWords.IsStopWord(word))
        {
            return;
        }

        tokens.Add(word);
    }

    /// <summary>Cuts runs of one letter longer than <paramref name="keep"/> ("bangeeet" → "bangeet").</summary>
    internal static string ShortenRuns(string word, int keep)
    {
        var builder = (StringBuilder?)null;
        var run = 0;
        for (var i = 0; i < word.Length; i++)
        {
            run = i > 0 && word[i] == word[i - 1] ? run + 1 : 1;
            if (run > keep)
            {
                builder ??= new StringBuilder(word, 0, i, word.Length);
                continue;
            }

            builder?.Append(word[i]);
        }

        return builder?.ToString() ?? word;
    }

    private static bool IsNumber(string word)
    {
        var digits = 0;
        foreach (var c in word)
        {
            if (char.IsDigit(c))
            {
                digits++;
            }
            else if (c is not ('.' or ','))
            {
                return false;
            }
        }

        return digits > 0;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) && !IsIdeograph(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>Kana and CJK ideographs: the normaliser makes each one a token of its own.</summary>
    internal static bool IsIdeograph(char c) =>
        c is >= '\u3040' and <= '\u30ff' or >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff';

    private static bool IsUrlStart(ReadOnlySpan<char> rest) =>
        rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || rest.StartsWith("www.", StringComparison.OrdinalIgnoreCase);

    private static int SkipUntilWhitespace(ReadOnlySpan<char> span, int i)
    {
        while (i < span.Length && !char.IsWhiteSpace(span[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipWhile(ReadOnlySpan<char> span, int i, Func<char, bool> predicate)
    {
        while (i < span.Length && predicate(span[i]))
        {
            i++;
        }

        return i;
    }
}
