using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>The join code to show in the hall now, and until when each code is taken.</summary>
public sealed record JoinCodeView(string Code, DateTimeOffset ShownUntil, DateTimeOffset AcceptedUntil, int Minutes);

/// <summary>
/// Six-digit join codes for code admission. A code is derived from the gateway's signing key, the
/// consultation and the time window (HMAC), so every gateway of a deployment shows and accepts the same
/// code without storing anything. A code is accepted during its own window and the next one, so someone
/// typing it as it changes on screen still gets in.
/// </summary>
public sealed class JoinCodes(GatewayKeys keys, TimeProvider clock)
{
    private readonly byte[] _key = HMACSHA256.HashData(keys.SigningKey, "join-code"u8);

    public JoinCodeView Current(string consultationId, int minutes)
    {
        var window = Window(clock.GetUtcNow(), minutes);
        var start = DateTimeOffset.FromUnixTimeSeconds(window * minutes * 60L);
        return new JoinCodeView(CodeFor(consultationId, window), start.AddMinutes(minutes), start.AddMinutes(2 * minutes), minutes);
    }

    public bool Accepts(string consultationId, int minutes, string? code)
    {
        var typed = Normalise(code);
        if (typed is null)
        {
            return false;
        }

        var window = Window(clock.GetUtcNow(), minutes);
        return Same(typed, CodeFor(consultationId, window)) || Same(typed, CodeFor(consultationId, window - 1));
    }

    /// <summary>Digits only (spaces and dashes people type are dropped); null when it cannot be a code.</summary>
    private static string? Normalise(string? code)
    {
        if (code is null || code.Length > 20)
        {
            return null;
        }

        var digits = new string([.. code.Where(c => c is not (' ' or '-'))]);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    private string CodeFor(string consultationId, long window)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{consultationId}|{window.ToString(CultureInfo.InvariantCulture)}"));
        return (BinaryPrimitives.ReadUInt32BigEndian(mac) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static long Window(DateTimeOffset now, int minutes) => now.ToUnixTimeSeconds() / (Math.Max(1, minutes) * 60L);

    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}

/// <summary>
/// One-time invitation codes: ten characters of Crockford's base-32 (50 bits, no I/L/O/U), printed as
/// XXXXX-XXXXX. Only a hash of each is stored, spread over <see cref="Shards"/> invite grains per consultation.
/// </summary>
public static class InviteCodes
{
    public const int Shards = 16;
    public const int MaxPerRequest = 5000;

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<char> code = stackalloc char[11];
        var bytes = RandomNumberGenerator.GetBytes(10);
        for (int i = 0, c = 0; i < 10; i++, c++)
        {
            if (i == 5)
            {
                code[c++] = '-';
            }

            code[c] = Alphabet[bytes[i] & 31];
        }

        return new string(code);
    }

    /// <summary>The stored form: a hash of the consultation and the normalised code; null when it cannot be a code.</summary>
    public static string? Hash(string consultationId, string? code)
    {
        if (code is null || code.Length > 30)
        {
            return null;
        }

        var normalised = new StringBuilder(10);
        foreach (var ch in code.ToUpperInvariant())
        {
            var c = ch switch { 'I' or 'L' => '1', 'O' => '0', _ => ch };
            if (c is ' ' or '-')
            {
                continue;
            }

            if (!Alphabet.Contains(c))
            {
                return null;
            }

            normalised.Append(c);
        }

        return normalised.Length == 10
            ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{consultationId}|{normalised}")).AsSpan(0, 16)).ToLowerInvariant()
            : null;
    }

    public static IInviteGrain Shard(IGrainFactory grains, string consultationId, string hash) =>
        grains.GetGrain<IInviteGrain>($"{consultationId}/{Convert.ToInt32(hash[..1], 16) % Shards}");

    public static IEnumerable<IInviteGrain> AllShards(IGrainFactory grains, string consultationId) =>
        Enumerable.Range(0, Shards).Select(i => grains.GetGrain<IInviteGrain>($"{consultationId}/{i}"));
}
