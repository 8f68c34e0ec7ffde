using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Channels;

[GenerateSerializer, Alias("dialogue.channel-directory-state")]
public sealed class ChannelDirectoryState
{
    [Id(0)] public HashSet<string> CitizenIds { get; set; } = [];
}

/// <summary>One shard of the conversations that keep a number (ids only); written when a conversation starts or ends, never per message.</summary>
public sealed class ChannelDirectoryGrain(
    [PersistentState("channel-directory", StorageNames.Grains)] IPersistentState<ChannelDirectoryState> state) : Grain, IChannelDirectoryGrain
{
    public async Task Add(string citizenId)
    {
        if (state.State.CitizenIds.Add(citizenId))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task Remove(string citizenId)
    {
        if (state.State.CitizenIds.Remove(citizenId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.CitizenIds]);
}
