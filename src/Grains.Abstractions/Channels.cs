using Orleans.Concurrency;

namespace OpenGov.Dialogue.Contracts;

/// <summary>The messaging channels a citizen can take part through besides the web page.</summary>
public static class ChannelNames
{
    public const string WhatsApp = "whatsapp";
    public const string Sms = "sms";

    public static bool IsValid(string? channel) => channel is WhatsApp or Sms;
}

/// <summary>What kind of message came in: text is handled, anything else (image, audio, location…) is answered politely.</summary>
public enum InboundKind
{
    Text = 0,
    Unsupported = 1,
}

/// <summary>
/// A join command the gateway has checked: join codes are derived from the gateway's signing key, so the
/// gateway checks the code and the grain only counts the attempts (a sender guessing codes is locked out).
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.channel-join")]
public sealed record ChannelJoin(
    [property: Id(0)] string? ConsultationId,
    [property: Id(1)] Admission? Admission);

/// <summary>
/// One message from a phone, as the gateway read it from a signed webhook. The number travels only sealed
/// (encrypted under the deployment's channel secret); the grain's key is the keyed hash of the number.
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.inbound-message")]
public sealed record InboundMessage(
    [property: Id(0)] string Channel,
    [property: Id(1)] string MessageId,
    [property: Id(2)] InboundKind Kind,
    [property: Id(3)] string Text,
    [property: Id(4)] byte[] SealedNumber)
{
    /// <summary>Set when the text is a join command: the result of the gateway's code check.</summary>
    [Id(5)] public ChannelJoin? Join { get; init; }
}

public enum InboundOutcome
{
    /// <summary>Handled now; the reply is in the outbox.</summary>
    Handled = 0,

    /// <summary>The provider delivered this message id before: nothing changed, nothing is sent again.</summary>
    Duplicate = 1,
}

/// <summary>What became of an inbound message: the item it created (if any) and the reply queued for the sender.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.inbound-result")]
public sealed record InboundResult(
    [property: Id(0)] InboundOutcome Outcome,
    [property: Id(1)] string? ItemId,
    [property: Id(2)] string? Reply);

/// <summary>A provider's delivery report for a message we sent (WhatsApp: sent, delivered, read, failed).</summary>
[GenerateSerializer, Immutable, Alias("dialogue.delivery-status")]
public sealed record DeliveryStatus(
    [property: Id(0)] string ProviderMessageId,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Error);

/// <summary>
/// A message sent (or given up on) and its latest delivery status. Status is "sent", "delivered", "read" or
/// "failed" as the provider reports it; "unknown" when the send call's outcome was ambiguous (not retried, see
/// docs/channels.md), "rejected" when the provider refused it, "gave-up" after the bounded retries.
/// </summary>
[GenerateSerializer, Immutable, Alias("dialogue.sent-message")]
public sealed record SentMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string? ProviderMessageId,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? Error);

/// <summary>What the server holds about one channel conversation (no number: only whether one is kept, and until when).</summary>
[GenerateSerializer, Immutable, Alias("dialogue.channel-conversation-view")]
public sealed record ChannelConversationView(
    [property: Id(0)] string? Channel,
    [property: Id(1)] string? ConsultationId,
    [property: Id(2)] string Language,
    [property: Id(3)] bool HasNumber,
    [property: Id(4)] DateTimeOffset? NumberKeptUntil,
    [property: Id(5)] int Outbox,
    [property: Id(6)] IReadOnlyList<SentMessage> Sent);

/// <summary>
/// One phone number's conversation on WhatsApp or SMS, keyed by the citizen id (the keyed hash of the
/// number). Runs the commands, remembers the provider's recent message ids (a webhook delivered twice, to
/// any gateway, creates one item), and is the only sender of that citizen's outbound messages: replies and
/// notifications wait in a persisted outbox, so several gateways never send one twice and a transient
/// provider failure does not lose them.
/// </summary>
[Alias("dialogue.channel-conversation")]
public interface IChannelConversationGrain : IGrainWithStringKey
{
    [Alias("receive")]
    Task<InboundResult> Receive(InboundMessage message);

    /// <summary>From the citizen grain: a moderation decision, an answer, "on screen now"; sent in the sender's language.</summary>
    [OneWay, Alias("notify")]
    Task Notify(Notification notification);

    [Alias("record-status")]
    Task RecordStatus(DeliveryStatus status);

    /// <summary>Drops the number when the conversation has been idle for the configured days; true when dropped (or none was kept).</summary>
    [Alias("expire")]
    Task<bool> ExpireIfIdle();

    [Alias("view")]
    Task<ChannelConversationView> GetView();
}

/// <summary>
/// The conversations that keep a number, in <see cref="ChannelDirectory.Shards"/> shards: ids only, so the expiry job can find the idle ones even
/// when their grains are not active. An entry is added when a number is first kept and removed when dropped.
/// </summary>
[Alias("dialogue.channel-directory")]
public interface IChannelDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("add")]
    Task Add(string citizenId);

    [Alias("remove")]
    Task Remove(string citizenId);

    [Alias("list")]
    Task<IReadOnlyList<string>> List();
}

public static class ChannelDirectory
{
    public const int Shards = 16;

    /// <summary>Citizen ids are "p" + hex: the first hex digit picks the shard.</summary>
    public static IChannelDirectoryGrain Shard(IGrainFactory grains, string citizenId) =>
        grains.GetGrain<IChannelDirectoryGrain>(citizenId.Length > 1 ? Convert.ToInt32(citizenId[1..2], 16) % Shards : 0);
}
