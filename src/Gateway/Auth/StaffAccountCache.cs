using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Storage;
using Polly;

namespace OpenGov.Dialogue.Gateway.Auth;

/// <summary>
/// This gateway's copy of the staff accounts its tokens name, each re-read from the directory grain at
/// most every <see cref="DialogueOptions.StaffAccountRecheckSeconds"/>: a disabled or changed account's
/// tokens stop working on every gateway within that time, without a grain call per request.
/// </summary>
public sealed class StaffAccountCache(IGrainFactory grains, TimeProvider clock, IOptions<DialogueOptions> options)
{
    private readonly ConcurrentDictionary<string, (StaffAccount? Account, DateTimeOffset ReadAt)> _accounts = new(StringComparer.Ordinal);
    private readonly TimeSpan _window = TimeSpan.FromSeconds(options.Value.StaffAccountRecheckSeconds);
    private (bool Any, DateTimeOffset ReadAt) _hasAccounts = (false, DateTimeOffset.MinValue);

    /// <summary>The directory reads are idempotent: a storage hiccup (a pooled connection the database dropped) is retried.</summary>
    private readonly ResiliencePipeline _retry = StorageRetry.Create(ex => ex is OrleansException or TimeoutException or System.Data.Common.DbException);

    private IStaffDirectoryGrain Directory => grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);

    public async ValueTask<StaffAccount?> Get(string accountId)
    {
        var now = clock.GetUtcNow();
        if (_accounts.TryGetValue(accountId, out var cached) && now - cached.ReadAt < _window)
        {
            return cached.Account;
        }

        var account = await _retry.ExecuteAsync(async _ => await Directory.Get(accountId));
        _accounts[accountId] = (account, now);
        return account;
    }

    /// <summary>After a change made through this gateway: it takes effect here at once.</summary>
    public void Forget(string accountId) => _accounts.TryRemove(accountId, out _);

    /// <summary>Once true it stays true (accounts are disabled, never deleted).</summary>
    public async ValueTask<bool> HasAccounts()
    {
        var (any, readAt) = _hasAccounts;
        var now = clock.GetUtcNow();
        if (any || now - readAt < _window)
        {
            return any;
        }

        any = await _retry.ExecuteAsync(async _ => await Directory.HasAccounts());
        _hasAccounts = (any, now);
        return any;
    }

    public void AccountsExist() => _hasAccounts = (true, clock.GetUtcNow());

    /// <summary>
    /// Whether a validated token still speaks for its holder: an account's token while the account is
    /// enabled and unchanged (same version); an admin-key token for a moderator or official only until
    /// the first account exists; a staff token without a scope (issued before accounts) never.
    /// </summary>
    public async ValueTask<bool> Accepts(ClaimsPrincipal user)
    {
        if (!Roles.IsStaff(user))
        {
            return true;
        }

        if (user.FindFirst(StaffClaims.Scope) is null)
        {
            return false;
        }

        if (user.FindFirst(StaffClaims.Account)?.Value is { } accountId)
        {
            var account = await Get(accountId);
            return account is { Enabled: true }
                && user.FindFirst(StaffClaims.Version)?.Value == account.Version.ToString(CultureInfo.InvariantCulture);
        }

        var subject = StaffClaims.SubjectOf(user) ?? string.Empty;
        if (subject.StartsWith(StaffClaims.KeyPrefix, StringComparison.Ordinal) && !user.IsInRole(Roles.Admin))
        {
            return !await HasAccounts();
        }

        return true;
    }
}
