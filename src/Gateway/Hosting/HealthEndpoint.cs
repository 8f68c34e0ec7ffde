using OpenGov.Dialogue.Gateway.Errors;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Gateway.Hosting;

public static class HealthEndpoint
{
    /// <summary>200 only when a grain answers (silo up, grain storage readable) and the journal reads.</summary>
    public static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", async Task<IResult> (IGrainFactory grains, IDialogueJournal journal, CancellationToken ct) =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await grains.GetGrain<IConsultationDirectoryGrain>(0).List().WaitAsync(timeout.Token);
                await foreach (var _ in journal.ReadAsync("health-check", long.MaxValue - 1, timeout.Token))
                {
                }

                return TypedResults.Ok(new { status = "ready" });
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return TypedResults.Problem(statusCode: 503, title: "Not ready", type: ProblemTypes.For("not-ready"));
            }
        }).ExcludeFromDescription();
}
