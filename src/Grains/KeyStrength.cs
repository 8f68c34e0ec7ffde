namespace OpenGov.Dialogue;

/// <summary>
/// How many bits a hand-made key is counted as: its length times the bits per character of the
/// smallest alphabet it fits — 4 for hex digits, 6 for base64 or base64url, 6.5 for other printable
/// ASCII — so 32 hex digits, 22 base64url characters or 20 mixed printable characters reach 128 bits.
/// The count assumes random characters; a key with fewer than 8 distinct characters is refused outright.
/// </summary>
public static class KeyStrength
{
    public const int RequiredBits = 128;

    public static double Bits(string key)
    {
        var perChar = key.All(Uri.IsHexDigit) ? 4.0
            : key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '/' or '=') ? 6.0
            : 6.5;
        return key.Length * perChar;
    }

    /// <summary>Why the key is too weak; null when it is strong enough.</summary>
    public static string? Problem(string key)
    {
        if (key.Any(c => c is < ' ' or > '~'))
        {
            return "must be printable ASCII.";
        }

        if (key.Distinct().Count() < 8 || Bits(key) < RequiredBits)
        {
            return $"is too weak: it must carry at least {RequiredBits} bits, for example 32 random hex digits " +
                "(openssl rand -hex 16) or 22 random base64url characters; or leave it unset and the gateway generates one.";
        }

        return null;
    }
}
