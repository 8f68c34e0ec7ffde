using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations.Moderation;

/// <summary>What a mute or ban stops: a mute stops submissions, a ban stops submissions and votes, until it ends.</summary>
public static class SanctionRules
{
    /// <exception cref="DialogueException">When <paramref name="sanction"/> is in force and stops this kind of act.</exception>
    public static void Enforce(Sanction? sanction, SanctionKind stoppedBy, DateTimeOffset now)
    {
        if (sanction is not null
            && (sanction.Until is null || sanction.Until > now)
            && (sanction.Kind == SanctionKind.Ban || sanction.Kind == stoppedBy))
        {
            var until = sanction.Until is { } u ? $" until {u:u}" : string.Empty;
            throw new DialogueException(ErrorCodes.Sanctioned, $"You are {(sanction.Kind == SanctionKind.Ban ? "banned" : "muted")} in this consultation{until} (reason: {sanction.Reason}).");
        }
    }
}
