using System.Security.Cryptography;
using System.Text;
using OpenGov.Dialogue.Channels;

namespace OpenGov.Dialogue.Gateway.Channels;

/// <summary>The Cloud API signs each notification: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256 of the raw body under the app secret.</summary>
public static class WhatsAppSignature
{
    public const string Header = "X-Hub-Signature-256";

    public static bool IsValid(ReadOnlySpan<byte> body, string? header, string appSecret)
    {
        const string prefix = "sha256=";
        if (header is null || header.Length != prefix.Length + 64 || !header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body)).ToLowerInvariant();
}

/// <summary>
/// Checks that an inbound SMS webhook came from the provider. Pluggable: a provider with another scheme
/// registers its own implementation in place of <see cref="TwilioSignatureCheck"/>.
/// </summary>
public interface ISmsSignatureCheck
{
    /// <param name="url">The webhook URL as the provider called it (<see cref="SmsOptions.PublicUrl"/> behind a proxy).</param>
    /// <param name="form">The POST parameters as sent, in any order.</param>
    bool IsValid(HttpRequest request, string url, IReadOnlyList<KeyValuePair<string, string>> form);
}

/// <summary>
/// Twilio's documented scheme: X-Twilio-Signature = Base64(HMAC-SHA1(auth token, URL + every POST parameter's
/// name and value, sorted by name)), compared in constant time.
/// </summary>
public sealed class TwilioSignatureCheck(ChannelOptions options) : ISmsSignatureCheck
{
    public const string Header = "X-Twilio-Signature";

    public bool IsValid(HttpRequest request, string url, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var header = request.Headers[Header].ToString();
        if (header.Length is 0 or > 100)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(options.Sms.AuthToken!, url, form));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(header));
    }

    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
