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

    public static bool IsStaff(ClaimsPrincipal user) => Staff.Any(user.IsInRole);

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

    /// <summary>The acting staff member, as the grains log and authorise it: name and id from the token the gateway issued for the account.</summary>
    public static Actor ActorOf(ClaimsPrincipal user)
    {
        var viewer = ViewerOf(user);
        if (viewer.Role == ViewerRole.Participant)
        {
            throw new DialogueException(ErrorCodes.Forbidden, "Only staff can do this.");
        }

        var subject = StaffClaims.SubjectOf(user);
        return new Actor(user.FindFirst(StaffClaims.Name)?.Value ?? subject ?? NameOf(viewer.Role), viewer.Role) { AccountId = subject };
    }

    public static string NameOf(ViewerRole role) => role switch
    {
        ViewerRole.Admin => Admin,
        ViewerRole.Moderator => Moderator,
        ViewerRole.Official => Official,
        _ => Participant,
    };

    /// <summary>A staff role from its name; null for anything else.</summary>
    public static ViewerRole? StaffRole(string? name) => name switch
    {
        Admin => ViewerRole.Admin,
        Moderator => ViewerRole.Moderator,
        Official => ViewerRole.Official,
        _ => null,
    };

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
