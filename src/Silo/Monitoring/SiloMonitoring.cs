using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenGov.Dialogue.Journal;
using OpenTelemetry.Metrics;
using Orleans.Runtime;

namespace OpenGov.Dialogue.Silo.Monitoring;

public static class SiloMonitoring
{
    /// <summary>
    /// The standalone silo's metrics, and with <see cref="DialogueOptions.SiloHttpPort"/> its monitoring listener:
    /// <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>, without authentication (a private network's port).
    /// </summary>
    public static void AddSiloMonitoring(this IHostApplicationBuilder builder, DialogueHostOptions options)
    {
        builder.AddDialogueMetrics("silo");
        if (options.SiloHttpPort == 0)
        {
            return;
        }

        builder.Services.AddMonitoringListener(DialogueSiloHosting.MonitoringEndpoint(options, options.SiloHttpPort), (routes, services) =>
        {
            routes.MapGet("/health/live", Readiness.Live);
            routes.MapGet("/health/ready", (CancellationToken ct) => ReadyAsync(services, ct));
            routes.MapPrometheusScrapingEndpoint("/metrics", services.GetRequiredService<MeterProvider>(), null, null);
        });
    }

    /// <summary>Ready when this silo is active in the cluster (not joining, not shutting down) and its storage database answers.</summary>
    private static async Task<IResult> ReadyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var membership = services.GetRequiredService<IClusterMembershipService>();
        var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var status = membership.CurrentSnapshot.GetSiloStatus(self);
        if (status != SiloStatus.Active)
        {
            return Readiness.NotReady($"This silo is {status.ToString().ToLowerInvariant()} in the cluster, not active.");
        }

        var journal = services.GetRequiredService<IDialogueJournal>();
        return await Readiness.WithinTimeoutAsync(
            ct => Readiness.JournalReadsAsync(journal, ct), "The storage database did not answer.", cancellationToken);
    }
}
