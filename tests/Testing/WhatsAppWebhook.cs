using OpenGov.Dialogue.Gateway.Channels;

namespace OpenGov.Dialogue.Testing;

/// <summary>
/// WhatsApp Cloud API webhook notifications as the vendor documents them, and the signed request that carries one
/// to the gateway's <c>/channels/whatsapp</c>: for the channel tests and the load tool's channel scenario.
/// </summary>
public static class WhatsAppWebhook
{
    /// <summary>The business phone number id the fake Cloud API and the notifications use.</summary>
    public const string PhoneNumberId = "106540352242922";

    private const string BusinessAccountId = "102290129340398";
    private const string DisplayNumber = "6281100000000";

    /// <summary>A notification with one text message (or, for another <paramref name="type"/>, an image).</summary>
    public static string Text(string from, string messageId, string? text, string type = "text") => Notification(new Dictionary<string, object>
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = Metadata(),
        ["contacts"] = new[] { new { profile = new { name = "Warga" }, wa_id = from } },
        ["messages"] = new object[]
        {
            type == "text"
                ? new { from, id = messageId, timestamp = Now(), type, text = new { body = text } }
                : new { from, id = messageId, timestamp = Now(), type, image = new { id = "1234", mime_type = "image/jpeg" } },
        },
    });

    /// <summary>A notification with one delivery status of a message sent earlier.</summary>
    public static string Status(string recipient, string wamid, string status) => Notification(new Dictionary<string, object>
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = Metadata(),
        ["statuses"] = new[] { new { id = wamid, status, timestamp = Now(), recipient_id = recipient } },
    });

    /// <summary>
    /// A POST of <paramref name="json"/> to <c>/channels/whatsapp</c>, signed with <paramref name="appSecret"/>, or
    /// carrying <paramref name="signature"/> as given when it is not empty; null leaves the signature header out.
    /// </summary>
    public static HttpRequestMessage Request(string json, string appSecret, string? signature = "")
    {
        var body = Encoding.UTF8.GetBytes(json);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/channels/whatsapp") { Content = content };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WhatsAppSignature.Header, signature == "" ? WhatsAppSignature.Sign(body, appSecret) : signature);
        }

        return request;
    }

    private static string Notification(Dictionary<string, object> value) => JsonSerializer.Serialize(new
    {
        @object = "whatsapp_business_account",
        entry = new[] { new { id = BusinessAccountId, changes = new[] { new { field = "messages", value } } } },
    });

    private static object Metadata() => new { display_phone_number = DisplayNumber, phone_number_id = PhoneNumberId };

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
