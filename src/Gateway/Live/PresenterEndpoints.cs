using System.Security.Claims;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>The hall's screen: what is highlighted now and what comes next (pushed live over the hub as well).</summary>
public static class PresenterEndpoints
{
    public static void MapPresenter(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/consultations/{id}/presenter", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await ConsultationAccess.Grain<IConsultationParticipation>(grains, id).GetPresenter());
        })
        .WithTags("Live")
        .WithName("Presenter")
        .WithSummary("The presenter frame: the highlighted item and the top of the queue, to anyone who may read the consultation.");
    }
}
