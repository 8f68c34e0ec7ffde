using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Lite;

/// <summary>
/// The participant identity of the page without JavaScript. Such a page cannot solve the proof of work,
/// so the join form mints the same participant token the web page gets (<see cref="AdmissionEndpoints.Mint"/>)
/// and keeps it in an HttpOnly cookie, one per consultation, under /lite only: script cannot read it, it
/// never reaches the REST API or the hub as a credential (they take bearer tokens only, so no cross-site
/// request can act with it there), and SameSite=Lax keeps it off cross-site form posts. The token is signed
/// with the gateway's signing key, so every gateway of a deployment accepts it and it survives restarts.
/// What replaces the proof of work as the brake on scripted identities is a per-address rate limit on
/// minting (<see cref="LiteSetup.IdentityLimit"/>), plus the consultation's own admission (code, invitation).
/// </summary>
public sealed class LiteIdentity(GatewayKeys keys, TokenIssuer issuer)
{
    public const string CookiePath = "/lite";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private readonly TokenValidationParameters _validation = new()
    {
        ValidIssuer = AuthSetup.Issuer,
        ValidAudience = AuthSetup.Issuer,
        IssuerSigningKey = new SymmetricSecurityKey(keys.SigningKey),
        NameClaimType = JwtRegisteredClaimNames.Sub,
        RoleClaimType = "role",
        ClockSkew = TimeSpan.FromMinutes(1),
    };

    /// <summary>Cookie names cannot be shared between consultations: a code or invitation token is bound to one.</summary>
    public static string CookieName(string consultationId) => $"dlg-{consultationId}";

    /// <summary>The participant of this consultation on this device, or null (no cookie, or one that does not validate).</summary>
    public ClaimsPrincipal? Read(HttpContext http, string consultationId)
    {
        var token = http.Request.Cookies[CookieName(consultationId)];
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }

        try
        {
            var handler = new JwtSecurityTokenHandler { MapInboundClaims = false };
            var principal = handler.ValidateToken(token, _validation, out _);
            return Roles.CitizenIdOf(principal) is { } citizen && CitizenIds.IsValid(citizen) ? principal : null;
        }
        catch (Exception ex) when (ex is SecurityTokenException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Mints a participant admitted as <paramref name="mode"/> and sets its cookie.</summary>
    public void Issue(HttpContext http, string consultationId, AdmissionMode mode)
    {
        var minted = AdmissionEndpoints.Mint(issuer, mode, mode == AdmissionMode.Open ? null : consultationId);
        http.Response.Cookies.Append(CookieName(consultationId), minted.Token, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = CookiePath,
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }
}
