using Microsoft.Extensions.Configuration;

namespace OpenGov.Dialogue.Channels;

/// <summary>
/// The <c>Channels</c> configuration section: WhatsApp and SMS, each off unless its secrets are set. Secrets
/// come from configuration or the environment (<c>Channels__WhatsApp__AppSecret</c>, …), never from the repo.
/// Read once by <see cref="Bind"/>, validated on start; docs/channels.md lists every key.
/// </summary>
public sealed class ChannelOptions
{
    public const string Section = "Channels";

    /// <summary>
    /// Base64 of at least 32 random bytes: keys the hash that turns a phone number into a citizen id and the
    /// encryption of the number while a conversation is active. Changing it starts every sender afresh.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Days a number is kept (encrypted) after the sender's last message; then it is dropped.</summary>
    public int NumberKeptDays { get; set; } = 30;

    /// <summary>National numbers written with a leading 0 ("0812…") get this country code ("62812…").</summary>
    public string DefaultCountryCode { get; set; } = "62";

    /// <summary>Webhook bodies above this many bytes are refused (413) before anything parses them.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Minutes between passes of the job that drops idle numbers.</summary>
    public int ExpiryCheckMinutes { get; set; } = 60;

    public WhatsAppOptions WhatsApp { get; set; } = new();

    public SmsOptions Sms { get; set; } = new();

    public bool AnyEnabled => WhatsApp.Enabled || Sms.Enabled;

    public static ChannelOptions Bind(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<ChannelOptions>() ?? new ChannelOptions();
        options.Validate();
        return options;
    }

    /// <summary>A half-configured channel stops the start with the key that is missing, instead of failing at the first message.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (AnyEnabled && ChannelSecrets.KeyOf(Secret) is null)
        {
            errors.Add("Channels:Secret must be base64 of at least 32 bytes when a channel is on.");
        }

        if (NumberKeptDays is < 1 or > 365)
        {
            errors.Add("Channels:NumberKeptDays must be 1–365.");
        }

        if (MaxBodyBytes is < 1024 or > 1024 * 1024)
        {
            errors.Add("Channels:MaxBodyBytes must be 1 KiB–1 MiB.");
        }

        if (!DefaultCountryCode.All(char.IsAsciiDigit) || DefaultCountryCode.Length is < 1 or > 3)
        {
            errors.Add("Channels:DefaultCountryCode must be 1–3 digits.");
        }

        errors.AddRange(WhatsApp.Problems());
        errors.AddRange(Sms.Problems());
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }
    }

    internal static IEnumerable<string> Partial(string name, params (string Key, string? Value)[] required)
    {
        var set = required.Count(r => !string.IsNullOrWhiteSpace(r.Value));
        if (set > 0 && set < required.Length)
        {
            yield return $"Channels:{name} is partly configured: set {string.Join(", ", required.Where(r => string.IsNullOrWhiteSpace(r.Value)).Select(r => $"Channels:{name}:{r.Key}"))} or none of its secrets.";
        }
    }

    internal static IEnumerable<string> AbsoluteUrl(string key, string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? []
            : [$"Channels:{key} must be an absolute http(s) URL."];
}

/// <summary>WhatsApp Business Platform, Cloud API: the webhook's verify token and app secret, and what the send call needs.</summary>
public sealed class WhatsAppOptions
{
    /// <summary>The string typed into the webhook set-up; the verification handshake must echo it back.</summary>
    public string? VerifyToken { get; set; }

    /// <summary>The app secret: keys the X-Hub-Signature-256 HMAC of every notification.</summary>
    public string? AppSecret { get; set; }

    /// <summary>Bearer token of the send-message call (a system user's access token).</summary>
    public string? AccessToken { get; set; }

    /// <summary>The business phone number's id; messages are sent from it.</summary>
    public string? PhoneNumberId { get; set; }

    public string BaseUrl { get; set; } = "https://graph.facebook.com";

    public string ApiVersion { get; set; } = "v21.0";

    public bool Enabled => !string.IsNullOrWhiteSpace(VerifyToken) && !string.IsNullOrWhiteSpace(AppSecret)
        && !string.IsNullOrWhiteSpace(AccessToken) && !string.IsNullOrWhiteSpace(PhoneNumberId);

    internal IEnumerable<string> Problems() =>
        ChannelOptions.Partial("WhatsApp", ("VerifyToken", VerifyToken), ("AppSecret", AppSecret), ("AccessToken", AccessToken), ("PhoneNumberId", PhoneNumberId))
            .Concat(Enabled ? ChannelOptions.AbsoluteUrl("WhatsApp:BaseUrl", BaseUrl) : [])
            .Concat(Enabled && !System.Text.RegularExpressions.Regex.IsMatch(ApiVersion, "^v[0-9]{1,3}\\.[0-9]{1,3}$") ? ["Channels:WhatsApp:ApiVersion must look like v21.0."] : [])
            .Concat(Enabled && !PhoneNumberId!.All(char.IsAsciiDigit) ? ["Channels:WhatsApp:PhoneNumberId must be digits."] : []);
}

/// <summary>
/// SMS through a provider with Twilio's API shapes: a form-encoded inbound webhook signed with
/// X-Twilio-Signature, and the Messages.json send call with basic auth. Other providers plug in their own
/// <c>ISmsSignatureCheck</c> and keep the rest.
/// </summary>
public sealed class SmsOptions
{
    public string? AccountSid { get; set; }

    /// <summary>Keys the request signature and is the password of the send call.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The number (or sender id) messages are sent from.</summary>
    public string? From { get; set; }

    public string BaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>
    /// The webhook URL exactly as configured at the provider (it signs that URL). Behind a proxy the gateway
    /// cannot see it; empty: the request's own scheme, host, path and query.
    /// </summary>
    public string? PublicUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && !string.IsNullOrWhiteSpace(From);

    internal IEnumerable<string> Problems() =>
        ChannelOptions.Partial("Sms", ("AccountSid", AccountSid), ("AuthToken", AuthToken), ("From", From))
            .Concat(Enabled ? ChannelOptions.AbsoluteUrl("Sms:BaseUrl", BaseUrl) : [])
            .Concat(Enabled && !string.IsNullOrEmpty(PublicUrl) ? ChannelOptions.AbsoluteUrl("Sms:PublicUrl", PublicUrl) : [])
            .Concat(Enabled && !AccountSid!.All(char.IsAsciiLetterOrDigit) ? ["Channels:Sms:AccountSid must be letters and digits."] : []);
}
