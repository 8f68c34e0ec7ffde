using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using OpenGov.Dialogue.Channels;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;
using OpenGov.Dialogue.Silo.Channels;

namespace OpenGov.Dialogue.Gateway.Channels;

/// <summary>What a webhook call did: messages handled, deliveries the provider repeated, delivery reports recorded.</summary>
public sealed record WebhookReceipt(int Handled, int Duplicates, int Statuses, int Ignored);

/// <summary>
/// The WhatsApp (Cloud API) and SMS webhooks. Each is 404 unless its channel is configured. A call is
/// believed only with a valid signature over the raw body (checked before anything is parsed); it is
/// answered after every message in it is stored, so the provider's retry of an unanswered call is the
/// recovery path, and the conversation grain makes that retry harmless. docs/channels.md.
/// </summary>
public static class ChannelEndpoints
{
    public const string ErrorSignature = "invalid-signature";
    public const string ErrorPayload = "invalid-payload";
    public const string ErrorTooLarge = "payload-too-large";

    /// <summary>An empty TwiML document: the reply goes out through the REST send call, from the grain's outbox.</summary>
    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static void AddChannels(this WebApplicationBuilder builder)
    {
        builder.AddDialogueChannels();
        builder.Services.AddSingleton<ISmsSignatureCheck, TwilioSignatureCheck>();
        builder.Services.AddSingleton<ChannelInbox>();
    }

    public static void MapChannels(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/channels").WithTags("Channels").ExcludeFromDescription();

        group.MapGet("/whatsapp", Results<ContentHttpResult, NotFound, ProblemHttpResult> (HttpRequest request, ChannelOptions options) =>
        {
            if (!options.WhatsApp.Enabled)
            {
                return TypedResults.NotFound();
            }

            var mode = request.Query["hub.mode"].ToString();
            var token = request.Query["hub.verify_token"].ToString();
            var challenge = request.Query["hub.challenge"].ToString();
            var tokenOk = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(options.WhatsApp.VerifyToken!));
            return mode == "subscribe" && tokenOk && challenge.Length is > 0 and <= 200 && challenge.All(char.IsAsciiLetterOrDigit)
                ? TypedResults.Text(challenge, "text/plain")
                : Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "The verification request does not match this webhook's verify token.");
        });

        group.MapPost("/whatsapp", async Task<Results<Ok<WebhookReceipt>, NotFound, ProblemHttpResult>> (HttpRequest request, ChannelOptions options, ChannelInbox inbox) =>
        {
            if (!options.WhatsApp.Enabled)
            {
                return TypedResults.NotFound();
            }

            var (body, problem) = await ReadBody(request, options.MaxBodyBytes);
            if (problem is not null)
            {
                return problem;
            }

            if (!WhatsAppSignature.IsValid(body, request.Headers[WhatsAppSignature.Header].ToString(), options.WhatsApp.AppSecret!))
            {
                return Problems.Create(StatusCodes.Status401Unauthorized, ErrorSignature, $"{WhatsAppSignature.Header} is missing or does not match the body.");
            }

            List<WhatsAppMessage> messages;
            List<WhatsAppStatus> statuses;
            try
            {
                using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
                (messages, statuses) = WhatsAppPayload.Parse(json.RootElement, options.WhatsApp.PhoneNumberId!);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ErrorPayload, $"Not a valid notification: {e.Message}");
            }

            var receipt = new WebhookReceipt(0, 0, 0, 0);
            foreach (var m in messages)
            {
                var kind = m.Type == "text" && m.Text is not null ? InboundKind.Text : InboundKind.Unsupported;
                receipt = Add(receipt, await inbox.Receive(ChannelNames.WhatsApp, m.From, m.Id, kind, m.Text ?? string.Empty));
            }

            foreach (var s in statuses)
            {
                var recorded = await inbox.RecordStatus(s.RecipientId, new DeliveryStatus(s.Id, s.Status, s.At, s.Error));
                receipt = recorded ? receipt with { Statuses = receipt.Statuses + 1 } : receipt with { Ignored = receipt.Ignored + 1 };
            }

            return TypedResults.Ok(receipt);
        });

        group.MapPost("/sms", async Task<Results<ContentHttpResult, NotFound, ProblemHttpResult>> (HttpRequest request, ChannelOptions options, ISmsSignatureCheck signatures, ChannelInbox inbox, TimeProvider clock) =>
        {
            if (!options.Sms.Enabled)
            {
                return TypedResults.NotFound();
            }

            if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            {
                return Problems.Create(StatusCodes.Status415UnsupportedMediaType, ErrorPayload, "Send application/x-www-form-urlencoded.");
            }

            var (body, problem) = await ReadBody(request, options.MaxBodyBytes);
            if (problem is not null)
            {
                return problem;
            }

            List<KeyValuePair<string, string>> form;
            try
            {
                form = [.. new FormReader(Encoding.UTF8.GetString(body)) { ValueCountLimit = 200 }.ReadForm().SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty)))];
            }
            catch (InvalidDataException e)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ErrorPayload, e.Message);
            }

            var url = string.IsNullOrEmpty(options.Sms.PublicUrl)
                ? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}"
                : options.Sms.PublicUrl;
            if (!signatures.IsValid(request, url, form))
            {
                return Problems.Create(StatusCodes.Status401Unauthorized, ErrorSignature, $"{TwilioSignatureCheck.Header} is missing or does not match the request.");
            }

            string? Field(string name) => form.FirstOrDefault(p => p.Key == name).Value;
            var sid = Field("MessageSid") ?? Field("SmsSid");
            if (sid is not { Length: > 0 and <= 200 })
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ErrorPayload, "MessageSid is required.");
            }

            // A status callback (MessageStatus, no Body) reports on a message we sent to To.
            if (Field("MessageStatus") is { } status && Field("Body") is null)
            {
                await inbox.RecordStatus(Field("To"), new DeliveryStatus(sid, status, clock.GetUtcNow(), Field("ErrorCode")));
                return TypedResults.Text(EmptyTwiml, "text/xml");
            }

            var text = Field("Body") ?? string.Empty;
            var media = int.TryParse(Field("NumMedia"), out var n) && n > 0;
            var kind = text.Length == 0 && media ? InboundKind.Unsupported : InboundKind.Text;
            var result = await inbox.Receive(ChannelNames.Sms, Field("From"), sid, kind, text);
            return result is null
                ? Problems.Create(StatusCodes.Status400BadRequest, ErrorPayload, "From is not a phone number.")
                : TypedResults.Text(EmptyTwiml, "text/xml");
        });
    }

    private static WebhookReceipt Add(WebhookReceipt receipt, InboundResult? result) => result?.Outcome switch
    {
        InboundOutcome.Handled => receipt with { Handled = receipt.Handled + 1 },
        InboundOutcome.Duplicate => receipt with { Duplicates = receipt.Duplicates + 1 },
        _ => receipt with { Ignored = receipt.Ignored + 1 },
    };

    /// <summary>The raw body, refused above the cap before it is read whole (the signature is over these exact bytes).</summary>
    private static async Task<(byte[] Body, ProblemHttpResult? Problem)> ReadBody(HttpRequest request, int maxBytes)
    {
        var tooLarge = Problems.Create(StatusCodes.Status413PayloadTooLarge, ErrorTooLarge, $"Webhook bodies are at most {maxBytes} bytes.");
        if (request.ContentLength > maxBytes)
        {
            return ([], tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return ([], tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }
}

/// <summary>
/// Turns a provider's message into a call on the sender's conversation grain: the number becomes the citizen
/// id (keyed hash) and a sealed copy; a join command's code is checked here, where the join-code key is.
/// </summary>
public sealed class ChannelInbox(IGrainFactory grains, ChannelSecrets secrets, JoinCodes joinCodes)
{
    /// <returns>Null when <paramref name="from"/> is not a phone number.</returns>
    public async Task<InboundResult?> Receive(string channel, string? from, string messageId, InboundKind kind, string text)
    {
        if (secrets.Normalise(from) is not { } number)
        {
            return null;
        }

        var command = kind == InboundKind.Text ? ChannelCommand.Parse(text) : null;
        var message = new InboundMessage(channel, messageId, kind, text, secrets.Seal(number))
        {
            Join = command?.Kind == CommandKind.Join ? await Join(command.Arguments) : null,
        };
        return await grains.GetGrain<IChannelConversationGrain>(secrets.CitizenIdOf(number)).Receive(message);
    }

    public async Task<bool> RecordStatus(string? recipient, DeliveryStatus status)
    {
        if (secrets.Normalise(recipient) is not { } number)
        {
            return false;
        }

        await grains.GetGrain<IChannelConversationGrain>(secrets.CitizenIdOf(number)).RecordStatus(status);
        return true;
    }

    /// <summary>
    /// "GABUNG &lt;consultation&gt; [code]": an open consultation needs only its id; a code consultation the
    /// code on the screen; an invite consultation a one-time invitation (spent here). Anything else is a
    /// failed attempt, counted by the grain.
    /// </summary>
    private async Task<ChannelJoin> Join(string? arguments)
    {
        var words = (arguments ?? string.Empty).Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var id = words.Length > 0 ? words[0].ToLowerInvariant() : null;
        var code = words.Length > 1 ? words[1] : null;
        if (await ConsultationAccess.Find(grains, id) is not { } info)
        {
            return new ChannelJoin(null, null);
        }

        Admission? admission = info.Admission switch
        {
            AdmissionMode.Open => Admission.Open,
            AdmissionMode.Code when joinCodes.Accepts(info.Id, info.JoinCodeMinutes, code) => new Admission(AdmissionMode.Code, info.Id),
            AdmissionMode.Code or AdmissionMode.Invite when InviteCodes.Hash(info.Id, code) is { } hash && await InviteCodes.Shard(grains, info.Id, hash).Redeem(hash) =>
                new Admission(AdmissionMode.Invite, info.Id),
            _ => null,
        };
        return new ChannelJoin(info.Id, admission);
    }
}
