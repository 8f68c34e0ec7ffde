using System.Security.Cryptography;
using System.Text;

namespace OpenGov.Dialogue.Citizens;

/// <summary>
/// A citizen's name in one consultation: an HMAC of the consultation id under the citizen's own
/// secret salt, so names in two consultations cannot be linked without that salt.
/// </summary>
public static class Pseudonyms
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public static string For(ReadOnlySpan<byte> salt, string consultationId)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(consultationId), mac);
        Span<char> code = stackalloc char[6];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = Alphabet[mac[i] % Alphabet.Length];
        }

        return $"Warga-{code}";
    }
}
