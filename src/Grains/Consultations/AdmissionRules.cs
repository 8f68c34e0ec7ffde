using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

/// <summary>
/// Who may submit and vote in a consultation, by how their token was admitted. Open admits every
/// token that is not bound to another consultation; code admits tokens joined here with the join code
/// or an invitation; invite admits only tokens redeemed here from a one-time invitation.
/// </summary>
public static class AdmissionRules
{
    public const int MinJoinCodeMinutes = 1;
    public const int MaxJoinCodeMinutes = 24 * 60;

    public static void Check(AdmissionMode consultation, string consultationId, Admission? admission)
    {
        var token = admission ?? Admission.Open;
        if (token.ConsultationId is not null && !string.Equals(token.ConsultationId, consultationId, StringComparison.Ordinal))
        {
            throw new DialogueException(ErrorCodes.AdmissionRequired, "This token was admitted to another consultation: join this one with its own code.");
        }

        var admitted = consultation switch
        {
            AdmissionMode.Code => token.ConsultationId is not null && token.Mode is AdmissionMode.Code or AdmissionMode.Invite,
            AdmissionMode.Invite => token.ConsultationId is not null && token.Mode is AdmissionMode.Invite,
            _ => true,
        };
        if (!admitted)
        {
            throw new DialogueException(
                ErrorCodes.AdmissionRequired,
                consultation == AdmissionMode.Code
                    ? "This consultation admits participants with the join code shown in the hall."
                    : "This consultation admits participants with a personal invitation code.");
        }
    }

    /// <summary>The mode recorded with a vote or submission (open for unbound tokens).</summary>
    public static AdmissionMode ModeOf(Admission? admission) => admission?.Mode ?? AdmissionMode.Open;

    public static int CheckJoinCodeMinutes(int minutes) =>
        minutes is >= MinJoinCodeMinutes and <= MaxJoinCodeMinutes
            ? minutes
            : throw new DialogueException(ErrorCodes.InvalidConsultation, $"joinCodeMinutes must be {MinJoinCodeMinutes}–{MaxJoinCodeMinutes}.");
}
