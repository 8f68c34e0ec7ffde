using System.Globalization;

namespace OpenGov.Dialogue.Channels;

public enum CommandKind
{
    /// <summary>Not a command: a question or comment once joined, help before.</summary>
    Text = 0,
    Join,
    Up,
    Agree,
    Disagree,
    Pass,
    Status,
    Leave,
    Erase,
    EraseConfirmed,
    Help,

    /// <summary>A vote word with a missing or bad item number ("ATAS abc").</summary>
    BadNumber,
}

/// <param name="Language">"id" or "en": the language of the keyword, null for plain text.</param>
/// <param name="Number">The item number of a vote.</param>
/// <param name="Arguments">The words after JOIN: the consultation code and, where the consultation asks for one, the code shown in the hall or an invitation.</param>
public sealed record ChannelCommand(CommandKind Kind, string? Language, int Number = 0, string? Arguments = null)
{
    private static readonly Dictionary<string, (CommandKind Kind, string? Language)> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GABUNG"] = (CommandKind.Join, "id"),
        ["JOIN"] = (CommandKind.Join, "en"),
        ["ATAS"] = (CommandKind.Up, "id"),
        ["UP"] = (CommandKind.Up, "en"),
        ["SETUJU"] = (CommandKind.Agree, "id"),
        ["AGREE"] = (CommandKind.Agree, "en"),
        ["TIDAK"] = (CommandKind.Disagree, "id"),
        ["DISAGREE"] = (CommandKind.Disagree, "en"),
        ["LEWAT"] = (CommandKind.Pass, "id"),
        ["PASS"] = (CommandKind.Pass, "en"),
        // The same word in both languages: it keeps the language the sender has been using.
        ["STATUS"] = (CommandKind.Status, null),
        ["KELUAR"] = (CommandKind.Leave, "id"),
        ["STOP"] = (CommandKind.Leave, "en"),
        ["HAPUS"] = (CommandKind.Erase, "id"),
        ["ERASE"] = (CommandKind.Erase, "en"),
        ["BANTUAN"] = (CommandKind.Help, "id"),
        ["HELP"] = (CommandKind.Help, "en"),
    };

    /// <summary>
    /// Reads a message. A keyword counts only as the first word, and a vote word only with a number after it
    /// or alone: "Tidak ada air bersih di RT 5" is a comment, not a vote. Numbers may be written "12" or "#12".
    /// </summary>
    public static ChannelCommand Parse(string? text)
    {
        var words = (text ?? string.Empty).Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0 || !Words.TryGetValue(words[0].TrimEnd('.', '!', ':'), out var word))
        {
            return new ChannelCommand(CommandKind.Text, null);
        }

        switch (word.Kind)
        {
            case CommandKind.Join:
                return words.Length >= 2 ? new ChannelCommand(CommandKind.Join, word.Language, Arguments: string.Join(' ', words.Skip(1))) : new ChannelCommand(CommandKind.Help, word.Language);
            case CommandKind.Up or CommandKind.Agree or CommandKind.Disagree or CommandKind.Pass:
                if (words.Length == 2 && ItemNumber(words[1]) is { } n)
                {
                    return new ChannelCommand(word.Kind, word.Language, n);
                }

                // "TIDAK" alone, "TIDAK #x1" or "ATAS abc" is a malformed vote; "TIDAK ada air" is a sentence.
                return words.Length == 1 || (words.Length == 2 && (word.Kind == CommandKind.Up || LooksLikeNumber(words[1])))
                    ? new ChannelCommand(CommandKind.BadNumber, word.Language)
                    : new ChannelCommand(CommandKind.Text, null);
            case CommandKind.Erase:
                return words.Length == 2 && words[1].ToUpperInvariant() is "YA" or "YES"
                    ? new ChannelCommand(CommandKind.EraseConfirmed, words[1].Equals("YA", StringComparison.OrdinalIgnoreCase) ? "id" : "en")
                    : words.Length == 1 ? new ChannelCommand(CommandKind.Erase, word.Language) : new ChannelCommand(CommandKind.Text, null);
            default:
                // STATUS, KELUAR/STOP, HELP only as the whole message: "Stop the construction noise" is a comment.
                return words.Length == 1 ? new ChannelCommand(word.Kind, word.Language) : new ChannelCommand(CommandKind.Text, null);
        }
    }

    private static int? ItemNumber(string word)
    {
        var digits = word.TrimStart('#');
        return digits.Length is >= 1 and <= 9 && digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }

    private static bool LooksLikeNumber(string word) => word.StartsWith('#') || word.Any(char.IsAsciiDigit);
}
