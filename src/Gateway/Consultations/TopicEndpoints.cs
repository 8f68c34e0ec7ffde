using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Consultations;

public static class TopicEndpoints
{
    public static void MapTopics(this IEndpointRouteBuilder app)
    {
        // Staff only: the groups quote citizens' texts side by side with vote shares, an officials' working view.
        app.MapGet("/api/consultations/{id}/topics", async (string id, int? top, IGrainFactory grains) =>
        {
            _ = await grains.GetGrain<IConsultationGrain>(ConsultationEndpoints.CheckedId(id)).GetInfo()
                ?? throw new DialogueException(ErrorCodes.NotFound, $"Consultation '{id}' does not exist.");
            return TypedResults.Ok(await grains.GetGrain<ITopicsGrain>(id).Get(top ?? 3));
        })
        .WithTags("Topics")
        .RequireAuthorization(Policies.Staff);
    }
}
