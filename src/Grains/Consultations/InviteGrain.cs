using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

[GenerateSerializer, Alias("dialogue.invite-state")]
public sealed class InviteState
{
    /// <summary>Hashes of codes not yet used.</summary>
    [Id(0)] public HashSet<string> Unused { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Hashes of codes used (kept so a spent code is told apart from a wrong one only by count, never reissued).</summary>
    [Id(1)] public HashSet<string> Spent { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One shard of a consultation's one-time invitation codes. Only hashes are stored; a redemption is one
/// state write, and the grain's single thread makes "used once" hold under concurrent redemptions.
/// </summary>
public sealed class InviteGrain(
    [PersistentState("invites", StorageNames.Grains)] IPersistentState<InviteState> state) : Grain, IInviteGrain
{
    public async Task<int> Add(IReadOnlyList<string> hashes)
    {
        var added = hashes.Count(h => !state.State.Spent.Contains(h) && state.State.Unused.Add(h));
        if (added > 0)
        {
            await state.WriteStateAsync();
        }

        return added;
    }

    public async Task<bool> Redeem(string hash)
    {
        if (!state.State.Unused.Remove(hash))
        {
            return false;
        }

        state.State.Spent.Add(hash);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored: the code stays usable (nothing acknowledged was lost, nothing half-done is kept).
            state.State.Spent.Remove(hash);
            state.State.Unused.Add(hash);
            throw;
        }

        return true;
    }

    public Task<InviteCount> Count() =>
        Task.FromResult(new InviteCount(state.State.Unused.Count + state.State.Spent.Count, state.State.Spent.Count));
}
