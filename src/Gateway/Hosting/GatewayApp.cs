using System.Text.Json;
using System.Text.Json.Serialization;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Channels;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;
using OpenGov.Dialogue.Gateway.Lite;
using OpenGov.Dialogue.Gateway.Live;
using OpenGov.Dialogue.Gateway.Moderation;
using OpenGov.Dialogue.Gateway.OpenData;
using OpenGov.Dialogue.Gateway.Participants;
using OpenGov.Dialogue.Gateway.WebUi;
using OpenGov.Dialogue.Silo;

namespace OpenGov.Dialogue.Gateway.Hosting;

/// <summary>Builds the gateway: it co-hosts a silo (the embedded default), or is an Orleans client of a PostgreSQL cluster.</summary>
public static class GatewayApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // ASP.NET Core's request log writes the full URL at Information, and browsers put the hub's token
        // in the query string (access_token=...): that category stays quiet unless an operator turns it on.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        configure?.Invoke(builder);
        var (options, host) = builder.AddDialogueBackend();
        builder.AddDialogueAuth(options, host.DataDirectory);
        builder.AddDialogueErrors();
        builder.AddDialogueLive();
        builder.AddDialogueLite(options, host);
        builder.AddGatewayMetrics(host);
        builder.AddChannels();
        builder.Services.AddOpenApi();

        // Cached exports, bounded by their bytes.
        builder.Services.AddMemoryCache(o => o.SizeLimit = 256L * 1024 * 1024);

        // Item texts are at most a few KB: a large body is refused before anything reads it.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 256 * 1024);
        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        // A socket's reads and writes continue where they complete instead of queueing on Kestrel's I/O
        // queues: in a town hall the writes of a sweep to thousands of sockets otherwise sit in those
        // queues ahead of the requests that carry votes and questions. Application code still runs on
        // the thread pool (the runtime hands socket completions to it; its own inline switch stays off).
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);

        // Malformed JSON and bad parameters reach the exception handler and get a stable problem type.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Behind a reverse proxy the client's address comes from X-Forwarded-For, believed only from the proxies configured.
        builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            foreach (var proxy in options.KnownProxies)
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });

        var app = builder.Build();
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseStaffScope();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapHealth();
        app.MapMetrics();

        // The REST API, by area; each endpoint's problem responses are declared from its metadata (ApiProblems).
        var api = app.MapGroup(string.Empty);
        ((IEndpointConventionBuilder)api).Finally(ApiProblems.Declare);
        api.MapAuth();
        api.MapStaffAccounts();
        api.MapAdmission();
        api.MapConsultations();
        api.MapRanking();
        api.MapModeration();
        api.MapModerationLog();
        api.MapPresenter();
        api.MapOpinion();
        api.MapTopics();
        api.MapSegments();
        api.MapBrief();
        api.MapOpenData();
        api.MapDataRights();
        api.MapNotifications();
        api.MapPublicFeed();

        app.MapDialogueHub();
        app.MapLite();
        app.MapChannels();
        app.MapWebUi();
        return app;
    }

    /// <summary>One JSON shape for REST and the hub: camelCase, enums as kebab-case strings.</summary>
    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        json.Converters.Add(new VoteUpdateJsonConverter());
    }
}
