namespace OpenGov.Dialogue.Analysis.Text;

public enum Language
{
    Other,
    Indonesian,
    English,
}

/// <summary>Which language a text is in, and how sure the detector is (0–1).</summary>
public sealed record DetectedLanguage(Language Language, double Confidence);

/// <summary>
/// Routes a comment to the Indonesian or English models by counting frequent function words of each
/// language; anything else (other scripts, German, too little evidence) is <see cref="Language.Other"/>.
/// Good enough to route, not to identify dialects. Stateless and thread-safe.
/// </summary>
public static class LanguageDetector
{
    private static readonly HashSet<string> IndonesianMarkers = new(StringComparer.Ordinal)
    {
        "yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "pada", "adalah", "tidak",
        "akan", "juga", "atau", "ada", "sudah", "saya", "kami", "kita", "mereka", "bisa", "karena",
        "tapi", "tetapi", "jika", "kalau", "saja", "lagi", "sangat", "bukan", "belum", "jangan", "apa",
        "aku", "kamu", "dia", "nya", "mohon", "tolong", "jalan", "warga", "banyak", "sama", "masih",
        "harus", "sekarang", "orang", "terima", "kasih", "bapak", "ibu", "pak", "desa", "kota", "rusak",
    };

    private static readonly HashSet<string> EnglishMarkers = new(StringComparer.Ordinal)
    {
        "the", "and", "of", "to", "in", "is", "that", "it", "for", "you", "was", "with", "on", "as",
        "are", "be", "this", "have", "not", "they", "we", "but", "what", "all", "there", "can", "your",
        "if", "will", "would", "should", "more", "people", "about", "do", "no", "so", "my", "our",
        "their", "an", "or", "by", "from", "at", "i", "me", "he", "she", "them", "which", "who", "has",
    };

    public static DetectedLanguage Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var latin = 0;
        var otherScript = 0;
        foreach (var c in text)
        {
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
            {
                latin++;
            }
            else if (char.IsLetter(c) && c > '\u024f')
            {
                otherScript++;
            }
        }

        if (latin == 0 || otherScript > latin)
        {
            return new DetectedLanguage(Language.Other, otherScript > 0 ? 0.9 : 0.5);
        }

        // Spelling mapping first, so "gak"/"yg" count as Indonesian evidence.
        var tokens = TextNormalizer.Default.Tokenize(text);
        double indonesian = 0, english = 0;
        foreach (var token in tokens)
        {
            if (IndonesianMarkers.Contains(token))
            {
                indonesian++;
            }

            if (EnglishMarkers.Contains(token))
            {
                english++;
            }
        }

        var evidence = indonesian + english;
        if (evidence == 0)
        {
            return new DetectedLanguage(Language.Other, 0.3);
        }

        var share = Math.Max(indonesian, english) / evidence;
        // A long text with almost no marker words is more likely a third language (German, Dutch...).
        var coverage = evidence / Math.Max(1, tokens.Count);
        if (tokens.Count >= 8 && coverage < 0.08)
        {
            return new DetectedLanguage(Language.Other, 1 - coverage);
        }

        var confidence = share * Math.Min(1, 0.5 + evidence / 6);
        return indonesian > english
            ? new DetectedLanguage(Language.Indonesian, confidence)
            : english > indonesian
                ? new DetectedLanguage(Language.English, confidence)
                : new DetectedLanguage(Language.Other, 0.5);
    }
}
