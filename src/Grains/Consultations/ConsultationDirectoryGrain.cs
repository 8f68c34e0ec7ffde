using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Consultations;

[GenerateSerializer, Alias("dialogue.directory-state")]
public sealed class DirectoryState
{
    [Id(0)] public List<ConsultationSummary> Consultations { get; set; } = [];
}

/// <summary>The list of consultations; one small row per consultation, written on create.</summary>
public sealed class ConsultationDirectoryGrain(
    [PersistentState("directory", StorageNames.Grains)] IPersistentState<DirectoryState> state) : Grain, IConsultationDirectoryGrain
{
    public async Task Register(ConsultationSummary summary)
    {
        var list = state.State.Consultations;
        var index = list.FindIndex(c => c.Id == summary.Id);
        if (index >= 0)
        {
            list[index] = summary;
        }
        else
        {
            list.Add(summary);
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ConsultationSummary>> List() =>
        Task.FromResult<IReadOnlyList<ConsultationSummary>>([.. state.State.Consultations.OrderByDescending(c => c.CreatedAt)]);
}
