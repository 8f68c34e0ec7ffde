using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Errors;
using OpenGov.Dialogue.Staff;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>The admin (bootstrap) key and a role; a name, if sent, is ignored: the log names key tokens "bootstrap key".</summary>
public sealed record StaffTokenRequest(string? Key, string? Role, string? Name);

public sealed record TokenResponse(string Token);

public sealed record ParticipantTokenResponse(string Token, string CitizenId);

public sealed record LoginRequest(string? Login, string? Passphrase);

/// <summary>A staff account's token, with what the pages show about the account.</summary>
public sealed record LoginResponse(string Token, string AccountId, string DisplayName, string Role, IReadOnlyList<string>? Consultations, DateTimeOffset ExpiresAt);

public sealed record AcceptInvitationRequest(string? Code, string? Passphrase);

public sealed record AcceptInvitationResponse(string Login, string DisplayName);

public static class AuthEndpoints
{
    public static readonly TimeSpan StaffLifetime = TimeSpan.FromHours(12);

    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");

        group.MapPost("/token", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (StaffTokenRequest request, GatewayKeys keys, TokenIssuer issuer, StaffAccountCache accounts) =>
        {
            if (!keys.AdminKeyMatches(request.Key))
            {
                return Problems.Create(StatusCodes.Status401Unauthorized, "invalid-key", "The key is not valid.");
            }

            if (Roles.StaffRole(request.Role) is not { } role)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, "invalid-role", "role must be admin, moderator or official.");
            }

            if (role != ViewerRole.Admin && await accounts.HasAccounts())
            {
                return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.BootstrapOnly,
                    "Staff accounts exist: the admin key gives admin tokens only. Moderators and officials sign in with their accounts.");
            }

            // Each key token is its own actor ("key:…"), so two people using the key never share a claim.
            var subject = StaffClaims.KeyPrefix + Guid.NewGuid().ToString("N")[..12];
            Claim[] claims = [new(StaffClaims.Name, StaffClaims.KeyActorName), new(StaffClaims.Scope, StaffClaims.AllConsultations)];
            return TypedResults.Ok(new TokenResponse(issuer.Issue(subject, request.Role!, StaffLifetime, claims)));
        })
            .RequireRateLimiting(AuthSetup.StaffLoginLimit)
            .WithName("StaffTokenByKey")
            .WithSummary("A staff token for the deployment's admin key; once staff accounts exist, admin tokens only.");

        group.MapPost("/login", Login)
            .RequireRateLimiting(AuthSetup.StaffLoginLimit)
            .WithName("StaffLogin")
            .WithSummary("A staff token for an account's login and passphrase; repeated failures are slowed down.");

        group.MapPost("/invitation", async Task<Ok<AcceptInvitationResponse>> (AcceptInvitationRequest request, StaffPassphrases passphrases, IGrainFactory grains, StaffAccountCache accounts) =>
        {
            var hash = passphrases.Hash(request.Passphrase);
            var account = await grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key).Accept(StaffPassphrases.HashOf(request.Code), hash);
            accounts.Forget(account.Id);
            return TypedResults.Ok(new AcceptInvitationResponse(account.Login, account.DisplayName));
        })
            .RequireRateLimiting(AuthSetup.StaffLoginLimit)
            .WithName("AcceptStaffInvitation")
            .WithSummary("Sets the passphrase of an invited staff account with its one-time code.");
    }

    /// <summary>
    /// Login and passphrase → a token naming the account. Unknown login, wrong passphrase, an account
    /// without a passphrase yet and a disabled account all get the same answer in the same time.
    /// </summary>
    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Login(
        LoginRequest request, HttpContext http, StaffPassphrases passphrases, LoginThrottle throttle, IGrainFactory grains, TokenIssuer issuer, TimeProvider clock)
    {
        var login = StaffAccountRules.NormalizeLogin(request.Login);
        if (login.Length is 0 or > 64 || string.IsNullOrEmpty(request.Passphrase))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidCredentials, "login and passphrase are required.");
        }

        if (throttle.Wait(login) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Create(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, $"Too many failed logins for this account; try again in {seconds} s.");
        }

        var account = await grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key).FindByLogin(login);
        if (!passphrases.Verify(account, request.Passphrase))
        {
            throttle.Failed(login);
            return Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidCredentials, "The login or the passphrase is not right.");
        }

        throttle.Succeeded(login);
        var role = Roles.NameOf(account!.Role);
        Claim[] claims =
        [
            new(StaffClaims.Name, account.DisplayName),
            new(StaffClaims.Account, account.Id),
            new(StaffClaims.Version, account.Version.ToString(CultureInfo.InvariantCulture)),
            .. StaffClaims.ScopeClaims(account.Consultations),
        ];
        var token = issuer.Issue(account.Id, role, StaffLifetime, claims);
        return TypedResults.Ok(new LoginResponse(token, account.Id, account.DisplayName, role, account.Consultations, clock.GetUtcNow() + StaffLifetime));
    }
}
