using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Contracts;
using Orleans.Runtime;
using Orleans.Storage;

namespace OpenGov.Dialogue.Tests;

/// <summary>What a silo restart on the same storage keeps, and the grain-storage contract; run once per storage.</summary>
public abstract class RestartTests
{
    protected abstract Dictionary<string, string?> StorageSettings { get; }

    [Fact]
    public async Task Consultation_items_votes_and_pseudonyms_survive_a_silo_restart()
    {
        await using var silo = await TestSilo.StartAsync(StorageSettings);
        var id = ConsultationIds.New();
        await silo.Grains.GetGrain<IConsultationGrain>(id).Create(new CreateConsultation("Musrenbang", "d", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        var citizenId = CitizenIds.New();
        var citizen = silo.Grains.GetGrain<ICitizenGrain>(citizenId);
        var pseudonym = await citizen.GetPseudonym(id);
        var first = await citizen.Submit(id, "c1", "Satu");
        await citizen.Submit(id, "c2", "Dua");
        await silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Vote(id, first.ItemId, 1);

        await silo.StopHostAsync();
        await silo.StartHostAsync();

        var consultation = silo.Grains.GetGrain<IConsultationGrain>(id);
        var info = await consultation.GetInfo();
        Assert.Equal("Musrenbang", info!.Title);
        Assert.Equal(3, info.LastSeq);
        var items = (await consultation.GetItems(new Viewer(ViewerRole.Moderator, null), 0, 10)).Items;
        Assert.Equal(["Dua", "Satu"], items.Select(i => i.Text));
        Assert.Equal(1, items.Single(i => i.Id == first.ItemId).Votes.Up);
        Assert.Equal(pseudonym, await silo.Grains.GetGrain<ICitizenGrain>(citizenId).GetPseudonym(id));
        Assert.Equal(SubmitOutcome.Repeat, (await silo.Grains.GetGrain<ICitizenGrain>(citizenId).Submit(id, "c1", "Satu")).Outcome);
        var third = await silo.Grains.GetGrain<ICitizenGrain>(citizenId).Submit(id, "c3", "Tiga");
        Assert.Equal(("i3", 4L), (third.ItemId, third.Seq));
        Assert.Contains(await silo.Grains.GetGrain<IConsultationDirectoryGrain>(0).List(), c => c.Id == id);
    }

    [Fact]
    public async Task Changed_withdrawn_and_merged_votes_replay_to_the_same_tallies_after_a_silo_restart()
    {
        await using var silo = await TestSilo.StartAsync(StorageSettings);
        var qa = ConsultationIds.New();
        var deliberation = ConsultationIds.New();
        await silo.Grains.GetGrain<IConsultationGrain>(qa).Create(new CreateConsultation("Tanya", "d", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        await silo.Grains.GetGrain<IConsultationGrain>(deliberation).Create(new CreateConsultation("Musyawarah", "d", ConsultationMode.Deliberation, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        var author = silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New());
        var duplicate = (await author.Submit(qa, "c1", "Kapan bus listrik ke Depok?")).ItemId;
        var target = (await author.Submit(qa, "c2", "Bus listrik rute Depok kapan mulai?")).ItemId;
        var statement = (await author.Submit(deliberation, "c3", "Trotoar untuk pejalan kaki dulu")).ItemId;
        var voters = Enumerable.Range(0, 4).Select(_ => CitizenIds.New()).ToArray();
        ICitizenGrain Voter(int i) => silo.Grains.GetGrain<ICitizenGrain>(voters[i]);

        await Voter(0).Vote(qa, duplicate, 1);
        await Voter(1).Vote(qa, duplicate, 1);
        await Voter(1).Vote(qa, target, 1);
        await Voter(2).Vote(qa, target, 1);
        await Voter(2).Vote(qa, target, 0);
        await Voter(3).Vote(qa, target, 1);
        await silo.Grains.GetGrain<IConsultationGrain>(qa).Moderate(new ModerationCommand(ModerationActions.Merge, [duplicate], new Actor("Ana", ViewerRole.Moderator)) { TargetId = target });
        await Voter(0).Vote(deliberation, statement, 1);
        await Voter(1).Vote(deliberation, statement, 1);
        await Voter(1).Vote(deliberation, statement, -1);
        await Voter(2).Vote(deliberation, statement, 0);
        var before = await Tallies();

        await silo.StopHostAsync();
        await silo.StartHostAsync();

        Assert.Equal(before, await Tallies());
        Assert.Equal((new VoteTally(3, 0, 0, 0), VoteTally.Empty, new VoteTally(0, 1, 1, 1)), before);

        // Replayed votes are known per citizen: the same vote again writes nothing, a change is one event.
        var lastSeq = (await silo.Grains.GetGrain<IConsultationGrain>(deliberation).GetInfo())!.LastSeq;
        var qaLastSeq = (await silo.Grains.GetGrain<IConsultationGrain>(qa).GetInfo())!.LastSeq;
        await Voter(1).Vote(deliberation, statement, -1);
        await Voter(0).Vote(qa, target, 1);
        Assert.Equal(lastSeq, (await silo.Grains.GetGrain<IConsultationGrain>(deliberation).GetInfo())!.LastSeq);
        Assert.Equal(qaLastSeq, (await silo.Grains.GetGrain<IConsultationGrain>(qa).GetInfo())!.LastSeq);
        var changed = await Voter(2).Vote(deliberation, statement, 1);
        Assert.Equal((lastSeq + 1, new VoteTally(0, 2, 1, 0)), (changed.Seq, changed.Tally));
        var withdrawn = await Voter(1).Vote(qa, target, 0);
        Assert.Equal(2, withdrawn.Tally.Up);

        async Task<(VoteTally Target, VoteTally Duplicate, VoteTally Statement)> Tallies()
        {
            var moderator = new Viewer(ViewerRole.Moderator, null);
            var qaItems = (await silo.Grains.GetGrain<IConsultationGrain>(qa).GetItems(moderator, 0, 10)).Items.ToDictionary(i => i.Id);
            var deliberationItems = (await silo.Grains.GetGrain<IConsultationGrain>(deliberation).GetItems(moderator, 0, 10)).Items;
            return (qaItems[target].Votes, qaItems[duplicate].Votes, deliberationItems.Single().Votes);
        }
    }

    [Fact]
    public async Task Grain_storage_versions_writes_and_detects_conflicts()
    {
        await using var silo = await TestSilo.StartAsync(StorageSettings);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var grainId = GrainId.Create("test", "kstorage1");
        var state = new GrainState<Probe> { State = new Probe { Text = "one" } };

        await storage.WriteStateAsync("probe", grainId, state);
        Assert.Equal("1", state.ETag);
        state.State.Text = "two";
        await storage.WriteStateAsync("probe", grainId, state);
        Assert.Equal("2", state.ETag);

        var read = new GrainState<Probe>();
        await storage.ReadStateAsync("probe", grainId, read);
        Assert.Equal(("two", "2", true), (read.State!.Text, read.ETag, read.RecordExists));

        var stale = new GrainState<Probe> { State = new Probe { Text = "stale" }, ETag = "1" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, stale));
        var fresh = new GrainState<Probe> { State = new Probe { Text = "new" } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, fresh));

        await storage.ClearStateAsync("probe", grainId, read);
        var cleared = new GrainState<Probe>();
        await storage.ReadStateAsync("probe", grainId, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Equal("3", cleared.ETag);

        cleared.State = new Probe { Text = "again" };
        await storage.WriteStateAsync("probe", grainId, cleared);
        Assert.Equal("4", cleared.ETag);

        var otherStateName = new GrainState<Probe>();
        await storage.ReadStateAsync("other", grainId, otherStateName);
        Assert.False(otherStateName.RecordExists);
    }

    [Fact]
    public async Task Grain_storage_keeps_one_row_for_a_key_without_extension()
    {
        await using var silo = await TestSilo.StartAsync(StorageSettings);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);

        // A GUID key has no key extension: the stored extension is NULL, and NULL must still collide with NULL.
        var grainId = GrainId.Create("test", Guid.NewGuid().ToString("N"));
        var first = new GrainState<Probe> { State = new Probe { Text = "first" } };
        await storage.WriteStateAsync("probe", grainId, first);
        var racing = new GrainState<Probe> { State = new Probe { Text = "racing insert" } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, racing));

        var read = new GrainState<Probe>();
        await storage.ReadStateAsync("probe", grainId, read);
        Assert.Equal(("first", "1"), (read.State!.Text, read.ETag));
    }

    public sealed class Probe
    {
        public string Text { get; set; } = string.Empty;
    }
}
