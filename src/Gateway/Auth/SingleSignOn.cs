using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// Optional single sign-on (<c>Dialogue:Oidc</c>): the provider's access tokens become the same staff
/// principal as the gateway's own tokens — subject <c>oidc:{sub}</c>, display name from the configured
/// claim, role mapped from the configured role claim, every consultation in scope. A policy scheme picks
/// the handler by the token's issuer; tokens without a staff role are refused.
/// </summary>
public static class SingleSignOn
{
    public const string Scheme = "oidc";
    public const string SelectorScheme = "dialogue";

    public static void AddSingleSignOn(this AuthenticationBuilder auth, OidcOptions oidc)
    {
        auth.AddPolicyScheme(SelectorScheme, "Local or single sign-on tokens", o =>
            o.ForwardDefaultSelector = http => IssuedHere(AuthSetup.TokenOf(http)) ? JwtBearerDefaults.AuthenticationScheme : Scheme);
        auth.AddJwtBearer(Scheme, o =>
        {
            o.Authority = oidc.Authority;
            o.Audience = oidc.Audience;
            o.RequireHttpsMetadata = !new Uri(oidc.Authority!).IsLoopback;
            o.MapInboundClaims = false;
            o.SaveToken = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = oidc.Audience,
                NameClaimType = JwtRegisteredClaimNames.Sub,
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromMinutes(1),
            };
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = AuthSetup.TakeHubToken,
                OnTokenValidated = context =>
                {
                    if (context.Principal is null || ToStaff(context.Principal, oidc) is not { } staff)
                    {
                        context.Fail("The token carries no staff role for this gateway.");
                        return Task.CompletedTask;
                    }

                    context.Principal = staff;
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>The provider's principal as a staff principal of this gateway; null without a mapped role or subject.</summary>
    public static ClaimsPrincipal? ToStaff(ClaimsPrincipal provider, OidcOptions oidc)
    {
        var subject = provider.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        var role = provider.FindAll(oidc.RoleClaim)
            .Select(c => oidc.RoleMap.TryGetValue(c.Value, out var mapped) ? mapped : c.Value)
            .Where(r => Roles.StaffRole(r) is not null)
            .OrderBy(r => r == Roles.Admin ? 0 : r == Roles.Moderator ? 1 : 2)
            .FirstOrDefault();
        if (string.IsNullOrEmpty(subject) || role is null)
        {
            return null;
        }

        var name = provider.FindFirst(oidc.NameClaim)?.Value is { Length: > 0 and <= 100 } n ? n : subject;
        Claim[] claims =
        [
            new(JwtRegisteredClaimNames.Sub, StaffClaims.OidcPrefix + subject),
            new(StaffClaims.Name, name),
            new("role", role),
            new(StaffClaims.Scope, StaffClaims.AllConsultations),
        ];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, JwtRegisteredClaimNames.Sub, "role"));
    }

    /// <summary>Tokens this gateway signed name it as issuer; unreadable tokens go to the local handler, which refuses them.</summary>
    private static bool IssuedHere(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        try
        {
            return new JsonWebTokenHandler().ReadJsonWebToken(token).Issuer == AuthSetup.Issuer;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
