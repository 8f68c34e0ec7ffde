using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// What a staff token says beyond its role. Every staff token names its actor (<c>sub</c>: account id,
/// <c>oidc:…</c> or <c>key:…</c>; <c>name</c>: display name) and its consultations (<c>cons</c>, "*" for
/// all). Tokens of named accounts also carry the account (<c>acc</c>) and its version (<c>ver</c>),
/// re-checked against the account on every request.
/// </summary>
public static class StaffClaims
{
    public const string Name = "name";
    public const string Account = "acc";
    public const string Version = "ver";
    public const string Scope = "cons";
    public const string AllConsultations = "*";

    /// <summary>Subjects of tokens given for the admin key start with this.</summary>
    public const string KeyPrefix = "key:";

    /// <summary>Subjects of single sign-on tokens start with this.</summary>
    public const string OidcPrefix = "oidc:";

    /// <summary>The name the log shows for an admin-key token; never chosen by the caller.</summary>
    public const string KeyActorName = "bootstrap key";

    public static IEnumerable<Claim> ScopeClaims(IReadOnlyList<string>? consultations) =>
        consultations is null ? [new Claim(Scope, AllConsultations)] : consultations.Select(c => new Claim(Scope, c));

    /// <summary>True when the staff member may act on (and read the staff views of) this consultation.</summary>
    public static bool MayActOn(ClaimsPrincipal user, string consultationId) =>
        user.FindAll(Scope).Any(c => c.Value == AllConsultations || c.Value == consultationId);

    /// <summary>Admins with every consultation in scope manage the accounts.</summary>
    public static bool IsUnrestricted(ClaimsPrincipal user) => user.HasClaim(Scope, AllConsultations);

    public static string? SubjectOf(ClaimsPrincipal user) => user.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
}
