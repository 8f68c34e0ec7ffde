using System.Security.Cryptography;

namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// Consultation ids double as join codes: 8 characters, easy to read aloud. The first character
/// is never a hex digit because Orleans parses string keys as integers/hex first and "00ab" and
/// "ab" would then share one storage row (docs/architecture.md, Orleans storage schemas).
/// </summary>
public static class ConsultationIds
{
    private const string First = "ghjkmnpqrstvwxyz";
    private const string Rest = "23456789abcdefghjkmnpqrstvwxyz";

    public static string New()
    {
        Span<char> id = stackalloc char[8];
        id[0] = First[RandomNumberGenerator.GetInt32(First.Length)];
        for (var i = 1; i < id.Length; i++)
        {
            id[i] = Rest[RandomNumberGenerator.GetInt32(Rest.Length)];
        }

        return new string(id);
    }

    public static bool IsValid(string? id) =>
        id is { Length: 8 } && First.Contains(id[0]) && id.AsSpan(1).IndexOfAnyExcept(Rest) < 0;
}

/// <summary>Citizen ids: "p" followed by 32 hex digits; the leading "p" keeps them non-numeric.</summary>
public static class CitizenIds
{
    public static string New() => "p" + Guid.NewGuid().ToString("N");

    public static bool IsValid(string? id) =>
        id is { Length: 33 } && id[0] == 'p' && Guid.TryParseExact(id.AsSpan(1), "N", out _);
}
