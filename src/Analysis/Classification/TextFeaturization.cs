using Microsoft.ML;
using Microsoft.ML.Transforms.Text;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>Input row of every text model: text already passed through a <c>TextNormalizer</c>.</summary>
internal sealed class NormalizedTextRow
{
    public string Text { get; set; } = string.Empty;

    /// <summary>Character n-grams inside word boundaries as tokens (only for models that use them).</summary>
    public string CharGrams { get; set; } = string.Empty;
}

/// <summary>
/// The shared ML.NET featurisation: TF-IDF over word uni- and bigrams plus character n-grams of the
/// normalised text, L2-normalised. Character n-grams carry misspellings, stems and languages
/// without word boundaries.
/// </summary>
internal static class TextFeaturization
{
    public const string FeaturesColumn = "Features";

    /// <param name="charNgramLength">Length of the character n-grams; 0 leaves them out (faster, for long texts).</param>
    /// <param name="allCharLengths">Also every shorter character n-gram (1 to <paramref name="charNgramLength"/>).</param>
    public static IEstimator<ITransformer> Estimator(MLContext ml, int charNgramLength = 4, bool allCharLengths = false)
    {
        // Word 1–2-grams as in every bag, plus character n-grams across the text.
        var options = Bag(2);
        options.CharFeatureExtractor = charNgramLength <= 0 ? null : new WordBagEstimator.Options
        {
            NgramLength = charNgramLength,
            UseAllLengths = allCharLengths,
            Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
        };
        return ml.Transforms.Text.FeaturizeText(FeaturesColumn, options, nameof(NormalizedTextRow.Text));
    }

    /// <summary>
    /// Word uni+bigrams and character n-grams of each length in [<paramref name="charFrom"/>, <paramref name="charTo"/>]
    /// as separate TF-IDF bags, each L2-normalised before they are joined, so the many character
    /// n-grams do not drown the words.
    /// </summary>
    public static IEstimator<ITransformer> Union(MLContext ml, int charFrom, int charTo)
    {
        var text = nameof(NormalizedTextRow.Text);
        IEstimator<ITransformer> pipeline = ml.Transforms.Text.TokenizeIntoWords("Words", text)
            .Append(ml.Transforms.Conversion.MapValueToKey("Words"))
            .Append(ml.Transforms.Text.ProduceNgrams("WordBag", "Words", ngramLength: 2, useAllLengths: true, weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Append(ml.Transforms.NormalizeLpNorm("WordBag"))
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("Chars", text, useMarkerCharacters: true));
        var bags = new List<string> { "WordBag" };
        for (var length = charFrom; length <= charTo; length++)
        {
            var bag = $"CharBag{length}";
            pipeline = pipeline.Append(ml.Transforms.Text.ProduceNgrams(bag, "Chars", ngramLength: length, useAllLengths: false, weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf));
            bags.Add(bag);
        }

        var charBags = bags.Skip(1).ToArray();
        if (charBags.Length > 0)
        {
            pipeline = pipeline
                .Append(ml.Transforms.Concatenate("CharBag", charBags))
                .Append(ml.Transforms.NormalizeLpNorm("CharBag"));
        }

        return pipeline.Append(ml.Transforms.Concatenate(FeaturesColumn, charBags.Length > 0 ? ["WordBag", "CharBag"] : ["WordBag"]));
    }

    /// <summary>
    /// Word uni+bigrams of <c>Text</c> and the word-boundary character n-grams of <c>CharGrams</c>
    /// (see <see cref="WordBoundaryCharGrams"/>), each a TF-IDF bag normalised on its own, then joined.
    /// </summary>
    public static IEstimator<ITransformer> WordsAndBoundedCharGrams(MLContext ml) =>
        ml.Transforms.Text.FeaturizeText("WordBag", Bag(2), nameof(NormalizedTextRow.Text))
            .Append(ml.Transforms.Text.FeaturizeText("CharBag", Bag(1), nameof(NormalizedTextRow.CharGrams)))
            .Append(ml.Transforms.Concatenate(FeaturesColumn, "WordBag", "CharBag"));

    /// <summary>"&lt;jalan&gt;" → "&lt;ja jal ala lan an&gt; &lt;jal …": n-grams of each padded word, never across words.</summary>
    /// <param name="distinct">Each n-gram once (presence rather than counts).</param>
    public static string WordBoundaryCharGrams(string normalizedText, int from = 3, int to = 5, bool distinct = false)
    {
        var grams = new System.Text.StringBuilder();
        var seen = distinct ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var word in normalizedText.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var padded = "<" + word + ">";
            for (var n = from; n <= to; n++)
            {
                for (var i = 0; i + n <= padded.Length; i++)
                {
                    if (seen is null)
                    {
                        grams.Append(padded, i, n).Append(' ');
                    }
                    else if (seen.Add(padded.Substring(i, n)))
                    {
                        grams.Append(padded, i, n).Append(' ');
                    }
                }
            }
        }

        return grams.ToString();
    }

    /// <summary>
    /// The distinct word unigrams and bigrams of a normalised text as one token each ("rusak parah" →
    /// "rusak parah rusak\u00a0parah"): a unigram bag over them is a presence (binary tf) bag of 1–2-grams.
    /// NFKC normalisation turns every no-break space into a space, so the joiner cannot occur in a word.
    /// </summary>
    public static string DistinctWordGrams(string normalizedText)
    {
        var words = normalizedText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var grams = new System.Text.StringBuilder();
        for (var i = 0; i < words.Length; i++)
        {
            if (seen.Add(words[i]))
            {
                grams.Append(words[i]).Append(' ');
            }

            if (i + 1 < words.Length)
            {
                var bigram = words[i] + BigramJoiner + words[i + 1];
                if (seen.Add(bigram))
                {
                    grams.Append(bigram).Append(' ');
                }
            }
        }

        return grams.ToString();
    }

    public const char BigramJoiner = '\u00a0';

    /// <summary>
    /// scikit-learn's min_df for presence rows (each term once per row, so a term's count over the rows is its
    /// document frequency): a filter that keeps only the space-separated terms found in at least
    /// <paramref name="minimum"/> of <paramref name="texts"/>. Applied to the training rows only, it leaves rare
    /// terms out of the bags' vocabularies; at prediction time they are unknown to the model and ignored.
    /// </summary>
    public static Func<string, string> MinDocumentFrequencyFilter(IEnumerable<string> texts, int minimum)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var term in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                df[term] = df.GetValueOrDefault(term) + 1;
            }
        }

        return text => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => df.GetValueOrDefault(t) >= minimum));
    }

    /// <summary>
    /// Presence TF-IDF bags: <c>Text</c> holds <see cref="DistinctWordGrams"/> and <c>CharGrams</c> the distinct
    /// word-boundary character n-grams, so every term counts once; idf weighted, each bag L2-normalised on its own, then joined.
    /// </summary>
    public static IEstimator<ITransformer> PresenceBags(MLContext ml) =>
        ml.Transforms.Text.FeaturizeText("WordBag", Bag(1), nameof(NormalizedTextRow.Text))
            .Append(ml.Transforms.Text.FeaturizeText("CharBag", Bag(1), nameof(NormalizedTextRow.CharGrams)))
            .Append(ml.Transforms.Concatenate(FeaturesColumn, "WordBag", "CharBag"));

    private static TextFeaturizingEstimator.Options Bag(int ngramLength) => new()
    {
        CaseMode = TextNormalizingEstimator.CaseMode.None,
        KeepDiacritics = true,

        // The normaliser already removed punctuation; its placeholder tokens ("_url") must survive.
        KeepPunctuations = true,
        KeepNumbers = true,
        StopWordsRemoverOptions = null,
        WordFeatureExtractor = new WordBagEstimator.Options
        {
            NgramLength = ngramLength,
            UseAllLengths = true,
            Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
        },
        CharFeatureExtractor = null,
        Norm = TextFeaturizingEstimator.NormFunction.L2,
    };
}
