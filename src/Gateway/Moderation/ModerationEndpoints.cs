using System.Security.Claims;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;

namespace OpenGov.Dialogue.Gateway.Moderation;

/// <summary>The moderators' and officials' decisions: the queue, actions on items, campaign clusters, answers, sanctions, and the author's appeal.</summary>
public static class ModerationEndpoints
{
    public static void MapModeration(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/consultations/{id}").WithTags("Moderation");

        group.MapGet("/queue", async (string id, int? limit, IGrainFactory grains) =>
            TypedResults.Ok(await ConsultationAccess.Grain<IConsultationModeration>(grains, id).GetQueue(limit ?? 100)))
            .RequireAuthorization(Policies.Moderators)
            .WithName("ModerationQueue")
            .WithSummary("Items waiting for review, highest triage score first, then oldest (moderators).");

        group.MapPost("/moderation", async (string id, ModerationRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await ConsultationAccess.Grain<IConsultationModeration>(grains, id).Moderate(request.ToCommand(Roles.ActorOf(user)))))
            .RequireAuthorization(Policies.Staff)
            .WithName("Moderate")
            .WithSummary("One action on up to 50 items (approve, reject with a reason, merge, edit, tag, pin, highlight, claim …); each item succeeds or fails on its own.");

        // Campaign-like clusters are a moderators' aid: neither participants nor officials see them.
        group.MapGet("/campaigns", async (string id, IGrainFactory grains) =>
            TypedResults.Ok(await ConsultationAccess.Grain<IConsultationModeration>(grains, id).GetCampaigns()))
            .RequireAuthorization(Policies.Moderators)
            .WithName("Campaigns")
            .WithSummary("Bursts of near-identical texts from different citizens, labelled campaign-like (moderators).");

        group.MapPost("/campaigns/{clusterId}/decision", async (string id, string clusterId, CampaignDecisionRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await ConsultationAccess.Grain<IConsultationModeration>(grains, id).DecideCampaign(request.ToDecision(clusterId, Roles.ActorOf(user)))))
            .RequireAuthorization(Policies.Moderators)
            .WithName("DecideCampaign")
            .WithSummary("One decision for every item of a campaign-like cluster (moderators).");

        group.MapPost("/items/{itemId}/answer", async (string id, string itemId, AnswerRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await ConsultationAccess.Grain<IConsultationModeration>(grains, id).Answer(request.ToCommand(itemId, Roles.ActorOf(user)))))
            .RequireAuthorization(Policies.Officials)
            .WithName("AnswerItem")
            .WithSummary("An official's answer to a published item, with its status, owner and due date; its voters and followers are told.");

        group.MapPost("/sanctions", async (string id, SanctionRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await ConsultationAccess.Grain<IConsultationModeration>(grains, id).Sanction(request.ToCommand(Roles.ActorOf(user)))))
            .RequireAuthorization(Policies.Moderators)
            .WithName("Sanction")
            .WithSummary("Mutes or bans an item's author in this consultation, for a time or for good, with a reason.");

        group.MapPost("/items/{itemId}/appeal", async (string id, string itemId, AppealRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await ConsultationAccess.Grain<IConsultationParticipation>(grains, id).Appeal(Roles.RequireCitizen(user), itemId, request.Text)))
            .RequireAuthorization(Roles.Participant)
            .WithName("Appeal")
            .WithSummary("The author appeals the rejection of their own item, once.");
    }
}
