using System.Security.Cryptography;
using System.Text;

namespace OpenGov.Dialogue.Channels;

/// <summary>
/// What the deployment's channel secret keys: the citizen id of a phone number (HMAC-SHA256 of the normalised
/// number, so the same phone is the same citizen on every gateway and no number is stored to find it), and
/// the AES-GCM seal under which the number is kept while its conversation is active.
/// </summary>
public sealed class ChannelSecrets
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _idKey;
    private readonly byte[] _sealKey;
    private readonly string _countryCode;

    public ChannelSecrets(ChannelOptions options)
    {
        var key = KeyOf(options.Secret) ?? RandomNumberGenerator.GetBytes(32);
        _idKey = HMACSHA256.HashData(key, "channel-citizen-id"u8);
        _sealKey = HMACSHA256.HashData(key, "channel-number-seal"u8);
        _countryCode = options.DefaultCountryCode;
    }

    public static byte[]? KeyOf(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return null;
        }

        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret.Trim(), buffer, out var n) && n >= 32 ? buffer[..n] : null;
    }

    /// <summary>
    /// Digits of an international number without "+" ("+62 812-3456" and "0812 3456" both become "628123456");
    /// null when it cannot be a phone number (too short or long, letters).
    /// </summary>
    public string? Normalise(string? number)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Length > 40)
        {
            return null;
        }

        var text = number.Trim();
        if (text.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["whatsapp:".Length..];
        }

        var digits = new StringBuilder(16);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '+'))
            {
                return null;
            }
        }

        var result = digits.ToString();
        if (result.StartsWith("00", StringComparison.Ordinal))
        {
            result = result[2..];
        }
        else if (result.StartsWith('0') && !text.StartsWith('+'))
        {
            result = _countryCode + result[1..];
        }

        return result.Length is >= 7 and <= 15 && result[0] != '0' ? result : null;
    }

    /// <summary>"p" + 32 hex digits, the same shape as a web citizen's id.</summary>
    public string CitizenIdOf(string normalisedNumber) =>
        "p" + Convert.ToHexString(HMACSHA256.HashData(_idKey, Encoding.ASCII.GetBytes(normalisedNumber)).AsSpan(0, 16)).ToLowerInvariant();

    public byte[] Seal(string normalisedNumber)
    {
        var plain = Encoding.ASCII.GetBytes(normalisedNumber);
        var sealedNumber = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedNumber.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_sealKey, TagBytes);
        aes.Encrypt(nonce, plain, sealedNumber.AsSpan(NonceBytes, plain.Length), sealedNumber.AsSpan(NonceBytes + plain.Length));
        return sealedNumber;
    }

    /// <summary>The number again; null when the seal is not ours (another secret, or tampered).</summary>
    public string? Open(byte[]? sealedNumber)
    {
        if (sealedNumber is null || sealedNumber.Length <= NonceBytes + TagBytes || sealedNumber.Length > 64)
        {
            return null;
        }

        var plain = new byte[sealedNumber.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_sealKey, TagBytes);
            aes.Decrypt(sealedNumber.AsSpan(0, NonceBytes), sealedNumber.AsSpan(NonceBytes, plain.Length), sealedNumber.AsSpan(NonceBytes + plain.Length), plain);
            return Encoding.ASCII.GetString(plain);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
