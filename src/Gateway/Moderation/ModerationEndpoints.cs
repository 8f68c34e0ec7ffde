using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;

namespace OpenGov.Dialogue.Gateway.Moderation;

public static class ModerationEndpoints
{
    public static void MapModeration(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations/{id}").WithTags("Moderation");

        group.MapGet("/queue", async (string id, int? limit, IGrainFactory grains) =>
            TypedResults.Ok(await Consultation(grains, id).GetQueue(limit ?? 100)))
            .RequireAuthorization(Policies.Moderators);

        group.MapPost("/moderation", async (string id, ModerationRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Consultation(grains, id).Moderate(request.ToCommand(Roles.ActorOf(user)))))
            .RequireAuthorization(Policies.Staff);

        // Campaign-like clusters are a moderators' aid: neither participants nor officials see them.
        group.MapGet("/campaigns", async (string id, IGrainFactory grains) =>
            TypedResults.Ok(await Consultation(grains, id).GetCampaigns()))
            .RequireAuthorization(Policies.Moderators);

        group.MapPost("/campaigns/{clusterId}/decision", async (string id, string clusterId, CampaignDecisionRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Consultation(grains, id).DecideCampaign(request.ToDecision(clusterId, Roles.ActorOf(user)))))
            .RequireAuthorization(Policies.Moderators);

        group.MapPost("/items/{itemId}/answer", async (string id, string itemId, AnswerRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Consultation(grains, id).Answer(request.ToCommand(itemId, Roles.ActorOf(user)))))
            .RequireAuthorization(Policies.Officials);

        group.MapPost("/sanctions", async (string id, SanctionRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Consultation(grains, id).Sanction(request.ToCommand(Roles.ActorOf(user)))))
            .RequireAuthorization(Policies.Moderators);

        group.MapPost("/items/{itemId}/appeal", async (string id, string itemId, AppealRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await Consultation(grains, id).Appeal(Roles.RequireCitizen(user), itemId, request.Text)))
            .RequireAuthorization(Roles.Participant);

        // The read views below answer only those who may read the consultation (drafts: staff; private: a
        // token); to anyone else they answer exactly as an unknown code does.
        group.MapGet("/ranking", async (string id, string? sort, bool? pinnedFirst, int? limit, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await Consultation(grains, id).GetRanking(ParseSort(sort), pinnedFirst ?? false, limit ?? 50));
        });

        group.MapGet("/similar", async (string id, string? text, int? top, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await Consultation(grains, id).FindSimilar(text ?? string.Empty, top ?? 5));
        });

        group.MapGet("/presenter", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await Consultation(grains, id).GetPresenter());
        });

        group.MapGet("/moderation-log", async (string id, long? after, int? limit, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await Consultation(grains, id).GetModerationLog(after ?? 0, limit ?? 500));
        });

        // Re-reading every stored row is the expensive part: anonymous readers share one result per last
        // sequence number for half a minute; staff always get a fresh read.
        group.MapGet("/moderation-log/verify", async (string id, ClaimsPrincipal user, IGrainFactory grains, IMemoryCache cache) =>
        {
            var consultation = Consultation(grains, id);
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
        }).RequireRateLimiting(AuthSetup.AnonymousReadLimit);

        var me = app.MapGroup("/api/me").WithTags("Participants").RequireAuthorization(Roles.Participant);
        me.MapGet("/notifications", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).GetNotifications()));
        me.MapPost("/notifications/{notificationId}/read", async (string notificationId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(user)).MarkRead(notificationId);
            return TypedResults.NoContent();
        });
    }

    public static RankingSort ParseSort(string? sort) => sort switch
    {
        null or "" or "popular" => RankingSort.Popular,
        "recent" => RankingSort.Recent,
        "trending" => RankingSort.Trending,
        _ => throw new DialogueException(ErrorCodes.InvalidAction, "sort must be popular, recent or trending."),
    };

    private static IConsultationGrain Consultation(IGrainFactory grains, string id) =>
        grains.GetGrain<IConsultationGrain>(ConsultationEndpoints.CheckedId(id));
}
