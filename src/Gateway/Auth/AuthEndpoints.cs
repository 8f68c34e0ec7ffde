using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Errors;

namespace OpenGov.Dialogue.Gateway.Auth;

public sealed record StaffTokenRequest(string? Key, string? Role, string? Name);

public sealed record TokenResponse(string Token);

public sealed record ParticipantTokenResponse(string Token, string CitizenId);

public static class AuthEndpoints
{
    private static readonly TimeSpan StaffLifetime = TimeSpan.FromHours(12);

    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");

        group.MapPost("/token", Results<Ok<TokenResponse>, ProblemHttpResult> (StaffTokenRequest request, GatewayKeys keys, TokenIssuer issuer) =>
        {
            if (!keys.AdminKeyMatches(request.Key))
            {
                return Problems.Create(StatusCodes.Status401Unauthorized, "invalid-key", "The key is not valid.");
            }

            if (request.Role is not (Roles.Admin or Roles.Moderator or Roles.Official))
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "invalid-role", "role must be admin, moderator or official.");
            }

            var name = (request.Name ?? string.Empty).Trim();
            if (name.Length is 0 or > 100)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "invalid-name", "name must be 1–100 characters.");
            }

            return TypedResults.Ok(new TokenResponse(issuer.Issue(name, request.Role, StaffLifetime)));
        }).RequireRateLimiting(AuthSetup.StaffLoginLimit);
    }
}
