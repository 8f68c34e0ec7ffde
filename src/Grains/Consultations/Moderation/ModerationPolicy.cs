using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Moderation;

/// <summary>Which staff role may take which action. Participants take none of them.</summary>
public static class ModerationPolicy
{
    public static bool Allows(ViewerRole role, string action) => role switch
    {
        ViewerRole.Admin => true,
        ViewerRole.Moderator => action is not ModerationActions.Answer,
        ViewerRole.Official => action is ModerationActions.Answer or ModerationActions.Highlight
            or ModerationActions.Unhighlight or ModerationActions.MarkAnswered,
        _ => false,
    };

    public static void Demand(Actor actor, string action)
    {
        if (!Allows(actor.Role, action))
        {
            throw new DialogueException(ErrorCodes.Forbidden, $"The {actor.Role.ToString().ToLowerInvariant()} role may not {action}.");
        }
    }
}
