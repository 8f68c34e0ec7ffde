using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>The live topic analysis through real grains and storage: items go in through the consultation, groups come out.</summary>
[Trait("Category", "unit")]
public sealed class TopicsGrainTests : IAsyncLifetime
{
    private static readonly Actor Moderator = new("Ana", ViewerRole.Moderator);

    private static readonly Dictionary<string, string[]> Vocabulary = new()
    {
        ["jalan"] = ["jalan", "rusak", "berlubang", "aspal", "macet", "jembatan", "trotoar", "perbaikan"],
        ["sekolah"] = ["sekolah", "guru", "murid", "kelas", "buku", "seragam", "beasiswa", "ujian"],
        ["air"] = ["air", "bersih", "pdam", "sumur", "pipa", "banjir", "saluran", "bocor"],
    };

    private static readonly Dictionary<string, string[]> Health = new()
    {
        ["kesehatan"] = ["puskesmas", "dokter", "obat", "pasien", "perawat", "vaksin", "antrean", "bpjs"],
    };

    private static readonly string[] Filler = ["tolong", "mohon", "warga", "desa", "kami", "sudah", "lama", "segera"];

    private readonly Random _random = new(11);
    private readonly Dictionary<string, string> _topicOf = new(StringComparer.Ordinal);
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(new()
    {
        ["Dialogue:SubmissionsPerMinute"] = "1000",
        ["Dialogue:TopicsRecomputeSeconds"] = "1",
    });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task<IConsultationGrain> Create()
    {
        var grain = _silo.Grains.GetGrain<IConsultationGrain>(ConsultationIds.New());
        await grain.Create(new CreateConsultation("Musrenbang", "", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        return grain;
    }

    /// <summary>Submits <paramref name="perTopic"/> made-up complaints on each topic, topics interleaved.</summary>
    private async Task<List<string>> Publish(IConsultationGrain grain, int perTopic, Dictionary<string, string[]>? vocabulary = null)
    {
        var ids = new List<string>();
        for (var i = 0; i < perTopic; i++)
        {
            foreach (var (topic, words) in vocabulary ?? Vocabulary)
            {
                var text = string.Join(' ', Enumerable.Range(0, _random.Next(6, 10))
                    .Select(_ => _random.NextDouble() < 0.7 ? words[_random.Next(words.Length)] : Filler[_random.Next(Filler.Length)]));
                var result = await _silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Submit(grain.GetPrimaryKeyString(), Guid.NewGuid().ToString("N"), text);
                _topicOf[result.ItemId] = topic;
                ids.Add(result.ItemId);
            }
        }

        return ids;
    }

    private async Task<TopicsView> Settled(IConsultationGrain grain, Func<TopicsView, bool> done)
    {
        var topics = _silo.Grains.GetGrain<ITopicsGrain>(grain.GetPrimaryKeyString());
        TopicsView? view = null;
        for (var i = 0; i < 200; i++)
        {
            view = await topics.Get(20);
            if (done(view))
            {
                return view;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The topic groups did not settle within 20 s; last: {view?.Status}, {view?.Items} items, sizes {string.Join('/', view?.Groups.Select(g => g.Size) ?? [])}.");
    }

    /// <summary>
    /// A grouping of all <paramref name="items"/> items. Items reach the topics grain one-way after the
    /// consultation acknowledged them, so a first regrouping may run before the last few arrive (they
    /// are then placed); this waits for the one that grouped them all.
    /// </summary>
    private static Func<TopicsView, bool> AllGrouped(int items) =>
        view => view.Status == TopicsStatus.Grouped && view.Items == items && view.Grouped == items;

    /// <summary>
    /// Every item is in a group and each group lists items of one topic. New items are placed into the
    /// nearest existing group at once, so this is how a test waits for the regrouping that sorts them.
    /// </summary>
    private bool Sorted(TopicsView view, int items) =>
        view.Items == items && view.Groups.Sum(g => g.Size) == items && view.Groups.All(g => g.Items.Select(i => _topicOf[i.ItemId]).Distinct().Count() == 1);

    /// <summary>Each group holds one topic only: topic → group id.</summary>
    private Dictionary<string, int> TopicGroups(TopicsView view)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in view.Groups)
        {
            var topics = group.Items.Select(i => _topicOf[i.ItemId]).Distinct().ToList();
            Assert.Single(topics);
            map.Add(topics[0], group.Id);
        }

        return map;
    }

    [Fact]
    public async Task Groups_appear_after_items_are_published_and_keep_their_ids_when_items_are_added()
    {
        var grain = await Create();
        await Publish(grain, 8);

        var first = await Settled(grain, AllGrouped(24));

        Assert.Equal(24, first.Items);
        Assert.Equal(24, first.Grouped);
        Assert.Equal([8, 8, 8], first.Groups.Select(g => g.Size));
        var before = TopicGroups(first);
        Assert.Equal(3, before.Count);
        Assert.All(first.Groups, g => Assert.Equal(3, g.Terms.Count));
        Assert.Contains(first.Groups, g => g.Terms.Intersect(Vocabulary["sekolah"]).Any() && g.Id == before["sekolah"]);

        var added = await Publish(grain, 2);
        var second = await Settled(grain, v => Sorted(v, 30) && v.Groups.All(g => g.Size == 10));

        Assert.Equal([10, 10, 10], second.Groups.Select(g => g.Size));
        Assert.Equal(before, TopicGroups(second));
        Assert.All(added, id => Assert.Contains(second.Groups.Single(g => g.Id == before[_topicOf[id]]).Items, i => i.ItemId == id));
    }

    [Fact]
    public async Task A_new_concern_gets_a_new_id_while_the_others_keep_theirs()
    {
        var grain = await Create();
        var ids = await Publish(grain, 8);
        var before = TopicGroups(await Settled(grain, AllGrouped(24)));

        await grain.Moderate(new ModerationCommand(ModerationActions.Reject, [.. ids.Where(id => _topicOf[id] == "jalan")], Moderator) { Reason = "off_topic" });
        await Publish(grain, 8, Health);
        var after = TopicGroups(await Settled(grain, v => Sorted(v, 24)));

        Assert.Equal(before["sekolah"], after["sekolah"]);
        Assert.Equal(before["air"], after["air"]);
        Assert.DoesNotContain(after["kesehatan"], before.Values);
        Assert.False(after.ContainsKey("jalan"));
    }

    [Fact]
    public async Task Votes_give_each_group_its_share_without_regrouping()
    {
        var grain = await Create();
        var ids = await Publish(grain, 8);
        var grouped = await Settled(grain, AllGrouped(24));
        var roads = ids.Where(id => _topicOf[id] == "jalan").Take(3).ToList();
        var school = ids.First(id => _topicOf[id] == "sekolah");

        foreach (var item in roads.Append(school))
        {
            await _silo.Grains.GetGrain<ICitizenGrain>(CitizenIds.New()).Vote(grain.GetPrimaryKeyString(), item, 1);
        }

        var view = await Settled(grain, v => v.Votes == 4);
        var groups = TopicGroups(view);
        Assert.Equal(0.75, view.Groups.Single(g => g.Id == groups["jalan"]).VoteShare, 3);
        Assert.Equal(0.25, view.Groups.Single(g => g.Id == groups["sekolah"]).VoteShare, 3);
        Assert.Equal(grouped.ComputedAt, view.ComputedAt);
    }

    [Fact]
    public async Task Rejected_or_merged_items_leave_the_analysis()
    {
        var grain = await Create();
        var ids = await Publish(grain, 8);
        var first = await Settled(grain, AllGrouped(24));
        var rejected = first.Groups[0].Items[0].ItemId;
        var merged = ids.First(id => id != rejected);
        var target = ids.Last(id => id != rejected && _topicOf[id] == _topicOf[merged]);

        await grain.Moderate(new ModerationCommand(ModerationActions.Reject, [rejected], Moderator) { Reason = "off_topic" });
        await grain.Moderate(new ModerationCommand(ModerationActions.Merge, [merged], Moderator) { TargetId = target });
        var view = await Settled(grain, v => v.Items == 22);

        Assert.Equal(22, view.Groups.Sum(g => g.Size));
        Assert.DoesNotContain(view.Groups.SelectMany(g => g.Items), i => i.ItemId == rejected || i.ItemId == merged);
        Assert.Contains(view.Groups.SelectMany(g => g.Items), i => i.ItemId == target);
    }

    [Fact]
    public async Task Moderators_tags_train_the_tagger_and_untagged_items_get_suggestions()
    {
        var grain = await Create();
        var ids = await Publish(grain, 8);
        foreach (var topic in Vocabulary.Keys)
        {
            var tagged = ids.Where(id => _topicOf[id] == topic).Take(3).ToArray();
            await grain.Moderate(new ModerationCommand(ModerationActions.Tag, tagged, Moderator) { Tags = [topic] });
        }

        var view = await Settled(grain, v => v.TaggerReady && v.Status == TopicsStatus.Grouped && v.Tags.Sum(t => t.Suggested + t.Unsure) == 15);

        Assert.Equal(15, view.Untagged);
        Assert.All(Vocabulary.Keys, topic => Assert.Equal(3, view.Tags.Single(t => t.Tag == topic).Tagged));
        var suggested = view.Groups.SelectMany(g => g.Items).Where(i => i.Tags.Count == 0).ToList();
        Assert.Equal(15, suggested.Count);
        Assert.All(suggested, i => Assert.NotNull(i.Suggested));
        Assert.True(suggested.Count(i => i.Suggested!.Topic == _topicOf[i.ItemId]) >= 13, "the tagger should get nearly every made-up complaint right");
        Assert.All(view.Groups.SelectMany(g => g.Items).Where(i => i.Tags.Count > 0), i => Assert.Null(i.Suggested));

        // Items published later are asked about by the same model; the earlier answers stay.
        var later = await Publish(grain, 2);
        var after = await Settled(grain, v => v.Items == 30 && v.Tags.Sum(t => t.Suggested + t.Unsure) == 21);
        Assert.Equal(21, after.Untagged);
        Assert.Equal(view.Tags.Select(t => t.Tagged), after.Tags.Select(t => t.Tagged));
        var topics = await _silo.Grains.GetGrain<ITopicsGrain>(grain.GetPrimaryKeyString()).Get(20);
        var laterSuggested = topics.Groups.SelectMany(g => g.Items).Where(i => later.Contains(i.ItemId)).ToList();
        Assert.All(laterSuggested, i => Assert.NotNull(i.Suggested));
    }

    [Fact]
    public async Task A_consultation_larger_than_the_sample_still_groups_every_item_and_keeps_ids()
    {
        await _silo.DisposeAsync();
        _silo = await TestSilo.StartAsync(new()
        {
            ["Dialogue:SubmissionsPerMinute"] = "1000",
            ["Dialogue:TopicsRecomputeSeconds"] = "1",
            ["Dialogue:TopicsSampleSize"] = "30",
        });
        var grain = await Create();
        await Publish(grain, 20);

        // A first regrouping may run before every item has arrived (a sample of fewer than 30, the rest placed); the
        // next one, with all 60 present, samples 30.
        var first = await Settled(grain, v => Sorted(v, 60) && v.Grouped == 30);

        Assert.Equal([20, 20, 20], first.Groups.Select(g => g.Size));
        var before = TopicGroups(first);
        Assert.Equal(3, before.Count);

        await Publish(grain, 2);
        var second = await Settled(grain, v => Sorted(v, 66));

        Assert.Equal([22, 22, 22], second.Groups.Select(g => g.Size));
        Assert.Equal(before, TopicGroups(second));
    }

    [Fact]
    public async Task A_small_room_says_too_few_items_instead_of_making_groups_up()
    {
        var grain = await Create();
        await Publish(grain, 2);

        var view = await Settled(grain, v => v.Items == 6);

        Assert.Equal(TopicsStatus.TooFewItems, view.Status);
        Assert.Empty(view.Groups);
        Assert.Equal(20, view.MinItems);
    }

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private static string Describe(TopicsView v) => $"{v.Status}, {v.Items} items, {v.Grouped} grouped";

    [Fact]
    public async Task Each_regrouping_is_pushed_with_growth_and_briefs_and_before_any_tag_the_default_taxonomy_suggests()
    {
        var grain = await Create();
        var observer = new PushedViews<TopicsView>(batch => batch.Topics, "topics view");
        await grain.Subscribe(_silo.Grains.CreateObjectReference<IConsultationObserver>(observer));
        await Publish(grain, 8);

        // Pushed to the gateways without anyone asking: all 24 items grouped, all of them posted just now.
        var pushed = await observer.WaitFor(v => v.Status == TopicsStatus.Grouped && v.Grouped == 24 && v.Tags.Sum(t => t.Suggested + t.Unsure) > 0, Within, newest: true, Describe);
        Assert.Equal(grain.GetPrimaryKeyString(), pushed.ConsultationId);
        Assert.Equal(24, pushed.Recent);
        Assert.Equal(10, pushed.RecentMinutes);
        Assert.All(pushed.Groups, g => Assert.Equal(g.Size, g.Recent));

        // Briefs: verbatim sentences of the group's own posts, each naming the posts it stands for.
        var texts = await _silo.Grains.GetGrain<ITopicsGrain>(grain.GetPrimaryKeyString()).Get(20);
        var members = texts.Groups.ToDictionary(g => g.Id, g => g.Items.Select(i => i.ItemId).ToHashSet());
        Assert.All(pushed.Groups, g =>
        {
            Assert.InRange(g.Brief.Count, 1, 4);
            Assert.All(g.Brief, s =>
            {
                Assert.Contains(s.SourceItemId, s.ItemIds);
                Assert.All(s.ItemIds, id => Assert.Contains(id, members[g.Id]));
                Assert.Equal(0, s.Votes);
            });
        });

        // No moderator has tagged anything: suggestions come from the default taxonomy and say so.
        Assert.False(pushed.TaggerReady);
        var suggested = pushed.Groups.SelectMany(g => g.Items).Where(i => i.Suggested is not null).ToList();
        Assert.NotEmpty(suggested);
        Assert.All(suggested, i => Assert.Equal(TopicSuggestionSources.Default, i.Suggested!.Source));
        var schools = texts.Groups.SelectMany(g => g.Items).Where(i => _topicOf[i.ItemId] == "sekolah" && i.Suggested is { Unsure: false }).ToList();
        Assert.NotEmpty(schools);
        Assert.All(schools, i => Assert.Equal("pendidikan", i.Suggested!.Topic));

        // Once moderators have tagged two topics, the consultation's own tagger answers instead.
        foreach (var topic in new[] { "jalan", "sekolah" })
        {
            var tagged = _topicOf.Where(p => p.Value == topic).Select(p => p.Key).Take(3).ToArray();
            await grain.Moderate(new ModerationCommand(ModerationActions.Tag, tagged, Moderator) { Tags = [topic] });
        }

        var afterTags = await observer.WaitFor(v => v.TaggerReady && v.Groups.SelectMany(g => g.Items).Any(i => i.Suggested is not null), Within, newest: true, Describe);
        Assert.All(afterTags.Groups.SelectMany(g => g.Items).Where(i => i.Suggested is not null), i => Assert.Equal(TopicSuggestionSources.Model, i.Suggested!.Source));
    }

    [Fact]
    public async Task After_a_restart_the_analysis_is_rebuilt_from_the_consultation()
    {
        var grain = await Create();
        await Publish(grain, 8);
        await Settled(grain, AllGrouped(24));

        await _silo.StopHostAsync();
        await _silo.StartHostAsync();
        var view = await Settled(_silo.Grains.GetGrain<IConsultationGrain>(grain.GetPrimaryKeyString()), AllGrouped(24));

        Assert.Equal(24, view.Items);
        Assert.Equal(3, TopicGroups(view).Count);
    }
}
