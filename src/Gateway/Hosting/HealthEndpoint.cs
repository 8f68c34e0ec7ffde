using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Silo.Monitoring;

namespace OpenGov.Dialogue.Gateway.Hosting;

public static class HealthEndpoint
{
    /// <summary>
    /// <c>/health/live</c>: 200 while the process runs, touching neither the cluster nor the database.
    /// <c>/health/ready</c> (and <c>/health</c>, its older name): 200 only when a grain answers (silo up, grain
    /// storage readable) and the journal reads, within <see cref="Readiness.Timeout"/>; otherwise 503 problem+json.
    /// </summary>
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", Readiness.Live).ExcludeFromDescription();
        app.MapGet("/health/ready", Ready).ExcludeFromDescription();
        app.MapGet("/health", Ready).ExcludeFromDescription();
    }

    private static Task<IResult> Ready(IGrainFactory grains, IDialogueJournal journal, CancellationToken ct) =>
        Readiness.WithinTimeoutAsync(
            async timeout =>
            {
                await grains.GetGrain<IConsultationDirectoryGrain>(0).List().WaitAsync(timeout);
                await Readiness.JournalReadsAsync(journal, timeout);
            },
            "The cluster or the storage database did not answer.",
            ct);
}
