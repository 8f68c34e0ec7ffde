using System.Globalization;
using System.Text.Json;

namespace OpenGov.Dialogue.Gateway.Channels;

/// <summary>One inbound message of a Cloud API notification (entry[].changes[].value.messages[]).</summary>
public sealed record WhatsAppMessage(string From, string Id, string Type, string? Text);

/// <summary>One delivery report (entry[].changes[].value.statuses[]).</summary>
public sealed record WhatsAppStatus(string Id, string RecipientId, string Status, DateTimeOffset At, string? Error);

/// <summary>
/// Reads the parts of a Cloud API "messages" notification the server uses, as the vendor documents them:
/// object "whatsapp_business_account", entry[].changes[] with field "messages" and a value holding
/// metadata.phone_number_id, messages[] (from, id, timestamp, type, text.body) and statuses[] (id, status,
/// timestamp, recipient_id, errors[]). Other fields and change types are ignored; a wrong shape is a FormatException.
/// </summary>
public static class WhatsAppPayload
{
    public const int MaxMessages = 100;

    public static (List<WhatsAppMessage> Messages, List<WhatsAppStatus> Statuses) Parse(JsonElement root, string phoneNumberId)
    {
        var messages = new List<WhatsAppMessage>();
        var statuses = new List<WhatsAppStatus>();
        if (root.ValueKind != JsonValueKind.Object || Text(root, "object") != "whatsapp_business_account"
            || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Not a WhatsApp Business Account notification (object, entry[]).");
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("entry[] must hold objects with changes[].");
            }

            foreach (var change in changes.EnumerateArray())
            {
                if (change.ValueKind != JsonValueKind.Object || Text(change, "field") != "messages"
                    || !change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                // A notification for another number of the same app is not ours to answer.
                if (value.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                    && Text(metadata, "phone_number_id") is { } target && target != phoneNumberId)
                {
                    continue;
                }

                foreach (var m in Array(value, "messages"))
                {
                    var type = Required(m, "type");
                    var body = type == "text" && m.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.Object ? Text(text, "body") : null;
                    messages.Add(new WhatsAppMessage(Required(m, "from"), Required(m, "id"), type, body));
                }

                foreach (var s in Array(value, "statuses"))
                {
                    var error = s.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                        && errors[0].ValueKind == JsonValueKind.Object
                        ? $"{(errors[0].TryGetProperty("code", out var code) ? code.ToString() : "?")} {Text(errors[0], "title")}".Trim()
                        : null;
                    statuses.Add(new WhatsAppStatus(Required(s, "id"), Required(s, "recipient_id"), Required(s, "status"), Timestamp(s), error));
                }

                if (messages.Count + statuses.Count > MaxMessages)
                {
                    throw new FormatException($"At most {MaxMessages} messages and statuses per notification.");
                }
            }
        }

        return (messages, statuses);
    }

    private static IEnumerable<JsonElement> Array(JsonElement value, string name)
    {
        if (!value.TryGetProperty(name, out var array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            throw new FormatException($"value.{name} must be an array of objects.");
        }

        return array.EnumerateArray();
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Required(JsonElement e, string name) =>
        Text(e, name) is { Length: > 0 and <= 200 } v ? v : throw new FormatException($"'{name}' must be a string of 1–200 characters.");

    private static DateTimeOffset Timestamp(JsonElement e) =>
        Text(e, "timestamp") is { } t && long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 100_000_000_000
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UtcNow;
}
