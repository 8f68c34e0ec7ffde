using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenGov.Dialogue.Gateway.Hosting;

namespace OpenGov.Dialogue.Gateway.Live;

public static class LiveSetup
{
    public static void AddDialogueLive(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddSignalR(o =>
            {
                o.EnableDetailedErrors = false;
                o.AddFilter<DialogueHubFilter>();
            })
            .AddJsonProtocol(o => GatewayApp.Configure(o.PayloadSerializerOptions))
            .AddMessagePackProtocol(HubMessagePack.Configure);
        builder.Services.AddSingleton<DialogueHubFilter>();
        // SignalR's own bookkeeping, plus the connections the feed writes to directly (ConsultationFeed).
        builder.Services.AddSingleton<LiveConnections>();
        builder.Services.AddSingleton<HubLifetimeManager<DialogueHub>>(sp => sp.GetRequiredService<LiveConnections>());
        builder.Services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ConsultationFeed>();
        builder.Services.AddOptions<LiveFeedOptions>().BindConfiguration(LiveFeedOptions.Section);
        builder.Services.AddSingleton<FeedAdmission>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConsultationFeed>());
        builder.Services.AddHostedService<LiveHandover>();
    }

    public static void MapDialogueHub(this IEndpointRouteBuilder app) => app.MapHub<DialogueHub>(DialogueHub.Path);
}
