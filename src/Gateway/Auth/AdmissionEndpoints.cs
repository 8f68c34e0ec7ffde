using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Errors;

namespace OpenGov.Dialogue.Gateway.Auth;

public sealed record ParticipantTokenRequest(string? Challenge, string? Nonce);

public sealed record JoinRequest(string? ConsultationId, string? Code, string? Challenge, string? Nonce);

public sealed record InviteRedeemRequest(string? ConsultationId, string? Code);

public sealed record IssueInvitesRequest(int? Count);

public sealed record IssuedInvites(IReadOnlyList<string> Codes, InviteCount Total);

/// <summary>
/// How participants get a token: open (a solved proof of work), code (the join code shown in the hall,
/// plus the proof of work) or invite (a one-time code). Code and invite tokens are bound to their
/// consultation. Staff read the join code to show and the tallies by admission; admins issue invitations.
/// </summary>
public static class AdmissionEndpoints
{
    public const string ErrorProof = "proof-required";
    public const string ErrorJoinCode = "invalid-join-code";
    public const string ErrorInvite = "invalid-invite";

    private static readonly TimeSpan ParticipantLifetime = TimeSpan.FromDays(30);

    public static void MapAdmission(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");

        auth.MapGet("/challenge", (ParticipantProof proof) => TypedResults.Ok(proof.Issue()))
            .WithName("ParticipantChallenge")
            .WithSummary("A proof-of-work challenge; solving it is the price of a new anonymous identity.");

        auth.MapPost("/participant", Results<Ok<ParticipantTokenResponse>, ProblemHttpResult> (ParticipantTokenRequest? request, ParticipantProof proof, TokenIssuer issuer) =>
            proof.Accept(request?.Challenge, request?.Nonce) is { } why
                ? Problems.Create(StatusCodes.Status400BadRequest, ErrorProof, why)
                : TypedResults.Ok(Mint(issuer, AdmissionMode.Open, null)))
            .RequireRateLimiting(AuthSetup.ParticipantMintLimit)
            .WithName("ParticipantToken")
            .WithSummary("A participant token for open consultations, for a solved challenge (limited per address).");

        auth.MapPost("/join", async Task<Results<Ok<ParticipantTokenResponse>, ProblemHttpResult>> (
            JoinRequest request, HttpContext http, ParticipantProof proof, JoinCodes codes, AdmissionFailures failures, TokenIssuer issuer, IGrainFactory grains) =>
        {
            if (failures.Exhausted(http))
            {
                return failures.TooMany(http);
            }

            if (proof.Accept(request.Challenge, request.Nonce) is { } why)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ErrorProof, why);
            }

            var info = await ConsultationAccess.Find(grains, request.ConsultationId);
            if (info is null || info.Admission != AdmissionMode.Code || !codes.Accepts(info.Id, info.JoinCodeMinutes, request.Code))
            {
                // One answer for "no such consultation", "not by code" and "wrong code": nothing to probe.
                failures.Count(http);
                return Problems.Create(StatusCodes.Status400BadRequest, ErrorJoinCode, "The join code is not valid (it changes every few minutes: use the one on the screen now).");
            }

            return TypedResults.Ok(Mint(issuer, AdmissionMode.Code, info.Id));
        })
            .RequireRateLimiting(AuthSetup.ParticipantMintLimit)
            .WithName("JoinByCode")
            .WithSummary("A participant token bound to one consultation, for the join code shown in the hall now and a solved challenge.");

        auth.MapPost("/invite", async Task<Results<Ok<ParticipantTokenResponse>, ProblemHttpResult>> (
            InviteRedeemRequest request, HttpContext http, AdmissionFailures failures, TokenIssuer issuer, IGrainFactory grains) =>
        {
            if (failures.Exhausted(http))
            {
                return failures.TooMany(http);
            }

            var info = await ConsultationAccess.Find(grains, request.ConsultationId);
            var hash = info is null ? null : InviteCodes.Hash(info.Id, request.Code);
            if (info is null || hash is null || info.Admission == AdmissionMode.Open || !await InviteCodes.Shard(grains, info.Id, hash).Redeem(hash))
            {
                failures.Count(http);
                return Problems.Create(StatusCodes.Status400BadRequest, ErrorInvite, "The invitation code is not valid or was used already.");
            }

            return TypedResults.Ok(Mint(issuer, AdmissionMode.Invite, info.Id));
        })
            .RequireRateLimiting(AuthSetup.ParticipantMintLimit)
            .WithName("JoinByInvitation")
            .WithSummary("A participant token bound to one consultation, for a one-time invitation code.");

        var consultations = app.MapGroup("/api/consultations").WithTags("Admission");

        consultations.MapGet("/{id}/join-code", async Task<Results<Ok<JoinCodeView>, ProblemHttpResult>> (string id, ClaimsPrincipal user, JoinCodes codes, IGrainFactory grains) =>
        {
            var info = await ConsultationAccess.Readable(grains, id, user);
            return info.Admission == AdmissionMode.Code
                ? TypedResults.Ok(codes.Current(info.Id, info.JoinCodeMinutes))
                : Problems.Create(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "This consultation does not admit by join code (admission is not 'code').");
        })
            .RequireAuthorization(Policies.Staff)
            .WithName("JoinCode")
            .WithSummary("The join code to show in the hall now, and when it changes (staff).");

        consultations.MapPost("/{id}/invites", async Task<Results<Ok<IssuedInvites>, ProblemHttpResult>> (string id, IssueInvitesRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            if (request.Count is not (>= 1 and <= InviteCodes.MaxPerRequest))
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ErrorInvite, $"count must be 1–{InviteCodes.MaxPerRequest}.");
            }

            var info = await ConsultationAccess.Readable(grains, id, user);
            var codes = Enumerable.Range(0, request.Count.Value).Select(_ => InviteCodes.New()).Distinct().ToList();
            var byShard = codes.Select(c => InviteCodes.Hash(info.Id, c)!).GroupBy(h => InviteCodes.Shard(grains, info.Id, h));
            await Task.WhenAll(byShard.Select(g => g.Key.Add([.. g])));
            return TypedResults.Ok(new IssuedInvites(codes, await InviteTotal(grains, info.Id)));
        })
            .RequireAuthorization(Roles.Admin)
            .WithName("IssueInvitations")
            .WithSummary("New one-time invitation codes (1–1000 per request); only their hashes are stored (admins).");

        consultations.MapGet("/{id}/invites", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await InviteTotal(grains, (await ConsultationAccess.Readable(grains, id, user)).Id)))
            .RequireAuthorization(Policies.Staff)
            .WithName("InvitationCount")
            .WithSummary("How many invitations were issued and redeemed (staff).");

        consultations.MapGet("/{id}/admission", async (string id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await ConsultationAccess.Readable(grains, id, user);
            return TypedResults.Ok(await ConsultationAccess.Grain(grains, id).GetAdmissionTallies());
        })
            .RequireAuthorization(Policies.Staff)
            .WithName("AdmissionTallies")
            .WithSummary("Participants and each item's voters by how they were admitted: open, code or invitation (staff).");
    }

    /// <summary>A new participant token: open ones are unbound; code and invitation ones are bound to their consultation.</summary>
    public static ParticipantTokenResponse Mint(TokenIssuer issuer, AdmissionMode mode, string? consultationId)
    {
        var citizenId = CitizenIds.New();
        var claims = new List<Claim> { new(Roles.CitizenClaim, citizenId) };
        if (mode != AdmissionMode.Open)
        {
            claims.Add(new Claim(Roles.AdmissionClaim, mode == AdmissionMode.Code ? "code" : "invite"));
            claims.Add(new Claim(Roles.AdmittedToClaim, consultationId!));
        }

        return new ParticipantTokenResponse(issuer.Issue(citizenId, Roles.Participant, ParticipantLifetime, [.. claims]), citizenId);
    }

    private static async Task<InviteCount> InviteTotal(IGrainFactory grains, string id)
    {
        var counts = await Task.WhenAll(InviteCodes.AllShards(grains, id).Select(s => s.Count()));
        return new InviteCount(counts.Sum(c => c.Issued), counts.Sum(c => c.Redeemed));
    }
}

/// <summary>
/// Wrong join or invitation codes per client address: after <see cref="DialogueOptions.AdmissionFailuresPerAddress"/>
/// in ten minutes the address gets 429 for the rest of the window. Right codes are never counted, so a
/// venue behind one address is not locked out by its own arrivals.
/// </summary>
public sealed class AdmissionFailures(IOptions<DialogueOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.AdmissionFailuresPerAddress,
            Window = Window,
            QueueLimit = 0,
        }));

    public bool Exhausted(HttpContext http) => _limiter.GetStatistics(AuthSetup.ClientAddress(http))?.CurrentAvailablePermits is 0;

    public void Count(HttpContext http) => _limiter.AttemptAcquire(AuthSetup.ClientAddress(http)).Dispose();

    public ProblemHttpResult TooMany(HttpContext http)
    {
        http.Response.Headers.RetryAfter = ((int)Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many wrong codes from this address: try again in ten minutes.");
    }
}
