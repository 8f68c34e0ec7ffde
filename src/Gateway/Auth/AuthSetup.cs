using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.Tokens;

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

    public static void AddDialogueAuth(this WebApplicationBuilder builder, DialogueOptions options)
    {
        var keys = GatewayKeys.Load(options, Console.WriteLine);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<ParticipantProof>();
        builder.Services.AddSingleton<JoinCodes>();
        builder.Services.AddSingleton<AdmissionFailures>();
        builder.Services.AddSingleton<IUserIdProvider, CitizenUserIdProvider>();
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
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
                    // Browsers cannot set headers on WebSockets: the hub takes the token from the query string.
                    OnMessageReceived = context =>
                    {
                        var token = context.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is ClaimsIdentity validated)
                        {
                            context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                                validated.Claims.Where(c => !TransientClaims.Contains(c.Type)),
                                validated.AuthenticationType,
                                validated.NameClaimType,
                                validated.RoleClaimType));
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        // Guessing the admin key: a handful of tries a minute per client address.
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
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    type: Errors.ProblemTypes.For(Contracts.ErrorCodes.RateLimited),
                    detail: "Too many attempts; try again in a minute.").ExecuteAsync(context.HttpContext);
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Participant, p => p.RequireRole(Roles.Participant).RequireClaim(Roles.CitizenClaim))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin))
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
