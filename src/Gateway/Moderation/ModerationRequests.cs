using System.Globalization;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Moderation;

/// <summary>One action on up to 50 items (REST body and hub argument alike).</summary>
public sealed record ModerationRequest(
    string? Action,
    string[]? ItemIds,
    string? Reason = null,
    string? Note = null,
    string? Text = null,
    string? TargetId = null,
    string[]? Tags = null,
    int? LeaseSeconds = null)
{
    public ModerationCommand ToCommand(Actor actor) =>
        new(Action ?? string.Empty, ItemIds ?? [], actor)
        {
            Reason = Reason,
            Note = Note,
            Text = Text,
            TargetId = TargetId,
            Tags = Tags,
            LeaseSeconds = LeaseSeconds,
        };
}

/// <summary>A group decision on a campaign-like cluster (REST body and hub argument alike).</summary>
/// <param name="Action">approve or reject.</param>
/// <param name="Reason">For reject: one of the rejection reasons.</param>
public sealed record CampaignDecisionRequest(string? Action, string? Reason = null, string? Note = null)
{
    public CampaignDecision ToDecision(string clusterId, Actor actor) =>
        new(clusterId, Action ?? string.Empty, actor) { Reason = Reason, Note = Note };
}

/// <param name="Status">accepted, under-review or declined, spelled as answers are written back (under_review is accepted too).</param>
/// <param name="Due">A date, yyyy-MM-dd.</param>
public sealed record AnswerRequest(string? Text, string? Status = null, string? Owner = null, string? Due = null)
{
    public AnswerCommand ToCommand(string itemId, Actor actor)
    {
        AnswerStatus? status = Status switch
        {
            null or "" => null,
            "accepted" => AnswerStatus.Accepted,
            "under-review" or "under_review" => AnswerStatus.UnderReview,
            "declined" => AnswerStatus.Declined,
            _ => throw new DialogueException(ErrorCodes.InvalidAction, "status must be accepted, under-review or declined."),
        };
        DateOnly? due = null;
        if (!string.IsNullOrEmpty(Due))
        {
            due = DateOnly.TryParseExact(Due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw new DialogueException(ErrorCodes.InvalidAction, "due must be a date written yyyy-MM-dd.");
        }

        return new AnswerCommand(itemId, Text ?? string.Empty, status, string.IsNullOrWhiteSpace(Owner) ? null : Owner, due, actor);
    }
}

/// <param name="Kind">mute (no submissions) or ban (no submissions, no votes).</param>
/// <param name="Minutes">Absent for a permanent sanction.</param>
public sealed record SanctionRequest(string? ItemId, string? Kind, string? Reason, int? Minutes = null)
{
    public SanctionCommand ToCommand(Actor actor) =>
        new(
            ItemId ?? string.Empty,
            Kind switch
            {
                "mute" => SanctionKind.Mute,
                "ban" => SanctionKind.Ban,
                _ => throw new DialogueException(ErrorCodes.InvalidAction, "kind must be mute or ban."),
            },
            Reason ?? string.Empty,
            Minutes,
            actor);
}

public sealed record AppealRequest(string? Text);
