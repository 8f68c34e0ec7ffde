using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <param name="Consultations">Consultation ids the account may act on; absent or null for all.</param>
public sealed record InviteRequest(string? Login, string? DisplayName, string? Role, IReadOnlyList<string>? Consultations);

/// <summary>The invitation code is shown here once; the server keeps only its hash.</summary>
public sealed record InvitationResponse(StaffAccountView Account, string Code, string Link, DateTimeOffset Expires);

/// <param name="AllConsultations">True to lift the scope; otherwise <see cref="Consultations"/>, when sent, replaces it.</param>
public sealed record AccountChangeRequest(string? Role, string? DisplayName, bool? Enabled, IReadOnlyList<string>? Consultations, bool? AllConsultations);

/// <summary>Staff account administration, for admins with every consultation in scope (the admin key's token included).</summary>
public static class StaffAccountEndpoints
{
    /// <summary>The page where the invited person sets a passphrase; the code travels in the fragment, which browsers never send to a server.</summary>
    public const string WelcomePage = "/welcome";

    public static void MapStaffAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/staff/accounts").WithTags("Staff accounts").RequireAuthorization(Policies.AccountAdmins);

        group.MapGet("/", async (IGrainFactory grains) => TypedResults.Ok(await Directory(grains).List()))
            .WithName("ListStaffAccounts")
            .WithSummary("Every staff account with its role, scope and state (account admins).");

        group.MapPost("/", async Task<Created<InvitationResponse>> (InviteRequest request, HttpContext http, IGrainFactory grains, StaffAccountCache accounts, IOptions<DialogueOptions> options, TimeProvider clock) =>
        {
            var role = Roles.StaffRole(request.Role) ?? throw new DialogueException(ErrorCodes.InvalidAccount, "role must be admin, moderator or official.");
            var (code, hash) = StaffPassphrases.NewInvitationCode();
            var expires = clock.GetUtcNow().AddDays(options.Value.InvitationDays);
            var invitedBy = Roles.ActorOf(http.User);
            var account = await Directory(grains).Invite(
                new StaffInvitation(request.Login ?? string.Empty, request.DisplayName ?? string.Empty, role, request.Consultations, invitedBy.Key),
                hash,
                expires);
            accounts.AccountsExist();
            return TypedResults.Created($"/api/staff/accounts/{account.Id}", new InvitationResponse(account, code, LinkFor(http, code), expires));
        })
            .WithName("InviteStaff")
            .WithSummary("Invites a moderator, official or admin: a one-time code and link to set a passphrase (account admins).");

        group.MapPatch("/{accountId}", async (string accountId, AccountChangeRequest request, IGrainFactory grains, StaffAccountCache accounts) =>
        {
            ViewerRole? role = request.Role is null ? null
                : Roles.StaffRole(request.Role) ?? throw new DialogueException(ErrorCodes.InvalidAccount, "role must be admin, moderator or official.");
            var account = await Directory(grains).Update(accountId, new StaffAccountChange
            {
                Role = role,
                DisplayName = request.DisplayName,
                Enabled = request.Enabled,
                Consultations = request.Consultations,
                AllConsultations = request.AllConsultations ?? false,
            });
            accounts.Forget(accountId);
            return TypedResults.Ok(account);
        })
            .WithName("UpdateStaffAccount")
            .WithSummary("Changes an account's role, name, scope or enables/disables it; its tokens follow at once (account admins).");

        // A forgotten passphrase: a new one-time code; the old passphrase and the account's tokens stop working.
        group.MapPost("/{accountId}/invitation", async (string accountId, HttpContext http, IGrainFactory grains, StaffAccountCache accounts, IOptions<DialogueOptions> options, TimeProvider clock) =>
        {
            var (code, hash) = StaffPassphrases.NewInvitationCode();
            var expires = clock.GetUtcNow().AddDays(options.Value.InvitationDays);
            var account = await Directory(grains).Reinvite(accountId, hash, expires);
            accounts.Forget(accountId);
            return TypedResults.Ok(new InvitationResponse(account, code, LinkFor(http, code), expires));
        })
            .WithName("ReinviteStaff")
            .WithSummary("A new one-time code for a forgotten passphrase; the old passphrase and tokens stop working (account admins).");
    }

    private static string LinkFor(HttpContext http, string code) => $"{http.Request.Scheme}://{http.Request.Host}{WelcomePage}#code={code}";

    private static IStaffDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);
}
