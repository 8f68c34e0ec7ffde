using System.Security.Claims;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>Role names in tokens and the policies built on them.</summary>
public static class Roles
{
    public const string Participant = "participant";
    public const string Moderator = "moderator";
    public const string Official = "official";
    public const string Admin = "admin";

    public const string CitizenClaim = "cid";

    /// <summary>How a participant token was admitted: open, code or invite (absent on older tokens: open).</summary>
    public const string AdmissionClaim = "adm";

    /// <summary>The consultation a code or invitation token is bound to.</summary>
    public const string AdmittedToClaim = "con";

    public static readonly string[] Staff = [Moderator, Official, Admin];

    /// <summary>Who is asking, as the grains understand it; anonymous readers are participants without an id.</summary>
    public static Viewer ViewerOf(ClaimsPrincipal user)
    {
        if (user.IsInRole(Admin))
        {
            return new Viewer(ViewerRole.Admin, null);
        }

        if (user.IsInRole(Moderator))
        {
            return new Viewer(ViewerRole.Moderator, null);
        }

        if (user.IsInRole(Official))
        {
            return new Viewer(ViewerRole.Official, null);
        }

        return new Viewer(ViewerRole.Participant, CitizenIdOf(user));
    }

    /// <summary>The acting staff member, as the grains log and authorise it.</summary>
    public static Actor ActorOf(ClaimsPrincipal user)
    {
        var viewer = ViewerOf(user);
        return viewer.Role == ViewerRole.Participant
            ? throw new DialogueException(ErrorCodes.Forbidden, "Only staff can do this.")
            : new Actor(user.Identity?.Name ?? viewer.Role.ToString(), viewer.Role);
    }

    /// <summary>How the participant's token was admitted, as the consultation checks it.</summary>
    public static Admission AdmissionOf(ClaimsPrincipal user)
    {
        var consultation = user.FindFirst(AdmittedToClaim)?.Value;
        var mode = user.FindFirst(AdmissionClaim)?.Value switch
        {
            "code" => AdmissionMode.Code,
            "invite" => AdmissionMode.Invite,
            _ => AdmissionMode.Open,
        };
        return mode == AdmissionMode.Open && consultation is null ? Admission.Open : new Admission(mode, consultation);
    }

    public static string? CitizenIdOf(ClaimsPrincipal user) =>
        user.IsInRole(Participant) ? user.FindFirst(CitizenClaim)?.Value : null;

    public static string RequireCitizen(ClaimsPrincipal user) =>
        CitizenIdOf(user) ?? throw new DialogueException(ErrorCodes.Forbidden, "Only participants can do this.");
}
