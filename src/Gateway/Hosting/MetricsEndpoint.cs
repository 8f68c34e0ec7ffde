using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Live;
using OpenGov.Dialogue.Silo;
using OpenGov.Dialogue.Silo.Monitoring;
using OpenTelemetry.Metrics;

namespace OpenGov.Dialogue.Gateway.Hosting;

/// <summary>The Prometheus scrape: for admins on the main port, and for anyone on <see cref="DialogueHostOptions.MetricsPort"/> when it is set.</summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void AddGatewayMetrics(this WebApplicationBuilder builder, DialogueHostOptions options)
    {
        // A co-hosted silo's grains and journal report here too (meter OpenGov.Dialogue), beside the live fan-out's.
        builder.AddDialogueMetrics("gateway", LiveMetrics.MeterName);
        if (options.MetricsPort > 0)
        {
            builder.Services.AddMonitoringListener(
                DialogueSiloHosting.MonitoringEndpoint(options, options.MetricsPort),
                (routes, services) => routes.MapPrometheusScrapingEndpoint(Path, services.GetRequiredService<MeterProvider>(), null, null));
        }
    }

    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(Roles.Admin).ExcludeFromDescription();
}
