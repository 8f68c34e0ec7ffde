namespace OpenGov.Dialogue.Analysis.Triage;

/// <summary>
/// A short team-written list of unambiguous insults and slurs in Indonesian and English, matched on
/// normalised tokens. It only flags items for a moderator; it never rejects anything by itself.
/// </summary>
public static class AbuseLexicon
{
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        // Indonesian
        "anjing", "anjir", "anjrit", "bangsat", "bajingan", "brengsek", "berengsek", "goblok", "goblog", "tolol",
        "bego", "idiot", "dungu", "kampret", "keparat", "bedebah", "sialan", "asu", "jancuk", "jancok", "cuk",
        "kontol", "memek", "ngentot", "pelacur", "lonte", "babi", "monyet", "setan", "iblis", "tai", "taik",
        "cebong", "kampungan", "sinting", "gila", "bacot", "laknat", "mampus",
        // English
        "fuck", "fucking", "fucker", "motherfucker", "shit", "bullshit", "bitch", "bitches", "asshole", "bastard",
        "cunt", "dick", "dickhead", "moron", "retard", "retarded", "idiots", "stupid", "scum", "whore", "slut",
        "faggot", "fag", "nigger", "nigga", "twat", "wanker", "dumbass", "jackass", "hoe", "hoes", "pussy",
    };

    public static bool Contains(string normalizedToken) => Words.Contains(normalizedToken);
}
