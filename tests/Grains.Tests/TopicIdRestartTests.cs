using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Consultations.Topics;
using OpenGov.Dialogue.Contracts;
using Orleans.Core.Internal;
using Orleans.Runtime;
using Orleans.Storage;

namespace OpenGov.Dialogue.Tests;

/// <summary>Topic group ids through a reactivation of the topics grain and a silo restart; run once per storage.</summary>
public abstract class TopicIdRestartTests : IAsyncLifetime
{
    private static readonly Actor Moderator = new("Ana", ViewerRole.Moderator);

    private static readonly Dictionary<string, string[]> Topics = new()
    {
        ["jalan"] = ["jalan", "rusak", "berlubang", "aspal", "macet", "jembatan", "trotoar", "perbaikan"],
        ["sekolah"] = ["sekolah", "guru", "murid", "kelas", "buku", "seragam", "beasiswa", "ujian"],
        ["air"] = ["air", "bersih", "pdam", "sumur", "pipa", "banjir", "saluran", "bocor"],
        ["kesehatan"] = ["puskesmas", "dokter", "obat", "pasien", "perawat", "vaksin", "antrean", "bpjs"],
        ["listrik"] = ["listrik", "padam", "pln", "tiang", "kabel", "lampu", "meteran", "token"],
    };

    private static readonly string[] Filler = ["tolong", "mohon", "warga", "desa", "kami", "sudah", "lama", "segera"];

    private readonly Random _random = new(23);
    private readonly Dictionary<string, string> _topicOf = new(StringComparer.Ordinal);
    private TestSilo _silo = null!;

    protected abstract Dictionary<string, string?> StorageSettings { get; }

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(StorageSettings)
        {
            ["Dialogue:SubmissionsPerMinute"] = "1000",
            ["Dialogue:TopicsRecomputeSeconds"] = "1",
        };
        _silo = await TestSilo.StartAsync(settings);
    }

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Group_ids_survive_a_silo_restart_and_a_new_concern_still_gets_a_new_id()
    {
        var (id, before, ever) = await GroupedWithARetiredId();

        await _silo.StopHostAsync();
        await _silo.StartHostAsync();
        var after = TopicGroups(await Settled(id, v => Sorted(v, 24) && v.Groups.Count == 3));

        Assert.Equal(before, after);

        await Publish(id, 8, "listrik");
        var grown = TopicGroups(await Settled(id, v => Sorted(v, 32) && v.Groups.Count == 4));

        Assert.Equal(before, grown.Where(g => g.Key != "listrik").ToDictionary());
        Assert.DoesNotContain(grown["listrik"], ever);
    }

    [Fact]
    public async Task Group_ids_survive_the_topics_grain_deactivating()
    {
        var (id, before, _) = await GroupedWithARetiredId();
        var topics = _silo.Grains.GetGrain<ITopicsGrain>(id);
        var computedAt = (await topics.Get(20)).ComputedAt;

        await topics.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        // A new activation groups again from the journal, so its grouping is newer.
        var after = await Settled(id, v => v.ComputedAt != computedAt && Sorted(v, 24) && v.Groups.Count == 3);
        Assert.Equal(before, TopicGroups(after));
    }

    [Fact]
    public async Task A_write_that_meets_a_newer_version_is_logged_and_made_after_the_next_regrouping()
    {
        var (id, before, _) = await GroupedWithARetiredId();
        var stored = await StoredIds(id, s => s.Groups.Select(g => g.Id).Order().SequenceEqual(before.Values.Order()));

        // Written behind the grain's back: its next write meets a newer version than the one it holds.
        await Storage.WriteStateAsync("topics", TopicsGrainId(id), stored);
        await Publish(id, 8, "listrik");
        var grown = TopicGroups(await Settled(id, v => Sorted(v, 32) && v.Groups.Count == 4));
        var late = (await Publish(id, 1, "air")).Single();
        await Settled(id, v => v.Items == 33 && v.Groups.Single(g => g.Id == grown["air"]).Size == 9);

        var saved = await StoredIds(id, s => s.Groups.Any(g => g.Members.Contains(late)));
        Assert.Equal(grown["air"], saved.State!.Groups.Single(g => g.Members.Contains(late)).Id);
        Assert.Contains(grown["listrik"], saved.State.Groups.Select(g => g.Id));
    }

    private IGrainStorage Storage => _silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);

    private GrainId TopicsGrainId(string consultationId) => _silo.Grains.GetGrain<ITopicsGrain>(consultationId).GetGrainId();

    /// <summary>The topics grain's stored ids once <paramref name="done"/> holds for them.</summary>
    private async Task<GrainState<TopicIdsState>> StoredIds(string consultationId, Func<TopicIdsState, bool> done)
    {
        for (var i = 0; i < 300; i++)
        {
            var stored = new GrainState<TopicIdsState>();
            await Storage.ReadStateAsync("topics", TopicsGrainId(consultationId), stored);
            if (stored.RecordExists && done(stored.State!))
            {
                return stored;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The stored topic ids did not reach the expected state within 30 s.");
    }

    /// <summary>
    /// Three topics grouped, then one rejected and a new one published: the groups' ids are then not the ones
    /// a fresh grouping would give (1, 2, 3). Returns the consultation, topic → group id, and every id seen.
    /// </summary>
    private async Task<(string Id, Dictionary<string, int> Groups, HashSet<int> Ever)> GroupedWithARetiredId()
    {
        var grain = _silo.Grains.GetGrain<IConsultationGrain>(ConsultationIds.New());
        await grain.Create(new CreateConsultation("Musrenbang", "", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        var id = grain.GetPrimaryKeyString();
        var roads = await Publish(id, 8, "jalan", "sekolah", "air");
        var first = TopicGroups(await Settled(id, v => Sorted(v, 24)));

        await grain.Moderate(new ModerationCommand(ModerationActions.Reject, [.. roads.Where(i => _topicOf[i] == "jalan")], Moderator) { Reason = "off_topic" });
        await Publish(id, 8, "kesehatan");
        var second = TopicGroups(await Settled(id, v => Sorted(v, 24) && v.Groups.Count == 3 && TopicGroups(v).ContainsKey("kesehatan")));

        Assert.Equal(first["sekolah"], second["sekolah"]);
        Assert.DoesNotContain(second["kesehatan"], first.Values);
        return (id, second, [.. first.Values, .. second.Values]);
    }

    /// <summary>Submits <paramref name="perTopic"/> made-up complaints on each of <paramref name="topics"/>, interleaved.</summary>
    private async Task<List<string>> Publish(string consultationId, int perTopic, params string[] topics)
    {
        var ids = new List<string>();
        for (var i = 0; i < perTopic; i++)
        {
            foreach (var topic in topics)
            {
                var words = Topics[topic];
                var text = string.Join(' ', Enumerable.Range(0, _random.Next(6, 10))
                    .Select(_ => _random.NextDouble() < 0.7 ? words[_random.Next(words.Length)] : Filler[_random.Next(Filler.Length)]));
                var result = await _silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Submit(consultationId, Guid.NewGuid().ToString("N"), text);
                _topicOf[result.ItemId] = topic;
                ids.Add(result.ItemId);
            }
        }

        return ids;
    }

    private async Task<TopicsView> Settled(string consultationId, Func<TopicsView, bool> done)
    {
        TopicsView? view = null;
        for (var i = 0; i < 300; i++)
        {
            view = await _silo.Grains.GetGrain<ITopicsGrain>(consultationId).Get(20);
            if (done(view))
            {
                return view;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The topic groups did not settle within 30 s; last: {view?.Status}, {view?.Items} items, ids {string.Join('/', view?.Groups.Select(g => g.Id) ?? [])}.");
    }

    /// <summary>Every item is grouped, each group lists items of one topic, and no two groups the same topic.</summary>
    private bool Sorted(TopicsView view, int items) =>
        view.Status == TopicsStatus.Grouped && view.Items == items && view.Groups.Sum(g => g.Size) == items
        && view.Groups.All(g => g.Items.Select(i => _topicOf[i.ItemId]).Distinct().Count() == 1)
        && view.Groups.Select(g => _topicOf[g.Items[0].ItemId]).Distinct().Count() == view.Groups.Count;

    /// <summary>Topic → group id, for a view whose groups each hold one topic.</summary>
    private Dictionary<string, int> TopicGroups(TopicsView view) =>
        view.Groups.ToDictionary(g => _topicOf[g.Items[0].ItemId], g => g.Id);
}
