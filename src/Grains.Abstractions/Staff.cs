namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// The named staff accounts of this installation: one small record per person, durable in grain
/// storage and shared by every gateway of a cluster. Passphrases are hashed by the gateway (the
/// CPU-heavy part stays out of the single-threaded grain); the grain stores and compares hashes only.
/// </summary>
[Alias("dialogue.staff-directory")]
public interface IStaffDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The one directory grain's key.</summary>
    const string Key = "staff";

    /// <summary>Creates an account waiting for its passphrase; <paramref name="invitationHash"/> is the SHA-256 of the one-time code.</summary>
    [Alias("invite")]
    Task<StaffAccountView> Invite(StaffInvitation invitation, string invitationHash, DateTimeOffset expires);

    /// <summary>Sets the first passphrase of the account the (unexpired, unused) code belongs to; the code is spent.</summary>
    [Alias("accept")]
    Task<StaffAccountView> Accept(string invitationHash, string passphraseHash);

    /// <summary>Issues a new invitation code for an existing account (a forgotten passphrase); the old passphrase stops working.</summary>
    [Alias("reinvite")]
    Task<StaffAccountView> Reinvite(string accountId, string invitationHash, DateTimeOffset expires);

    /// <returns>Null when no account has this login.</returns>
    [Alias("find-login")]
    Task<StaffAccount?> FindByLogin(string login);

    /// <returns>Null when no account has this id.</returns>
    [Alias("get")]
    Task<StaffAccount?> Get(string accountId);

    [Alias("list")]
    Task<IReadOnlyList<StaffAccountView>> List();

    /// <summary>Role, scope, display name or enabled; every change bumps the account's version, so its tokens stop working.</summary>
    [Alias("update")]
    Task<StaffAccountView> Update(string accountId, StaffAccountChange change);

    /// <summary>True once the first account was invited: from then on the admin key is for bootstrap admin work only.</summary>
    [Alias("any")]
    Task<bool> HasAccounts();
}

/// <summary>What an admin fills in to invite someone.</summary>
/// <param name="Consultations">Consultation ids the account may act on; null for all of them.</param>
[GenerateSerializer, Alias("dialogue.staff-invitation")]
public sealed record StaffInvitation(
    [property: Id(0)] string Login,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] ViewerRole Role,
    [property: Id(3)] IReadOnlyList<string>? Consultations,
    [property: Id(4)] string InvitedBy);

/// <summary>A change to an account; null fields stay as they are.</summary>
[GenerateSerializer, Alias("dialogue.staff-account-change")]
public sealed record StaffAccountChange
{
    [Id(0)] public ViewerRole? Role { get; init; }

    [Id(1)] public string? DisplayName { get; init; }

    [Id(2)] public bool? Enabled { get; init; }

    /// <summary>Set to change the scope; with <see cref="AllConsultations"/> the list is ignored.</summary>
    [Id(3)] public IReadOnlyList<string>? Consultations { get; init; }

    [Id(4)] public bool AllConsultations { get; init; }
}

/// <summary>The stored account, hashes included: for the gateway's login check and token re-check, never for clients.</summary>
[GenerateSerializer, Immutable, Alias("dialogue.staff-account")]
public sealed record StaffAccount(
    [property: Id(0)] string Id,
    [property: Id(1)] string Login,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] ViewerRole Role,
    [property: Id(4)] IReadOnlyList<string>? Consultations,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] int Version,
    [property: Id(7)] string? PassphraseHash,
    [property: Id(8)] string? InvitationHash,
    [property: Id(9)] DateTimeOffset? InvitationExpires,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] string InvitedBy)
{
    public StaffAccountView View() =>
        new(Id, Login, DisplayName, Role, Consultations, Enabled, PassphraseHash is not null, InvitationHash is not null ? InvitationExpires : null, CreatedAt, InvitedBy);
}

/// <summary>An account as admins see it: no hashes.</summary>
/// <param name="Active">True once the person has set a passphrase.</param>
/// <param name="InvitationExpires">When an open invitation stops working; null when none is open.</param>
[GenerateSerializer, Immutable, Alias("dialogue.staff-account-view")]
public sealed record StaffAccountView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Login,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] ViewerRole Role,
    [property: Id(4)] IReadOnlyList<string>? Consultations,
    [property: Id(5)] bool Enabled,
    [property: Id(6)] bool Active,
    [property: Id(7)] DateTimeOffset? InvitationExpires,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] string InvitedBy);
