using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenGov.Dialogue.Channels;
using OpenGov.Dialogue.Contracts;
using Polly;
using Polly.Retry;

namespace OpenGov.Dialogue.Silo.Channels;

public static class ChannelSending
{
    /// <summary>
    /// The channel options (read once), the secrets they key, and the silo's provider clients: only the
    /// conversation grains send, so the clients live where the grains do. Without a configured channel the
    /// transport refuses every send (and the gateway's webhooks answer 404, so no conversation starts).
    /// </summary>
    public static ChannelOptions AddDialogueChannels(this IHostApplicationBuilder builder)
    {
        var options = ChannelOptions.Bind(builder.Configuration);
        builder.Services.TryAddSingleton(options);
        builder.Services.TryAddSingleton(sp => new ChannelSecrets(sp.GetRequiredService<ChannelOptions>()));
        return options;
    }

    public static void AddChannelTransports(this IHostApplicationBuilder builder)
    {
        var options = builder.AddDialogueChannels();
        builder.Services.AddSingleton<NumberExpiryJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NumberExpiryJob>());
        if (!options.AnyEnabled)
        {
            builder.Services.TryAddSingleton<IChannelTransport, NoChannelTransport>();
            return;
        }

        // Ten seconds, then the outcome is ambiguous: the grain does not send it again (see SendResult).
        // Without the factory's per-request log scopes: one send per inbound message, and the outcome is logged by the grain.
        builder.Services.AddHttpClient<WhatsAppCloudClient>(c => c.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        builder.Services.AddHttpClient<SmsRestClient>(c => c.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        builder.Services.TryAddSingleton<IChannelTransport, ProviderTransport>();
    }
}

/// <summary>Picks the client by channel; the typed clients come from the factory, so their handlers are pooled and renewed.</summary>
public sealed class ProviderTransport(IServiceProvider services) : IChannelTransport
{
    public Task<SendOutcome> SendAsync(string channel, string number, string text, CancellationToken cancellationToken) => channel switch
    {
        ChannelNames.WhatsApp => services.GetRequiredService<WhatsAppCloudClient>().SendAsync(number, text, cancellationToken),
        ChannelNames.Sms => services.GetRequiredService<SmsRestClient>().SendAsync(number, text, cancellationToken),
        _ => Task.FromResult(new SendOutcome(SendResult.Rejected, Error: $"unknown channel '{channel}'")),
    };
}

/// <summary>
/// A send call is not idempotent (neither API takes an idempotency key), so Polly retries only what certainly
/// did not reach the provider: a connection that was never made, or a 429/503 the provider answered instead of
/// sending (waiting its Retry-After, at most two seconds here; longer waits go back to the grain's outbox).
/// A timeout, a connection lost mid-call or another 5xx may have been delivered: never retried.
/// </summary>
public static class SendRetry
{
    private static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(2);

    public static readonly ResiliencePipeline<HttpResponseMessage> Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException e } => NeverSent(e),
                { Result: { } r } => RefusedForNow(r) && (RetryAfter(r) ?? TimeSpan.Zero) <= MaxInlineWait,
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? RetryAfter(r) : null),
        })
        .Build();

    /// <summary>The request never left: no connection, no name.</summary>
    public static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;

    public static bool RefusedForNow(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;

    public static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } h ? h.Delta ?? (h.Date is { } d ? d - DateTimeOffset.UtcNow : null) : null;

    /// <summary>Runs the call through <see cref="Pipeline"/> and sorts its outcome for the outbox.</summary>
    public static async Task<SendOutcome> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> call, Func<HttpResponseMessage, Task<string?>> idOf, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await Pipeline.ExecuteAsync(async ct => await call(ct), cancellationToken);
        }
        catch (HttpRequestException e) when (NeverSent(e))
        {
            return new SendOutcome(SendResult.NotSent, Error: e.HttpRequestError.ToString());
        }
        catch (HttpRequestException e)
        {
            return new SendOutcome(SendResult.Ambiguous, Error: e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(SendResult.Ambiguous, Error: "timeout");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return await idOf(response) is { } id
                    ? new SendOutcome(SendResult.Sent, id)
                    : new SendOutcome(SendResult.Ambiguous, Error: "success without a message id");
            }

            return RefusedForNow(response) ? new SendOutcome(SendResult.NotSent, RetryAfter: RetryAfter(response), Error: status.ToString(CultureInfo.InvariantCulture))
                : status >= 500 ? new SendOutcome(SendResult.Ambiguous, Error: status.ToString(CultureInfo.InvariantCulture))
                : new SendOutcome(SendResult.Rejected, Error: status.ToString(CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>The Cloud API's send-message call: POST {base}/{version}/{phone-number-id}/messages with a bearer token.</summary>
public sealed class WhatsAppCloudClient(HttpClient http, ChannelOptions options)
{
    public Task<SendOutcome> SendAsync(string number, string text, CancellationToken cancellationToken)
    {
        var o = options.WhatsApp;
        var url = new Uri($"{o.BaseUrl.TrimEnd('/')}/{o.ApiVersion}/{o.PhoneNumberId}/messages");
        var body = new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to = number,
            type = "text",
            text = new { preview_url = false, body = text },
        };
        return SendRetry.SendAsync(
            ct =>
            {
                // A request message is sent once: each try builds its own.
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.AccessToken);
                return http.SendAsync(request, ct);
            },
            async response =>
            {
                var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                return json.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
                    && messages[0].TryGetProperty("id", out var id) ? id.GetString() : null;
            },
            cancellationToken);
    }
}

/// <summary>The SMS provider's send call in Twilio's shape: POST {base}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded, basic auth.</summary>
public sealed class SmsRestClient(HttpClient http, ChannelOptions options)
{
    public Task<SendOutcome> SendAsync(string number, string text, CancellationToken cancellationToken)
    {
        var o = options.Sms;
        var url = new Uri($"{o.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{o.AccountSid}/Messages.json");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.AccountSid}:{o.AuthToken}"));
        return SendRetry.SendAsync(
            ct =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new FormUrlEncodedContent([new("To", "+" + number), new("From", o.From!), new("Body", text)]),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
                return http.SendAsync(request, ct);
            },
            async response =>
            {
                var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                return json.TryGetProperty("sid", out var sid) ? sid.GetString() : null;
            },
            cancellationToken);
    }
}
