namespace OpenGov.Dialogue.Analysis.Text;

/// <summary>
/// Function words dropped for topic and grouping features. Negations stay ("tidak", "bukan", "not"):
/// they flip the meaning of a comment and matter for moderation.
/// </summary>
public static class StopWords
{
    public static IReadOnlySet<string> Negations { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "tidak", "bukan", "belum", "jangan", "tanpa", "tak",
        "not", "no", "nor", "never", "none", "nobody", "nothing", "without", "neither",
    };

    public static IReadOnlySet<string> Indonesian { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "pada", "adalah", "dalam",
        "akan", "juga", "atau", "ada", "oleh", "sudah", "saya", "kami", "kita", "mereka", "dia", "ia",
        "anda", "kamu", "aku", "bisa", "karena", "tetapi", "tapi", "jika", "kalau", "maka", "sebagai",
        "saja", "lagi", "sangat", "lebih", "hanya", "masih", "agar", "supaya", "bahwa", "sehingga",
        "para", "pun", "lah", "kah", "nya", "sih", "dong", "deh", "kok", "ya", "yah", "nah", "tersebut",
        "telah", "sedang", "setelah", "sebelum", "seperti", "secara", "serta", "hal", "bagi", "antara",
        "apa", "siapa", "mana", "begitu", "begini", "sama", "kepada", "terhadap", "yaitu", "yakni",
        "namun", "bila", "apabila", "sampai", "hingga", "dapat", "harus", "mau", "ingin", "punya",
    };

    public static IReadOnlySet<string> English { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "the", "a", "an", "and", "or", "but", "if", "then", "of", "to", "in", "on", "at", "by", "for",
        "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this",
        "that", "these", "those", "i", "me", "my", "we", "our", "us", "you", "your", "he", "him", "his",
        "she", "her", "they", "them", "their", "what", "which", "who", "whom", "there", "here", "so",
        "do", "does", "did", "have", "has", "had", "will", "would", "should", "can", "could", "may",
        "might", "must", "shall", "about", "into", "over", "than", "too", "very", "just", "also",
        "all", "any", "some", "such", "more", "most", "other", "own", "same", "up", "down", "out",
        "off", "again", "further", "once", "am", "rt", "because", "while", "when", "where", "why", "how",
    };

    // One set for the hot path: the normaliser asks this for every token.
    private static readonly HashSet<string> Droppable = Indonesian.Concat(English).Where(w => !Negations.Contains(w)).ToHashSet(StringComparer.Ordinal);

    public static bool IsStopWord(string token) => Droppable.Contains(token);
}
