using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

/// <summary>When a consultation's retention period is over: closed (or archived) for its retention days.</summary>
public static class RetentionRule
{
    public static bool IsOver(ConsultationStatus status, int? retentionDays, DateTimeOffset? closedAt, DateTimeOffset now) =>
        status is ConsultationStatus.Closed or ConsultationStatus.Archived
        && retentionDays is { } days && closedAt is { } closed
        && now >= closed.AddDays(days);
}

/// <summary>
/// Destroys identity links once a closed consultation's retention period is over: every so often it
/// asks each closed or archived consultation to apply its retention (the grain decides whether it is
/// due, so several silos running this job do no harm). What remains is the anonymous public record. Self-described
/// segment answers are dropped just before, keeping their breakdown (<see cref="ISegmentsGrain.Retire"/>).
/// </summary>
public sealed class RetentionJob(IGrainFactory grains, TimeProvider clock, IOptions<DialogueOptions> options, ILogger<RetentionJob> logger) : BackgroundService
{
    /// <summary>One pass over the directory; returns the consultations anonymised now.</summary>
    public async Task<IReadOnlyList<string>> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var done = new List<string>();
        foreach (var summary in await grains.GetGrain<IConsultationDirectoryGrain>(0).List())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (summary.Status is not (ConsultationStatus.Closed or ConsultationStatus.Archived))
            {
                continue;
            }

            try
            {
                // The segment answers first: their breakdown is kept, made while the consultation still knows who wrote what.
                await grains.GetGrain<ISegmentsGrain>(summary.Id).Retire();
                if (await grains.GetGrain<IConsultationAdmin>(summary.Id).ApplyRetention())
                {
                    done.Add(summary.Id);
                    logger.LogInformation("Retention period of consultation {Consultation} is over: identity links destroyed", summary.Id);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Applying retention to consultation {Consultation} failed; retrying next pass", summary.Id);
            }
        }

        return done;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.RetentionCheckMinutes), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
