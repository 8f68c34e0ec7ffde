using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Staff;

[GenerateSerializer, Alias("dialogue.staff-directory-state")]
public sealed class StaffDirectoryState
{
    [Id(0)] public List<StaffAccount> Accounts { get; set; } = [];
}

/// <summary>
/// Every staff account in one small grain state (a few hundred people at most): durable in the
/// grain storage of the installation (SQLite or PostgreSQL), so every gateway of a cluster sees the
/// same accounts. Each change is written before the call returns.
/// </summary>
public sealed class StaffDirectoryGrain(
    [PersistentState("staff", StorageNames.Grains)] IPersistentState<StaffDirectoryState> state,
    TimeProvider clock) : Grain, IStaffDirectoryGrain
{
    private List<StaffAccount> Accounts => state.State.Accounts;

    public async Task<StaffAccountView> Invite(StaffInvitation invitation, string invitationHash, DateTimeOffset expires)
    {
        var login = StaffAccountRules.CheckedLogin(invitation.Login);
        if (Accounts.Any(a => a.Login == login))
        {
            throw new DialogueException(ErrorCodes.LoginTaken, $"An account with login '{login}' exists already.");
        }

        var account = new StaffAccount(
            "s" + Guid.NewGuid().ToString("N")[..16],
            login,
            StaffAccountRules.CheckedDisplayName(invitation.DisplayName),
            StaffAccountRules.CheckedRole(invitation.Role),
            StaffAccountRules.CheckedScope(invitation.Consultations),
            Enabled: true,
            Version: 1,
            PassphraseHash: null,
            invitationHash,
            expires,
            clock.GetUtcNow(),
            invitation.InvitedBy);
        Accounts.Add(account);
        await state.WriteStateAsync();
        return account.View();
    }

    public async Task<StaffAccountView> Accept(string invitationHash, string passphraseHash)
    {
        var index = Accounts.FindIndex(a => a.InvitationHash == invitationHash);
        if (index < 0 || Accounts[index].InvitationExpires <= clock.GetUtcNow() || !Accounts[index].Enabled)
        {
            throw new DialogueException(ErrorCodes.InvalidInvitation, "The invitation code is not valid, was used already or has expired.");
        }

        var account = Accounts[index] with { PassphraseHash = passphraseHash, InvitationHash = null, InvitationExpires = null, Version = Accounts[index].Version + 1 };
        return await Replace(index, account);
    }

    public async Task<StaffAccountView> Reinvite(string accountId, string invitationHash, DateTimeOffset expires)
    {
        var index = IndexOf(accountId);
        return await Replace(index, Accounts[index] with { PassphraseHash = null, InvitationHash = invitationHash, InvitationExpires = expires, Version = Accounts[index].Version + 1 });
    }

    public Task<StaffAccount?> FindByLogin(string login)
    {
        var normalized = StaffAccountRules.NormalizeLogin(login);
        return Task.FromResult(Accounts.Find(a => a.Login == normalized));
    }

    public Task<StaffAccount?> Get(string accountId) => Task.FromResult(Accounts.Find(a => a.Id == accountId));

    public Task<IReadOnlyList<StaffAccountView>> List() =>
        Task.FromResult<IReadOnlyList<StaffAccountView>>([.. Accounts.OrderBy(a => a.Login, StringComparer.Ordinal).Select(a => a.View())]);

    public async Task<StaffAccountView> Update(string accountId, StaffAccountChange change)
    {
        var index = IndexOf(accountId);
        var current = Accounts[index];
        var changed = current with
        {
            Role = change.Role is { } role ? StaffAccountRules.CheckedRole(role) : current.Role,
            DisplayName = change.DisplayName is { } name ? StaffAccountRules.CheckedDisplayName(name) : current.DisplayName,
            Enabled = change.Enabled ?? current.Enabled,
            Consultations = change.AllConsultations ? null : change.Consultations is { } scope ? StaffAccountRules.CheckedScope(scope) : current.Consultations,
        };
        return changed == current ? current.View() : await Replace(index, changed with { Version = current.Version + 1 });
    }

    public Task<bool> HasAccounts() => Task.FromResult(Accounts.Count > 0);

    private int IndexOf(string accountId)
    {
        var index = Accounts.FindIndex(a => a.Id == accountId);
        return index >= 0 ? index : throw new DialogueException(ErrorCodes.NotFound, $"No staff account '{accountId}'.");
    }

    private async Task<StaffAccountView> Replace(int index, StaffAccount account)
    {
        Accounts[index] = account;
        await state.WriteStateAsync();
        return account.View();
    }
}
