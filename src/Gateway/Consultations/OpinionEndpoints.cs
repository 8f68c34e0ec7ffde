using System.Security.Claims;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Consultations;

public sealed record NextStatementResponse(string? ItemId);

public static class OpinionEndpoints
{
    public static void MapOpinion(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations/{id}/opinion-groups").WithTags("Opinion groups");

        // Public: groups, representative statements, consensus, the anonymous map; plus "you" for a participant.
        group.MapGet("/", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await (await Deliberation(grains, id, user)).Get(Roles.CitizenIdOf(user))))
            .WithName("OpinionGroups")
            .WithSummary("Opinion groups of a deliberation: groups, representative statements, consensus, the anonymous map, and where the caller stands.");

        group.MapGet("/next", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(new NextStatementResponse(await (await Deliberation(grains, id, user)).NextStatement(Roles.RequireCitizen(user)))))
            .RequireAuthorization(Roles.Participant)
            .WithName("NextStatement")
            .WithSummary("The next statement for the caller to vote on, or null when none is left.");
    }

    /// <summary>The opinion grain of a deliberation the caller may read; no grain is reached for other ids.</summary>
    public static async Task<IOpinionGrain> Deliberation(IGrainFactory grains, string id, ClaimsPrincipal user)
    {
        var info = await ConsultationAccess.Readable(grains, id, user);
        return info.Mode == ConsultationMode.Deliberation
            ? grains.GetGrain<IOpinionGrain>(id)
            : throw new DialogueException(ErrorCodes.InvalidConsultation, "Opinion groups exist only in deliberation consultations.");
    }
}
