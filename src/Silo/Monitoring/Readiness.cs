using Microsoft.AspNetCore.Http;
using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Silo.Monitoring;

/// <summary>The answers of <c>/health/live</c> and <c>/health/ready</c>, the same on gateways and silos.</summary>
public static class Readiness
{
    /// <summary>A check that takes longer counts as "not ready": probes time out too, and a late yes is no use to them.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static IResult Live() => TypedResults.Ok(new { status = "live" });

    public static IResult Ready() => TypedResults.Ok(new { status = "ready" });

    public static IResult NotReady(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", type: "urn:opengov-dialogue:problem:not-ready", detail: detail);

    /// <summary>The journal's database answers a read: a stream that has no rows, so one round trip and nothing to carry.</summary>
    public static async Task JournalReadsAsync(IDialogueJournal journal, CancellationToken cancellationToken)
    {
        await foreach (var _ in journal.ReadAsync("health-check", long.MaxValue - 1, cancellationToken))
        {
        }
    }

    /// <summary>
    /// Runs <paramref name="check"/> within <see cref="Timeout"/>: ready when it completes, not ready (with
    /// <paramref name="failure"/>) when it throws or runs late. A caller that went away gets nothing.
    /// </summary>
    public static async Task<IResult> WithinTimeoutAsync(Func<CancellationToken, Task> check, string failure, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await check(timeout.Token).WaitAsync(timeout.Token);
            return Ready();
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return NotReady(failure);
        }
    }
}
