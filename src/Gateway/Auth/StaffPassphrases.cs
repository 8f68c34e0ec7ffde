using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// Passphrases (ASP.NET Core Identity's hasher: PBKDF2-HMAC-SHA512, 100,000 iterations, salted, in its
/// versioned v3 format) and one-time invitation codes (128 random bits, stored as SHA-256 only: a code
/// that strong needs no slow hash).
/// </summary>
public sealed class StaffPassphrases
{
    public const int MinLength = 12;
    public const int MaxLength = 512;

    private readonly PasswordHasher<StaffAccount> _hasher = new();

    /// <summary>Checked when the login is unknown or has no passphrase yet, so every failure costs the same time.</summary>
    private readonly string _decoy;

    public StaffPassphrases() => _decoy = _hasher.HashPassword(null!, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    public string Hash(string? passphrase)
    {
        if (passphrase is null || passphrase.Length < MinLength || passphrase.Length > MaxLength)
        {
            throw new DialogueException(ErrorCodes.WeakPassphrase, $"The passphrase must be {MinLength}–{MaxLength} characters long.");
        }

        return _hasher.HashPassword(null!, passphrase);
    }

    /// <summary>True only for an enabled account whose stored hash matches; takes one hash computation in every case.</summary>
    public bool Verify(StaffAccount? account, string? passphrase)
    {
        var matches = _hasher.VerifyHashedPassword(account!, account?.PassphraseHash ?? _decoy, passphrase ?? string.Empty) != PasswordVerificationResult.Failed;
        return matches && account is { Enabled: true, PassphraseHash: not null };
    }

    public static (string Code, string Hash) NewInvitationCode()
    {
        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        return (code, HashOf(code));
    }

    public static string HashOf(string? code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((code ?? string.Empty).Trim())));
}
