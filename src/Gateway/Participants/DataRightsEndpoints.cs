using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;

namespace OpenGov.Dialogue.Gateway.Participants;

/// <summary>The caller must say yes in the body: a stray POST never erases anything.</summary>
public sealed record EraseRequest(bool? Confirm);

public sealed record EraseResponse(IReadOnlyList<ErasureResult> Consultations, int Items, int Votes);

/// <summary>
/// A citizen's rights over their own data (UU 27/2022 on personal data protection; GDPR articles 15
/// and 17): see everything held about them, and have their contributions erased. docs/data-rights.md.
/// </summary>
public static class DataRightsEndpoints
{
    public static void MapDataRights(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me").WithTags("Participants").RequireAuthorization(Roles.Participant);

        me.MapGet("/data", async (string? consultation, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var scope = consultation is null ? null : ConsultationAccess.CheckedId(consultation);
            return TypedResults.Ok(await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).GetData(scope));
        })
        .WithName("MyData")
        .WithSummary("Everything held about the caller: own items with their moderation history, votes, notifications, sanctions.");

        me.MapPost("/erase", async Task<Results<Ok<EraseResponse>, ProblemHttpResult>> (EraseRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (request.Confirm is not true)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "confirmation-required", "Send {\"confirm\": true} to erase your contributions; this cannot be undone.");
            }

            var results = await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).Erase();
            return TypedResults.Ok(new EraseResponse(results, results.Sum(r => r.Items), results.Sum(r => r.Votes)));
        })
        .WithName("EraseMe")
        .WithSummary("Erases the caller's contributions everywhere: texts replaced by a marker, votes withdrawn, the link to them destroyed.");
    }
}
