using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Silo;
using Orleans.Runtime;
using Orleans.Storage;

namespace OpenGov.Dialogue.Tests;

/// <summary>
/// Grain-state storage that fails writes of one state type while <see cref="FailWrites"/> is set, in front
/// of the real SQLite storage: what a database outage looks like to a grain.
/// </summary>
public sealed class FaultyStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    public volatile string? FailWrites;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        FailWrites == stateName ? throw new TimeoutException("storage is down (test)") : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        FailWrites == stateName ? throw new TimeoutException("storage is down (test)") : inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>A citizen-state write that fails leaves nothing behind in memory, and no vote counted that the citizen's data would not find.</summary>
[Trait("Category", "unit")]
public sealed class CitizenRollbackTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));
    private IHost? _host;
    private FaultyStorage? _storage;

    [Fact]
    public async Task A_failed_write_rolls_back_and_a_retry_after_the_outage_succeeds()
    {
        var grains = await StartAsync();
        var consultationId = ConsultationIds.New();
        var consultation = grains.GetGrain<IConsultationGrain>(consultationId);
        await consultation.Create(new CreateConsultation("Musrenbang", "", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        var author = grains.GetGrain<ICitizenGrain>(CitizenIds.New());
        var item = (await author.Submit(consultationId, "c1", "Lampu jalan mati")).ItemId;

        var voterId = CitizenIds.New();
        var voter = grains.GetGrain<ICitizenGrain>(voterId);
        _storage!.FailWrites = "citizen";
        await Assert.ThrowsAnyAsync<Exception>(() => voter.Vote(consultationId, item, 1));
        await Assert.ThrowsAnyAsync<Exception>(() => voter.Submit(consultationId, "c2", "Tidak tersimpan"));
        await Assert.ThrowsAnyAsync<Exception>(() => voter.ApplySanction(consultationId, new Sanction(SanctionKind.Ban, "spam", null)));

        // Nothing half-done in the citizen's state: no item, no participation or sanction remembered in memory.
        // The vote is cast while its record is written, so it may have counted, but it was not acknowledged.
        Assert.Equal(1, (await consultation.GetInfo())!.ItemCount);
        Assert.InRange((await consultation.GetRanking(RankingSort.Popular, false, 10)).Single().Votes.Up, 0, 1);
        var data = await voter.GetData(null);
        Assert.Empty(data.Consultations);
        Assert.Empty(data.Sanctions);

        // The client's retry of the same vote after the outage counts it once and writes the record, so the
        // data request finds it.
        _storage.FailWrites = null;
        await voter.Vote(consultationId, item, 1);
        Assert.Equal(1, (await consultation.GetRanking(RankingSort.Popular, false, 10)).Single().Votes.Up);
        var votes = Assert.Single((await voter.GetData(null)).Consultations);
        Assert.Equal(consultationId, votes.ConsultationId);
        Assert.Single(votes.Votes);
    }

    [Fact]
    public async Task A_first_vote_is_acknowledged_only_after_its_record_is_stored()
    {
        var grains = await StartAsync();
        var consultationId = ConsultationIds.New();
        var consultation = grains.GetGrain<IConsultationGrain>(consultationId);
        await consultation.Create(new CreateConsultation("Musrenbang", "", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        var item = (await grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Submit(consultationId, "c1", "Lampu jalan mati")).ItemId;

        // Every acknowledged vote is found by the citizen's data request, read from storage after a restart.
        var voterIds = Enumerable.Range(0, 20).Select(_ => CitizenIds.New()).ToList();
        await Task.WhenAll(voterIds.Select(v => grains.GetGrain<ICitizenGrain>(v).Vote(consultationId, item, 1)));
        await _host!.StopAsync();
        _host.Dispose();
        grains = await StartAsync();
        consultation = grains.GetGrain<IConsultationGrain>(consultationId);
        foreach (var voter in voterIds.Select(v => grains.GetGrain<ICitizenGrain>(v)))
        {
            Assert.Single(Assert.Single((await voter.GetData(consultationId)).Consultations).Votes);
        }

        Assert.Equal(20, (await consultation.GetRanking(RankingSort.Popular, false, 10)).Single().Votes.Up);
    }

    private async Task<IGrainFactory> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dialogue:DataDirectory"] = _directory,
            ["Dialogue:SiloPort"] = Ports.FreeText(),
            ["Dialogue:GatewayPort"] = Ports.FreeText(),
        });
        builder.AddDialogueSilo();

        // Put the fault switch in front of the real grain storage.
        var real = builder.Services.Single(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, StorageNames.Grains));
        builder.Services.Remove(real);
        builder.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains, (services, key) =>
        {
            var inner = real.KeyedImplementationFactory is { } factory ? (IGrainStorage)factory(services, key)
                : real.KeyedImplementationInstance is IGrainStorage instance ? instance
                : (IGrainStorage)ActivatorUtilities.CreateInstance(services, real.KeyedImplementationType!);
            return _storage = new FaultyStorage(inner);
        });
        _host = builder.Build();
        await _host.StartAsync();
        _ = _host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        return _host.Services.GetRequiredService<IGrainFactory>();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
