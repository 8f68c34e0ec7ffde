using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.Tokens;
using OpenGov.Dialogue.Gateway.Lite;

namespace OpenGov.Dialogue.Gateway.Auth;

public static class AuthSetup
{
    public const string Issuer = "opengov-dialogue";

    public const string StaffLoginLimit = "staff-login";

    public const string ParticipantMintLimit = "participant-mint";

    public const string AnonymousReadLimit = "anonymous-read";

    /// <summary>The client's address: the socket's, or the forwarded one when the request came through a configured proxy (UseForwardedHeaders ran first).</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Checked once when the token is validated; nothing reads them afterwards.</summary>
    private static readonly HashSet<string> TransientClaims =
        [JwtRegisteredClaimNames.Iss, JwtRegisteredClaimNames.Aud, JwtRegisteredClaimNames.Nbf, JwtRegisteredClaimNames.Iat, JwtRegisteredClaimNames.Jti];

    /// <summary>The bearer token of a request: the Authorization header, or for the hub the query string.</summary>
    public static string? TokenOf(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        var query = http.Request.Query["access_token"].ToString();
        return query.Length > 0 && http.Request.Path.StartsWithSegments("/hubs") ? query : null;
    }

    /// <summary>Browsers cannot set headers on WebSockets: the hub takes the token from the query string.</summary>
    public static Task TakeHubToken(MessageReceivedContext context)
    {
        var token = context.Request.Query["access_token"];
        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    public static void AddDialogueAuth(this WebApplicationBuilder builder, DialogueOptions options, string dataDirectory)
    {
        var keys = GatewayKeys.Load(options, dataDirectory, Console.WriteLine);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<StaffAccountCache>();
        builder.Services.AddSingleton<StaffPassphrases>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<StaffConnections>();
        builder.Services.AddHostedService<StaffConnectionSweep>();
        builder.Services.AddSingleton<ParticipantProof>();
        builder.Services.AddSingleton<JoinCodes>();
        builder.Services.AddSingleton<AdmissionFailures>();
        builder.Services.AddSingleton<IUserIdProvider, CitizenUserIdProvider>();

        // Registered before the hub's own filter, so it runs first on every call.
        builder.Services.Configure<HubOptions>(o => o.AddFilter<StaffScopeHubFilter>());
        var singleSignOn = !string.IsNullOrWhiteSpace(options.Oidc.Authority);
        var auth = builder.Services.AddAuthentication(singleSignOn ? SingleSignOn.SelectorScheme : JwtBearerDefaults.AuthenticationScheme);
        if (singleSignOn)
        {
            auth.AddSingleSignOn(options.Oidc);
        }

        auth.AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;

                // A live connection keeps its principal for hours: keep neither the token text nor the
                // parsed token behind the identity (several KiB per connection in a hall of thousands).
                o.SaveToken = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = Issuer,
                    ValidAudience = Issuer,
                    IssuerSigningKey = new SymmetricSecurityKey(keys.SigningKey),
                    NameClaimType = JwtRegisteredClaimNames.Sub,
                    RoleClaimType = "role",
                    ClockSkew = TimeSpan.FromMinutes(1),
                };
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = TakeHubToken,
                    OnTokenValidated = async context =>
                    {
                        if (context.Principal?.Identity is ClaimsIdentity validated)
                        {
                            context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                                validated.Claims.Where(c => !TransientClaims.Contains(c.Type)),
                                validated.AuthenticationType,
                                validated.NameClaimType,
                                validated.RoleClaimType));
                        }

                        // A disabled or changed account's tokens stop here, within the cache window.
                        var accounts = context.HttpContext.RequestServices.GetRequiredService<StaffAccountCache>();
                        if (context.Principal is null || !await accounts.Accepts(context.Principal))
                        {
                            context.Fail("The staff account is disabled or changed; sign in again.");
                        }
                    },
                };
            });
        // Guessing the admin key or a passphrase: a handful of tries a minute per client address (LoginThrottle adds one per account).
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(StaffLoginLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.StaffLoginsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(ParticipantMintLimit, http => RateLimitPartition.GetTokenBucketLimiter(
                ClientAddress(http),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.ParticipantTokensPerAddress,
                    TokensPerPeriod = Math.Max(1, options.ParticipantTokensPerAddress / 5),
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.AddPolicy(AnonymousReadLimit, http => http.User.Identity?.IsAuthenticated == true
                ? RateLimitPartition.GetNoLimiter("authenticated")
                : RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress(http),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.AnonymousReadsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                if (LiteSetup.IsLite(context.HttpContext))
                {
                    // The page without JavaScript answers with a page, not problem+json.
                    await LiteEndpoints.RefuseIdentity(context.HttpContext);
                    return;
                }

                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    type: Errors.ProblemTypes.For(Contracts.ErrorCodes.RateLimited),
                    detail: "Too many attempts; try again in a minute.").ExecuteAsync(context.HttpContext);
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Participant, p => p.RequireRole(Roles.Participant).RequireClaim(Roles.CitizenClaim))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.AccountAdmins, p => p.RequireRole(Roles.Admin).RequireClaim(StaffClaims.Scope, StaffClaims.AllConsultations))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.Moderators, p => p.RequireRole(Roles.Moderator, Roles.Admin))
            .AddPolicy(Policies.Officials, p => p.RequireRole(Roles.Official, Roles.Admin));
    }

    /// <summary>SignalR user id = citizen id, so a citizen's own notifications reach all their connections.</summary>
    private sealed class CitizenUserIdProvider : IUserIdProvider
    {
        public string? GetUserId(HubConnectionContext connection) => connection.User.FindFirst(Roles.CitizenClaim)?.Value;
    }
}

/// <summary>Authorization policy names beyond the single roles.</summary>
public static class Policies
{
    public const string Staff = "staff";
    public const string Moderators = "moderators";
    public const string Officials = "officials";

    /// <summary>Admins with every consultation in scope: they manage the staff accounts.</summary>
    public const string AccountAdmins = "account-admins";
}

/// <summary>Signs the gateway's JWTs.</summary>
public sealed class TokenIssuer(GatewayKeys keys, TimeProvider clock)
{
    private readonly SigningCredentials _credentials = new(new SymmetricSecurityKey(keys.SigningKey), SecurityAlgorithms.HmacSha256);

    public string Issue(string subject, string role, TimeSpan lifetime, params Claim[] extra)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, subject), new("role", role), new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")) };
        claims.AddRange(extra);
        var token = new JwtSecurityToken(AuthSetup.Issuer, AuthSetup.Issuer, claims, now, now + lifetime, _credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
