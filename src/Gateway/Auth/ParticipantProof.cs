using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>A challenge to solve before an anonymous participant token is given.</summary>
public sealed record ProofChallenge(string Challenge, int Bits, DateTimeOffset ExpiresAt);

/// <summary>
/// The proof of work that makes each anonymous identity cost its maker some CPU: find a nonce so that
/// SHA-256 of "challenge:nonce" (UTF-8) starts with <c>Bits</c> zero bits. A challenge is signed by the
/// gateway (no state until it is used), expires, and is accepted once. The expected work is 2^Bits hashes.
/// </summary>
public sealed class ParticipantProof(GatewayKeys keys, IOptions<DialogueOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const int MaxNonceLength = 32;

    private readonly byte[] _key = HMACSHA256.HashData(keys.SigningKey, "participant-proof"u8);

    // Challenges spent, until they would have expired anyway; pruned as it grows.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _spent = new(StringComparer.Ordinal);
    private int _spentSincePrune;

    public int Bits => options.Value.ParticipantProofBits;

    public ProofChallenge Issue()
    {
        var issued = clock.GetUtcNow().ToUnixTimeSeconds();
        var random = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        var body = $"{Bits}.{issued.ToString(CultureInfo.InvariantCulture)}.{random}";
        return new ProofChallenge($"{body}.{Mac(body)}", Bits, DateTimeOffset.FromUnixTimeSeconds(issued) + Lifetime);
    }

    /// <summary>Checks a solution and spends the challenge; null when accepted, else why not.</summary>
    public string? Accept(string? challenge, string? nonce)
    {
        if (Bits == 0)
        {
            return null;
        }

        if (string.IsNullOrEmpty(challenge) || string.IsNullOrEmpty(nonce) || challenge.Length > 200 || nonce.Length > MaxNonceLength)
        {
            return "A participant token needs a solved challenge: GET /api/auth/challenge, then send challenge and nonce.";
        }

        var parts = challenge.Split('.');
        if (parts.Length != 4
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac($"{parts[0]}.{parts[1]}.{parts[2]}")), Encoding.ASCII.GetBytes(parts[3]))
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
        {
            return "The challenge was not issued by this service.";
        }

        if (bits < Bits)
        {
            return "The challenge is easier than this service now asks: fetch a new one.";
        }

        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued);
        if (age > Lifetime || age < -TimeSpan.FromMinutes(1))
        {
            return "The challenge has expired: fetch a new one.";
        }

        if (!Solves(challenge, nonce, bits))
        {
            return "The nonce does not solve the challenge.";
        }

        if (!_spent.TryAdd(parts[2], DateTimeOffset.FromUnixTimeSeconds(issued) + Lifetime + TimeSpan.FromMinutes(1)))
        {
            return "This challenge was used already: fetch a new one.";
        }

        if (Interlocked.Increment(ref _spentSincePrune) % 4096 == 0)
        {
            var now = clock.GetUtcNow();
            foreach (var (random, until) in _spent)
            {
                if (until < now)
                {
                    _spent.TryRemove(random, out _);
                }
            }
        }

        return null;
    }

    public static bool Solves(string challenge, string nonce, int bits)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{challenge}:{nonce}"), hash);
        return LeadingZeroBits(hash) >= bits;
    }

    /// <summary>What a client does (the web page runs the same loop in TypeScript): the first nonce 0, 1, 2, … that solves it.</summary>
    public static string Solve(string challenge, int bits, CancellationToken cancellationToken = default)
    {
        var prefix = Encoding.UTF8.GetBytes($"{challenge}:");
        var buffer = new byte[prefix.Length + 20];
        prefix.CopyTo(buffer, 0);
        Span<byte> hash = stackalloc byte[32];
        for (ulong nonce = 0; ; nonce++)
        {
            if ((nonce & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            nonce.TryFormat(buffer.AsSpan(prefix.Length), out var written, default, CultureInfo.InvariantCulture);
            SHA256.HashData(buffer.AsSpan(0, prefix.Length + written), hash);
            if (LeadingZeroBits(hash) >= bits)
            {
                return nonce.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    private static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var high = BinaryPrimitives.ReadUInt64BigEndian(hash);
        return high == 0 ? 64 : System.Numerics.BitOperations.LeadingZeroCount(high);
    }

    private string Mac(string body) => Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(body)).AsSpan(0, 16));
}
