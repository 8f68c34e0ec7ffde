using System.Text.RegularExpressions;
using OpenGov.Dialogue.Analysis.Duplicates;
using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Triage;

/// <summary>
/// What a moderator would notice about an item at a glance, each measured without any trained model.
/// </summary>
/// <param name="MaxSimilarity">Cosine similarity (0–1) to the closest earlier item.</param>
/// <param name="KeyboardMash">Share (0–1) of the letters that sit in mashed "words" ("aksjdflaksjdf").</param>
/// <param name="Repetition">Share (0–1) of tokens that repeat an earlier token, plus long runs of one character.</param>
/// <param name="Links">Number of URLs.</param>
/// <param name="Tokens">Number of normalised tokens.</param>
/// <param name="UpperCaseShare">Share of letters in upper case (shouting), 0 for short texts.</param>
/// <param name="AbusiveWords">Number of words from the built-in abuse lexicon.</param>
/// <param name="OffTopic">1 − similarity to the consultation's own topic text, when one is known; else 0.</param>
/// <param name="SimilarityToRejected">Similarity to the closest item a moderator rejected (0 without history).</param>
/// <param name="SimilarityToAccepted">Similarity to the closest item a moderator accepted (0 without history).</param>
/// <param name="RejectRate">The consultation's rejection rate so far, when decisions are known.</param>
public sealed partial record TriageSignals(
    double MaxSimilarity,
    double KeyboardMash,
    double Repetition,
    int Links,
    int Tokens,
    double UpperCaseShare,
    int AbusiveWords,
    double OffTopic,
    double SimilarityToRejected = 0,
    double SimilarityToAccepted = 0,
    double? RejectRate = null)
{
    public static TriageSignals Measure(string text, DuplicateIndex? earlierItems = null, DuplicateIndex? topicReference = null, ModerationHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = TextNormalizer.Default.Tokenize(text);
        var similarity = earlierItems is null || tokens.Count == 0 ? 0 : earlierItems.FindSimilar(text, 1).FirstOrDefault()?.Score ?? 0;
        var offTopic = topicReference is null || topicReference.Count == 0 || tokens.Count == 0
            ? 0
            : 1 - (topicReference.FindSimilar(text, 1).FirstOrDefault()?.Score ?? 0);
        return new TriageSignals(
            similarity,
            MashShare(text),
            RepetitionShare(text, tokens),
            tokens.Count(t => t == TextNormalizer.UrlToken),
            tokens.Count,
            UpperShare(text),
            tokens.Count(AbuseLexicon.Contains),
            offTopic,
            history is null || tokens.Count == 0 ? 0 : history.SimilarityToRejected(text),
            history is null || tokens.Count == 0 ? 0 : history.SimilarityToAccepted(text),
            history is null || history.Decisions == 0 ? null : history.RejectRate);
    }

    /// <summary>
    /// A letters-only word of five or more letters is "mashed" when it has almost no vowels, a long run
    /// of consonants, or is typed almost entirely on the home row.
    /// </summary>
    internal static double MashShare(string text)
    {
        var letters = 0;
        var mashed = 0;
        foreach (Match match in WordPattern().Matches(text))
        {
            var word = match.Value.ToLowerInvariant();
            letters += word.Length;
            if (word.Length < 5 || word.Any(c => c > 'z'))
            {
                continue;
            }

            var vowels = word.Count(c => "aeiouy".Contains(c));
            var longestConsonantRun = 0;
            var run = 0;
            foreach (var c in word)
            {
                run = "aeiouy".Contains(c) ? 0 : run + 1;
                longestConsonantRun = Math.Max(longestConsonantRun, run);
            }

            var homeRow = word.Count(c => "asdfghjkl".Contains(c)) / (double)word.Length;
            var distinctShare = word.Distinct().Count() / (double)word.Length;
            if (vowels / (double)word.Length < 0.15 || longestConsonantRun >= 5 || homeRow >= 0.75 && word.Length >= 6 || distinctShare < 0.3 && word.Length >= 8)
            {
                mashed += word.Length;
            }
        }

        // Long digit strings with no words around them ("test 2134214325") are mash too.
        foreach (Match match in DigitsPattern().Matches(text))
        {
            mashed += match.Length;
            letters += match.Length;
        }

        return letters == 0 ? 0 : (double)mashed / letters;
    }

    internal static double RepetitionShare(string text, IReadOnlyList<string> tokens)
    {
        // Function words repeat in any sentence; only repeated content words are suspicious.
        var content = tokens.Where(t => !StopWords.IsStopWord(t)).ToList();
        var repeated = content.Count < 3 ? 0 : 1 - content.Distinct().Count() / (double)content.Count;
        var runs = RunPattern().Matches(text).Sum(m => m.Length) / (double)Math.Max(1, text.Length);
        return Math.Min(1, repeated + runs);
    }

    private static double UpperShare(string text)
    {
        var letters = text.Count(char.IsLetter);
        return letters < 12 ? 0 : text.Count(char.IsUpper) / (double)letters;
    }

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\d{7,}")]
    private static partial Regex DigitsPattern();

    [GeneratedRegex(@"(.)\1{4,}")]
    private static partial Regex RunPattern();
}
