using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>The staff directory grain on the real SQLite storage: invitations, expiry, durability.</summary>
[Trait("Category", "unit")]
public sealed class StaffDirectoryTests
{
    private static StaffInvitation Invitation(string login) => new(login, "Ana Putri", ViewerRole.Moderator, null, "key:test");

    [Fact]
    public async Task Invitation_code_works_once_and_not_after_it_expired()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var silo = await TestSilo.StartAsync(clock: clock);
        var directory = silo.Grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);

        await directory.Invite(Invitation("ana"), "hash-ana", clock.GetUtcNow().AddDays(7));
        await directory.Invite(Invitation("budi"), "hash-budi", clock.GetUtcNow().AddDays(7));
        var ana = await directory.Accept("hash-ana", "passphrase-hash");
        Assert.True(ana.Active);

        var reused = await Assert.ThrowsAsync<DialogueException>(() => directory.Accept("hash-ana", "other"));
        Assert.Equal(ErrorCodes.InvalidInvitation, reused.Code);

        clock.Advance(TimeSpan.FromDays(8));
        var expired = await Assert.ThrowsAsync<DialogueException>(() => directory.Accept("hash-budi", "passphrase-hash"));
        Assert.Equal(ErrorCodes.InvalidInvitation, expired.Code);
        Assert.Null((await directory.FindByLogin("budi"))!.PassphraseHash);
    }

    [Fact]
    public async Task Accounts_survive_a_restart_and_every_change_bumps_the_version()
    {
        await using var silo = await TestSilo.StartAsync();
        var directory = silo.Grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);
        var invited = await directory.Invite(Invitation("Ana.Putri"), "h", DateTimeOffset.UtcNow.AddDays(1));
        await directory.Accept("h", "hash-1");
        var before = (await directory.Get(invited.Id))!.Version;
        await directory.Update(invited.Id, new StaffAccountChange { Enabled = false });
        await silo.StopHostAsync();
        await silo.StartHostAsync();

        var account = await silo.Grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key).FindByLogin("ANA.PUTRI");
        Assert.NotNull(account);
        Assert.Equal(("ana.putri", false, "hash-1"), (account.Login, account.Enabled, account.PassphraseHash));
        Assert.True(account.Version > before);
    }

    [Fact]
    public async Task Bad_accounts_are_refused_with_their_code()
    {
        await using var silo = await TestSilo.StartAsync();
        var directory = silo.Grains.GetGrain<IStaffDirectoryGrain>(IStaffDirectoryGrain.Key);
        await directory.Invite(Invitation("ana"), "h1", DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(ErrorCodes.LoginTaken, (await Assert.ThrowsAsync<DialogueException>(() => directory.Invite(Invitation("ANA"), "h2", DateTimeOffset.UtcNow.AddDays(1)))).Code);
        Assert.Equal(ErrorCodes.InvalidAccount, (await Assert.ThrowsAsync<DialogueException>(() => directory.Invite(Invitation("a b"), "h3", DateTimeOffset.UtcNow.AddDays(1)))).Code);
        Assert.Equal(ErrorCodes.InvalidAccount, (await Assert.ThrowsAsync<DialogueException>(() => directory.Invite(Invitation("citizen") with { Role = ViewerRole.Participant }, "h4", DateTimeOffset.UtcNow.AddDays(1)))).Code);
        Assert.Equal(ErrorCodes.InvalidAccount, (await Assert.ThrowsAsync<DialogueException>(() => directory.Invite(Invitation("scoped") with { Consultations = [] }, "h5", DateTimeOffset.UtcNow.AddDays(1)))).Code);
        Assert.Equal(ErrorCodes.InvalidAccount, (await Assert.ThrowsAsync<DialogueException>(() => directory.Invite(Invitation("scoped") with { Consultations = ["not a code"] }, "h6", DateTimeOffset.UtcNow.AddDays(1)))).Code);
    }

    [Fact]
    public void Log_entries_hash_the_acting_account_and_entries_without_one_hash_as_before()
    {
        var entry = new ModerationLogEntry(7, DateTimeOffset.UnixEpoch, "approve", "i1", "Warga 1", null, null, "Ana Putri", false, ModerationLog.Genesis, string.Empty);
        var old = ModerationLog.Seal(entry, ModerationLog.Genesis);

        // The canonical form of entries written before staff accounts, spelled out: their chains keep verifying.
        var canonical = string.Join('\u001f', "7", DateTimeOffset.UnixEpoch.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), "approve", "i1", "Warga 1", "", "", "Ana Putri", "0", ModerationLog.Genesis);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))), old.Hash);

        var withAccount = ModerationLog.Seal(entry with { ByAccount = "s1234" }, ModerationLog.Genesis);
        Assert.NotEqual(old.Hash, withAccount.Hash);
        Assert.False(ModerationLog.Verify([withAccount with { ByAccount = "s9999" }]).Valid);
    }
}
