using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;

namespace OpenGov.Dialogue.Gateway.Moderation;

/// <summary>The public moderation log (pseudonyms and reason codes, never texts) and its hash-chain check, to anyone who may read the consultation.</summary>
public static class ModerationLogEndpoints
{
    public static void MapModerationLog(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations/{id}/moderation-log").WithTags("Moderation");

        group.MapGet(string.Empty, async (string id, long? after, int? limit, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await ConsultationAccess.Grain<IConsultationModeration>(grains, id).GetModerationLog(after ?? 0, limit ?? 500));
        })
        .WithName("ModerationLog")
        .WithSummary("Moderation decisions after a sequence number, each chained to the one before by its hash.");

        // Re-reading every stored row is the expensive part: anonymous readers share one result per last
        // sequence number for half a minute; staff always get a fresh read.
        group.MapGet("/verify", async (string id, ClaimsPrincipal user, IGrainFactory grains, IMemoryCache cache) =>
        {
            var consultation = ConsultationAccess.Grain<IConsultationModeration>(grains, id);
            var info = await ConsultationAccess.Readable(grains, id, user);
            if (ConsultationAccess.IsStaff(user))
            {
                return TypedResults.Ok(await consultation.VerifyModerationLog());
            }

            var result = await cache.GetOrCreateAsync($"verify:{info.Id}:{info.LastSeq}", entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
                entry.Size = 256;
                return consultation.VerifyModerationLog();
            });
            return TypedResults.Ok(result!);
        })
        .RequireRateLimiting(AuthSetup.AnonymousReadLimit)
        .WithName("VerifyModerationLog")
        .WithSummary("Re-reads every stored log entry and checks the hash chain: whether the public log was changed after the fact.");
    }
}
