namespace OpenGov.Dialogue.Channels;

public enum SendResult
{
    /// <summary>The provider accepted the message and gave its id.</summary>
    Sent = 0,

    /// <summary>It never reached the provider, or the provider refused it for now (429, 503): safe to send again.</summary>
    NotSent = 1,

    /// <summary>It may have been delivered (timeout, connection lost mid-call, 500/502/504): sending again could duplicate it.</summary>
    Ambiguous = 2,

    /// <summary>The provider refused it for good (4xx): bad number, token or template.</summary>
    Rejected = 3,
}

public sealed record SendOutcome(SendResult Result, string? ProviderMessageId = null, TimeSpan? RetryAfter = null, string? Error = null);

/// <summary>
/// Sends one text to one number on one channel. The silo's implementation calls the provider (WhatsApp Cloud
/// API, an SMS REST API); only the channel conversation grains call it, so each message has one sender.
/// </summary>
public interface IChannelTransport
{
    Task<SendOutcome> SendAsync(string channel, string number, string text, CancellationToken cancellationToken);
}

/// <summary>Where no channel is configured nothing can be sent; conversations cannot start there either (the webhooks are off).</summary>
public sealed class NoChannelTransport : IChannelTransport
{
    public Task<SendOutcome> SendAsync(string channel, string number, string text, CancellationToken cancellationToken) =>
        Task.FromResult(new SendOutcome(SendResult.Rejected, Error: $"channel '{channel}' is not configured"));
}
