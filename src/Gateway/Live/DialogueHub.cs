using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Moderation;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>What a client gets on join: the consultation and the items it missed.</summary>
public sealed record JoinResponse(ConsultationInfo Consultation, IReadOnlyList<ItemView> Items, long LastSeq, bool HasMore);

/// <summary>
/// Server → client: <c>changes(consultationId, items, votes)</c>, one frame per round: full views of the
/// items that changed and compact new vote counts of items whose votes alone moved, each carrying the
/// sequence number of its latest change; <c>notification(n)</c> for the citizen's own notifications;
/// <c>presenter(frame)</c> for presenter screens; <c>opinion(view)</c> when the opinion groups of a
/// deliberation were recomputed; <c>consultation(info)</c> to everyone in the room when the consultation's
/// status or settings changed (closed, reopened, retitled); <c>log(consultationId, entries)</c> to staff
/// and officials with the moderation-log entries of the round (the entries do not name their
/// consultation, hence the id, as in <c>changes</c>). A client keeps the highest seq it saw and, after a
/// reconnect, joins with it to receive exactly the gap. Anonymous readers use the public Server-Sent
/// Events feed instead (<see cref="PublicFeedEndpoints"/>).
/// </summary>
[Authorize]
public sealed class DialogueHub(IGrainFactory grains, ConsultationFeed feed) : Hub
{
    public const string Path = "/hubs/dialogue";

    public async Task<JoinResponse> Join(string consultationId, long afterSeq)
    {
        var consultation = ConsultationAccess.Grain(grains, consultationId);
        var info = await ConsultationAccess.Readable(grains, consultationId, Context.User!);
        var viewer = Roles.ViewerOf(Context.User!);

        // Join the live group before reading the gap, so nothing falls between the two; clients keep the newest seq per item.
        var audience = viewer.Role switch
        {
            ViewerRole.Moderator or ViewerRole.Admin => LiveAudience.Staff,
            ViewerRole.Official => LiveAudience.Officials,
            _ => LiveAudience.Public,
        };
        await feed.AddConnection(Context.ConnectionId, consultationId, audience);
        var page = await consultation.GetItems(viewer, afterSeq, 1000);
        return new JoinResponse(info, page.Items, page.LastSeq, page.HasMore);
    }

    public Task Leave(string consultationId) => feed.RemoveConnection(Context.ConnectionId, consultationId ?? "");

    /// <summary>Pages through the gap when a join returned <c>hasMore</c>.</summary>
    public async Task<ItemPage> Items(string consultationId, long afterSeq) =>
        await ConsultationAccess.Grain(grains, consultationId)
            .GetItems(Roles.ViewerOf(Context.User!), afterSeq, 1000);

    [Authorize(Policy = Roles.Participant)]
    public async Task<SubmitItemResponse> Submit(string consultationId, string clientId, string text)
    {
        var citizen = grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(Context.User!));
        var result = await citizen.Submit(ConsultationAccess.CheckedId(consultationId), clientId, text, Roles.AdmissionOf(Context.User!));
        return new SubmitItemResponse(result.ItemId, result.Seq, result.Status);
    }

    [Authorize(Policy = Roles.Participant)]
    public Task<VoteResult> Vote(string consultationId, string itemId, int value) =>
        grains.GetGrain<ICitizenGrain>(Roles.RequireCitizen(Context.User!))
            .Vote(ConsultationAccess.CheckedId(consultationId), itemId, value, Roles.AdmissionOf(Context.User!));

    /// <summary>The presenter screen: returns the current frame; later frames arrive as <c>presenter(frame)</c>.</summary>
    public async Task<PresenterFrame> JoinPresenter(string consultationId)
    {
        var consultation = ConsultationAccess.Grain(grains, consultationId);
        var frame = await consultation.GetPresenter();
        await feed.AddConnection(Context.ConnectionId, ConsultationAccess.CheckedId(consultationId), LiveAudience.Presenter);
        return frame;
    }

    /// <summary>Published items like a draft, while the participant types ("upvote this instead?").</summary>
    public Task<IReadOnlyList<SimilarItem>> Similar(string consultationId, string text) =>
        Consultation(consultationId).FindSimilar(text, 5);

    /// <summary>The opinion groups of a deliberation; a participant's answer carries their own position.</summary>
    public async Task<OpinionView> OpinionGroups(string consultationId)
    {
        var citizen = Roles.CitizenIdOf(Context.User!);
        var view = await (await OpinionEndpoints.Deliberation(grains, consultationId, Context.User!)).Get(citizen);

        // A phone asking for its own position needs neither everyone's points nor every statement's consensus (REST still serves both).
        return citizen is null ? view : view.ForParticipant();
    }

    [Authorize(Policy = Policies.Moderators)]
    public Task<IReadOnlyList<ItemView>> Queue(string consultationId, int limit) =>
        Consultation(consultationId).GetQueue(limit);

    /// <summary>Claim, release, approve, reject, edit, merge, tag, pin, highlight, mark answered, archive; the grain checks the role per action.</summary>
    [Authorize(Policy = Policies.Staff)]
    public Task<ModerationResult> Moderate(string consultationId, ModerationRequest request) =>
        Consultation(consultationId).Moderate(request.ToCommand(Roles.ActorOf(Context.User!)));

    /// <summary>The campaign-like clusters with their items that wait for review.</summary>
    [Authorize(Policy = Policies.Moderators)]
    public Task<IReadOnlyList<CampaignView>> Campaigns(string consultationId) =>
        Consultation(consultationId).GetCampaigns();

    /// <summary>Approves, or rejects with a reason, every item of a campaign cluster that waits for review.</summary>
    [Authorize(Policy = Policies.Moderators)]
    public Task<CampaignDecisionResult> DecideCampaign(string consultationId, string clusterId, CampaignDecisionRequest request) =>
        Consultation(consultationId).DecideCampaign(request.ToDecision(clusterId, Roles.ActorOf(Context.User!)));

    [Authorize(Policy = Policies.Officials)]
    public Task<ItemView> Answer(string consultationId, string itemId, AnswerRequest request) =>
        Consultation(consultationId).Answer(request.ToCommand(itemId, Roles.ActorOf(Context.User!)));

    [Authorize(Policy = Roles.Participant)]
    public Task<ItemView> Appeal(string consultationId, string itemId, string? text) =>
        Consultation(consultationId).Appeal(Roles.RequireCitizen(Context.User!), itemId, text);

    private IConsultationGrain Consultation(string consultationId) =>
        ConsultationAccess.Grain(grains, consultationId);

    public override Task OnDisconnectedAsync(Exception? exception) => feed.RemoveConnection(Context.ConnectionId);
}

/// <summary>
/// Turns rule violations into <see cref="HubException"/> with "code: message"; anything else
/// becomes a generic error, never internals.
/// </summary>
public sealed class DialogueHubFilter(ILogger<DialogueHubFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(context);
        }
        catch (DialogueException ex)
        {
            throw new HubException(ex.RetryAfterSeconds is { } retry ? $"{ex.Code}: {ex.Message} Retry after {retry} s." : $"{ex.Code}: {ex.Message}");
        }
        catch (HubException)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Hub method {Method} failed", context.HubMethodName);
            throw new HubException("internal: Something went wrong on our side; please retry.");
        }
    }
}
