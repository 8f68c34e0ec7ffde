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
            await ConsultationAccess.Existing(grains, id);
            return TypedResults.Ok(await grains.GetGrain<ITopicsGrain>(id).Get(top ?? 3));
        })
        .WithTags("Topics")
        .RequireAuthorization(Policies.Staff)
        .WithName("TopicGroups")
        .WithSummary("Citizens' concerns grouped by topic with their trend, top posts and extractive briefs (staff and officials).");
    }
}
