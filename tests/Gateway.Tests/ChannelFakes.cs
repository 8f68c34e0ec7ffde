using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Channels;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Channels;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>A send call the fake provider accepted: which channel, to whom, what text, and the id it answered with.</summary>
public sealed record FakeSend(string Channel, string To, string Text, string Id);

/// <summary>
/// Fake WhatsApp Cloud API and SMS REST API on 127.0.0.1: they check the documented request shapes (bearer
/// token and JSON body; basic auth and form body), answer with the documented response shapes, and record
/// what was sent. <see cref="FailNext"/> makes the next calls fail with a status before anything is recorded.
/// </summary>
public sealed class FakeProviders : IAsyncDisposable
{
    public const string AccessToken = "EAAG-test-access-token";
    public const string PhoneNumberId = WhatsAppWebhook.PhoneNumberId;
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string ApiVersion = "v21.0";

    private readonly WebApplication _app;
    private int _next;
    private int _failures;
    private int _failStatus;

    public ConcurrentQueue<FakeSend> Sends { get; } = new();

    /// <summary>Every call, including refused ones: (channel, HTTP status answered).</summary>
    public ConcurrentQueue<(string Channel, int Status)> Calls { get; } = new();

    public ConcurrentQueue<string> ShapeErrors { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public string SmsAuthToken { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    private FakeProviders(WebApplication app) => _app = app;

    public static async Task<FakeProviders> StartAsync()
    {
        var app = Loopback.SlimBuilder().Build();
        var fake = new FakeProviders(app);
        app.MapPost("/{version}/{phoneNumberId}/messages", fake.WhatsApp);
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", fake.Sms);
        await app.StartAsync();
        fake.BaseAddress = new Uri(Loopback.Address(app));
        return fake;
    }

    /// <summary>The next <paramref name="count"/> send calls are answered with <paramref name="status"/> (503 comes with Retry-After: 0).</summary>
    public void FailNext(int count, int status)
    {
        _failStatus = status;
        Volatile.Write(ref _failures, count);
    }

    public IEnumerable<FakeSend> To(string number) => Sends.Where(s => s.To.TrimStart('+') == number);

    /// <summary>Waits up to <paramref name="seconds"/> for a message to <paramref name="number"/> that <paramref name="match"/> accepts.</summary>
    public async Task<FakeSend> Received(string number, Func<string, bool> match, int seconds = 10)
    {
        for (var i = 0; i < seconds * 40; i++)
        {
            if (To(number).FirstOrDefault(s => match(s.Text)) is { } found)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"No message to {number} matched within {seconds} s; sent: {string.Join(" | ", To(number).Select(s => s.Text))}");
    }

    private async Task<IResult> WhatsApp(string version, string phoneNumberId, HttpRequest request)
    {
        if (Fail(request.HttpContext, "whatsapp") is { } failed)
        {
            return failed;
        }

        if (version != ApiVersion || phoneNumberId != PhoneNumberId || request.Headers.Authorization.ToString() != $"Bearer {AccessToken}")
        {
            Calls.Enqueue(("whatsapp", 401));
            return Results.Json(new { error = new { message = "Invalid OAuth access token.", type = "OAuthException", code = 190 } }, statusCode: 401);
        }

        var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
        if (body.GetProperty("messaging_product").GetString() != "whatsapp" || body.GetProperty("type").GetString() != "text"
            || body.GetProperty("text").GetProperty("body").GetString() is not { Length: > 0 } text || body.GetProperty("to").GetString() is not { } to)
        {
            ShapeErrors.Enqueue(body.ToString());
            Calls.Enqueue(("whatsapp", 400));
            return Results.Json(new { error = new { message = "Invalid parameter", type = "OAuthException", code = 100 } }, statusCode: 400);
        }

        var id = $"wamid.fake{Interlocked.Increment(ref _next)}";
        Sends.Enqueue(new FakeSend("whatsapp", to, text, id));
        Calls.Enqueue(("whatsapp", 200));
        return Results.Json(new { messaging_product = "whatsapp", contacts = new[] { new { input = to, wa_id = to } }, messages = new[] { new { id } } });
    }

    private async Task<IResult> Sms(string sid, HttpRequest request)
    {
        if (Fail(request.HttpContext, "sms") is { } failed)
        {
            return failed;
        }

        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{SmsAuthToken}"));
        if (sid != AccountSid || request.Headers.Authorization.ToString() != basic)
        {
            Calls.Enqueue(("sms", 401));
            return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
        }

        var form = await request.ReadFormAsync();
        if (form["To"].ToString() is not { Length: > 1 } to || !to.StartsWith('+') || form["From"].ToString().Length == 0 || form["Body"].ToString() is not { Length: > 0 } text)
        {
            ShapeErrors.Enqueue(string.Join('&', form.Select(f => $"{f.Key}={f.Value}")));
            Calls.Enqueue(("sms", 400));
            return Results.Json(new { code = 21604, message = "A 'To' phone number is required.", status = 400 }, statusCode: 400);
        }

        var id = $"SM{Interlocked.Increment(ref _next):D32}";
        Sends.Enqueue(new FakeSend("sms", to, text, id));
        Calls.Enqueue(("sms", 201));
        return Results.Json(new { sid = id, status = "queued", to, from = form["From"].ToString(), body = text }, statusCode: 201);
    }

    private IResult? Fail(HttpContext http, string channel)
    {
        if (Volatile.Read(ref _failures) <= 0 || Interlocked.Decrement(ref _failures) < 0)
        {
            return null;
        }

        Calls.Enqueue((channel, _failStatus));
        if (_failStatus == 503)
        {
            http.Response.Headers.RetryAfter = "0";
        }

        return Results.Json(new { error = new { message = "Service temporarily unavailable" } }, statusCode: _failStatus);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The real gateway with both channels configured against <see cref="FakeProviders"/>.</summary>
public class ChannelGatewayHost : GatewayHost
{
    public const string VerifyToken = "verify-me-7d1c";

    public string AppSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public string ChannelSecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public FakeProviders Providers { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Providers = await FakeProviders.StartAsync();
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Channels:Secret"] = ChannelSecret,
            ["Channels:WhatsApp:VerifyToken"] = VerifyToken,
            ["Channels:WhatsApp:AppSecret"] = AppSecret,
            ["Channels:WhatsApp:AccessToken"] = FakeProviders.AccessToken,
            ["Channels:WhatsApp:PhoneNumberId"] = FakeProviders.PhoneNumberId,
            ["Channels:WhatsApp:ApiVersion"] = FakeProviders.ApiVersion,
            ["Channels:WhatsApp:BaseUrl"] = Providers.BaseAddress.ToString(),
            ["Channels:Sms:AccountSid"] = FakeProviders.AccountSid,
            ["Channels:Sms:AuthToken"] = Providers.SmsAuthToken,
            ["Channels:Sms:From"] = "+6281100000000",
            ["Channels:Sms:BaseUrl"] = Providers.BaseAddress.ToString(),
        })
        {
            Settings[key] = value;
        }

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Providers.DisposeAsync();
    }

    public ChannelSecrets Secrets => Services.GetRequiredService<ChannelSecrets>();

    public IChannelConversationGrain Conversation(string number) =>
        Services.GetRequiredService<IGrainFactory>().GetGrain<IChannelConversationGrain>(Secrets.CitizenIdOf(number));

    /// <summary>A Cloud API notification with one text message (or another type), as the vendor documents it.</summary>
    public static string WhatsAppText(string from, string messageId, string? text, string type = "text") => WhatsAppWebhook.Text(from, messageId, text, type);

    public static string WhatsAppStatus(string recipient, string wamid, string status) => WhatsAppWebhook.Status(recipient, wamid, status);

    /// <summary>Posts a notification signed with the app secret (or with <paramref name="signature"/> as given; null leaves the header out).</summary>
    public async Task<HttpResponseMessage> PostWhatsApp(string json, string? signature = "")
    {
        using var client = Client();
        using var request = WhatsAppWebhook.Request(json, AppSecret, signature);
        return await client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> WhatsAppSays(string from, string text, string? messageId = null) =>
        await PostWhatsApp(WhatsAppText(from, messageId ?? "wamid." + Guid.NewGuid().ToString("N"), text));

    /// <summary>Posts an inbound SMS form signed the Twilio way (or with <paramref name="signature"/>; null leaves the header out).</summary>
    public async Task<HttpResponseMessage> PostSms(IReadOnlyList<KeyValuePair<string, string>> form, string? signature = "")
    {
        using var client = Client();
        var url = new Uri(BaseAddress, "/channels/sms").ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/channels/sms") { Content = new FormUrlEncodedContent(form) };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(TwilioSignatureCheck.Header, signature == "" ? TwilioSignatureCheck.Sign(Providers.SmsAuthToken, url, form) : signature);
        }

        return await client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SmsSays(string from, string text, string? sid = null) =>
        await PostSms(SmsForm(from, text, sid ?? "SM" + Guid.NewGuid().ToString("N")));

    /// <summary>An inbound text message's form as the SMS provider posts it (From with its '+').</summary>
    public static KeyValuePair<string, string>[] SmsForm(string from, string text, string sid) =>
        [new("MessageSid", sid), new("AccountSid", FakeProviders.AccountSid), new("From", "+" + from), new("To", "+6281100000000"), new("Body", text), new("NumMedia", "0")];

    /// <summary>Waits for the provider to receive a message to <paramref name="number"/> that <paramref name="match"/> accepts.</summary>
    public Task<FakeSend> Received(string number, Func<string, bool> match) => Providers.Received(number, match);

    public static string NewNumber() => "628" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
