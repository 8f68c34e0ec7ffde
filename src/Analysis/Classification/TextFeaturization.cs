using Microsoft.ML;
using Microsoft.ML.Transforms.Text;

namespace OpenGov.Dialogue.Analysis.Classification;

/// <summary>Input row of every text model: text already passed through a <c>TextNormalizer</c>.</summary>
internal sealed class NormalizedTextRow
{
    public string Text { get; set; } = string.Empty;
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
    public static IEstimator<ITransformer> Estimator(MLContext ml, int charNgramLength = 4, bool allCharLengths = false) =>
        ml.Transforms.Text.FeaturizeText(FeaturesColumn, new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            // The normaliser already removed punctuation; its placeholder tokens ("_url") must survive.
            KeepPunctuations = true,
            KeepNumbers = true,
            StopWordsRemoverOptions = null,
            WordFeatureExtractor = new WordBagEstimator.Options
            {
                NgramLength = 2,
                UseAllLengths = true,
                Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
            },
            CharFeatureExtractor = charNgramLength <= 0 ? null : new WordBagEstimator.Options
            {
                NgramLength = charNgramLength,
                UseAllLengths = allCharLengths,
                Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
            },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        }, nameof(NormalizedTextRow.Text));
}
