using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace OpenGov.Dialogue.Silo.Monitoring;

public static class DialogueTelemetry
{
    /// <summary>
    /// Meters every process reports: the project's own, Orleans', the runtime's and ASP.NET Core's (hosting,
    /// Kestrel, SignalR's HTTP connections; a silo without its HTTP listener simply has none of these).
    /// </summary>
    private static readonly string[] Meters =
    [
        DialogueMetrics.MeterName,
        PrometheusConventions.OrleansMeter,
        PrometheusConventions.RuntimeMeter,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
    ];

    /// <summary>
    /// OpenTelemetry metrics with a Prometheus exporter; the scrape is served by <c>/metrics</c> endpoints that
    /// the gateway and the silo's monitoring listener map. <paramref name="service"/> names the process kind in
    /// <c>target_info</c>; <paramref name="meters"/> are the host's own meters beyond <see cref="Meters"/>.
    /// </summary>
    public static void AddDialogueMetrics(this IHostApplicationBuilder builder, string service, params string[] meters)
    {
        PrometheusConventions.EnsureStarted();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(service, serviceNamespace: "opengov-dialogue"))
            .WithMetrics(m => m
                .AddMeter([.. Meters, PrometheusConventions.MeterName, .. meters])
                .AddView(PrometheusConventions.View)
                // No cached scrape: a scrape right after an event must show it (the exporter's default
                // reuses a response for 300 ms); the endpoint is admin-only or on a private port.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
    }
}
