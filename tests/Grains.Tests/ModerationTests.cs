using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>Moderation and official answers through the real grains and storage; run once per storage (StorageSpecs.cs).</summary>
public abstract class ModerationTests : IAsyncLifetime
{
    private static readonly Actor Ana = new("Ana", ViewerRole.Moderator);
    private static readonly Actor Budi = new("Budi", ViewerRole.Moderator);
    private static readonly Actor Official = new("Dinas PU", ViewerRole.Official);
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private TestSilo _silo = null!;

    protected abstract Dictionary<string, string?> StorageSettings { get; }

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(new(StorageSettings) { ["Dialogue:SubmissionsPerMinute"] = "1000" }, _clock);

    /// <summary>Rewrites the stored moderation rows of a stream behind the grain's back; returns the rows touched.</summary>
    protected abstract Task<int> AlterStoredReasonAsync(TestSilo silo, string streamId, string from, string to);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task<IConsultationGrain> Create(ModerationMode moderation = ModerationMode.Pre, ConsultationMode mode = ConsultationMode.Qa)
    {
        var id = ConsultationIds.New();
        var grain = _silo.Grains.GetGrain<IConsultationGrain>(id);
        await grain.Create(new CreateConsultation("Musrenbang", "", mode, moderation, ConsultationStatus.Open, "admin"));
        return grain;
    }

    private ICitizenGrain Citizen(string? id = null) => _silo.Grains.GetGrain<ICitizenGrain>(id ?? CitizenIds.New());

    private static string Id(IConsultationGrain grain) => grain.GetPrimaryKeyString();

    private static Task<ModerationResult> Act(IConsultationGrain grain, string action, Actor actor, params string[] items) =>
        grain.Moderate(new ModerationCommand(action, items, actor));

    private async Task<(string CitizenId, string ItemId)> Submit(IConsultationGrain grain, string text)
    {
        var citizenId = CitizenIds.New();
        var result = await Citizen(citizenId).Submit(Id(grain), Guid.NewGuid().ToString("N"), text);
        return (citizenId, result.ItemId);
    }

    [Fact]
    public async Task Queue_puts_likely_rejections_first_then_oldest_and_flags_near_duplicates()
    {
        var grain = await Create();
        var (_, plain) = await Submit(grain, "Kapan jalan di Jalan Merdeka diperbaiki?");
        var (_, spam) = await Submit(grain, "Promo murah!!! http://spam.example http://spam2.example kunjungi sekarang");
        var (_, duplicate) = await Submit(grain, "kapan JALAN di jalan merdeka diperbaiki??");
        var (_, later) = await Submit(grain, "Bagaimana dengan lampu jalan di RW 05?");

        var queue = await grain.GetQueue(10);
        var ids = queue.Select(i => i.Id).ToList();

        Assert.Equal(4, queue.Count);
        Assert.True(ids.IndexOf(spam) < ids.IndexOf(plain) && ids.IndexOf(duplicate) < ids.IndexOf(plain));
        Assert.True(ids.IndexOf(plain) < ids.IndexOf(later), "equal scores keep the oldest first");
        var dup = queue.Single(i => i.Id == duplicate).Review!;
        Assert.Equal(("duplicate", plain), (dup.TriageReason, dup.DuplicateOf));
        Assert.Equal("spam", queue.Single(i => i.Id == spam).Review!.TriageReason);
        Assert.True(queue.Single(i => i.Id == spam).Review!.TriageScore > queue.Single(i => i.Id == plain).Review!.TriageScore);
        Assert.All(queue, i => Assert.True(i.Review!.NeedsReview));
    }

    [Fact]
    public async Task Similar_published_items_are_offered_while_typing_but_not_pending_ones()
    {
        var grain = await Create(ModerationMode.Post);
        var (_, bus) = await Submit(grain, "Kapan bus listrik mulai beroperasi ke Depok?");
        await Submit(grain, "Tolong tambah tempat sampah di taman kota");
        var (_, hidden) = await Submit(grain, "Bus listrik ke Depok kapan beroperasi, dan berapa tarifnya?");
        await grain.Moderate(new ModerationCommand(ModerationActions.Reject, [hidden], Ana) { Reason = "duplicate" });

        var similar = await grain.FindSimilar("bus listrik depok kapan", 5);

        Assert.Equal(bus, similar[0].Item.Id);
        Assert.True(similar[0].Score > 0.3);
        Assert.DoesNotContain(similar, s => s.Item.Id == hidden);
        Assert.Empty(await grain.FindSimilar("   ", 5));
    }

    [Fact]
    public async Task Two_moderators_racing_for_one_item_exactly_one_wins()
    {
        var grain = await Create();
        var (_, item) = await Submit(grain, "Satu pertanyaan yang diperebutkan");

        var results = await Task.WhenAll(Act(grain, ModerationActions.Claim, Ana, item), Act(grain, ModerationActions.Claim, Budi, item));

        Assert.Single(results, r => r.Items.Single().Ok);
        Assert.Single(results, r => r.Items.Single().Error == ErrorCodes.Claimed);
        var winner = results[0].Items.Single().Ok ? Ana : Budi;
        Assert.Equal(winner.Name, (await grain.GetQueue(10)).Single().Review!.ClaimedBy);
    }

    [Fact]
    public async Task A_claimed_item_cannot_be_acted_on_by_others_until_its_lease_expires()
    {
        var grain = await Create();
        var (_, item) = await Submit(grain, "Pertanyaan yang diklaim");
        Assert.True((await grain.Moderate(new ModerationCommand(ModerationActions.Claim, [item], Ana) { LeaseSeconds = 60 })).Items.Single().Ok);

        var blocked = await Act(grain, ModerationActions.Approve, Budi, item);
        Assert.Equal(ErrorCodes.Claimed, blocked.Items.Single().Error);

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null((await grain.GetQueue(10)).Single().Review!.ClaimedBy);
        Assert.True((await Act(grain, ModerationActions.Approve, Budi, item)).Items.Single().Ok);
        Assert.Empty(await grain.GetQueue(10));
    }

    [Fact]
    public async Task Renewing_keeps_the_lease_and_releasing_returns_the_item_to_others()
    {
        var grain = await Create();
        var (_, item) = await Submit(grain, "Pertanyaan lain");
        await Act(grain, ModerationActions.Claim, Ana, item);
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True((await Act(grain, ModerationActions.Claim, Ana, item)).Items.Single().Ok);
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(ErrorCodes.Claimed, (await Act(grain, ModerationActions.Claim, Budi, item)).Items.Single().Error);

        await Act(grain, ModerationActions.Release, Ana, item);
        Assert.True((await Act(grain, ModerationActions.Claim, Budi, item)).Items.Single().Ok);
    }

    [Fact]
    public async Task Rejected_item_keeps_reason_visible_to_author_and_notifies_them()
    {
        var grain = await Create(ModerationMode.Post);
        var (author, item) = await Submit(grain, "Isi yang melanggar aturan");
        var result = await grain.Moderate(new ModerationCommand(ModerationActions.Reject, [item], Ana) { Reason = "abuse", Note = "Bahasa kasar" });

        Assert.True(result.Items.Single().Ok);
        var own = Assert.Single(await Citizen(author).GetOwnItems(Id(grain)));
        Assert.Equal((ItemStatus.Rejected, "abuse", "Bahasa kasar"), (own.Status, own.RejectionReason, own.RejectionNote));
        var publicView = Assert.Single((await grain.GetItems(new Viewer(ViewerRole.Participant, CitizenIds.New()), 0, 10)).Items);
        Assert.Equal((false, string.Empty, null), (publicView.Visible, publicView.Text, publicView.RejectionReason));
        var notification = await WaitForNotification(author, "rejected");
        Assert.Equal("abuse", notification.Detail);
    }

    [Fact]
    public async Task Reject_needs_a_known_reason_code()
    {
        var grain = await Create();
        var (_, item) = await Submit(grain, "Sesuatu");
        var error = await Assert.ThrowsAsync<DialogueException>(() => grain.Moderate(new ModerationCommand(ModerationActions.Reject, [item], Ana) { Reason = "because" }));
        Assert.Equal(ErrorCodes.InvalidReason, error.Code);
        Assert.Single(await grain.GetQueue(10));
    }

    [Fact]
    public async Task Edit_keeps_both_versions_and_tells_the_author()
    {
        var grain = await Create();
        var (author, item) = await Submit(grain, "Tlong perbaiki jln di depan skolah");
        await grain.Moderate(new ModerationCommand(ModerationActions.Edit, [item], Ana) { Text = "Tolong perbaiki jalan di depan sekolah" });
        await Act(grain, ModerationActions.Approve, Ana, item);

        var own = Assert.Single(await Citizen(author).GetOwnItems(Id(grain)));
        Assert.Equal(("Tolong perbaiki jalan di depan sekolah", "Tlong perbaiki jln di depan skolah", true), (own.Text, own.OriginalText, own.Edited));
        var seenByOthers = Assert.Single((await grain.GetItems(new Viewer(ViewerRole.Participant, null), 0, 10)).Items);
        Assert.Null(seenByOthers.OriginalText);
        Assert.True(seenByOthers.Edited);
        await WaitForNotification(author, "edited");
    }

    [Fact]
    public async Task Merge_moves_votes_counting_each_citizen_once_and_the_merged_author_follows_the_target()
    {
        var grain = await Create(ModerationMode.Post);
        var (duplicateAuthor, duplicate) = await Submit(grain, "Kapan bus listrik ke Depok?");
        var (_, target) = await Submit(grain, "Bus listrik rute Depok kapan mulai?");
        string c1 = CitizenIds.New(), c2 = CitizenIds.New(), c3 = CitizenIds.New();
        await Citizen(c1).Vote(Id(grain), duplicate, 1);
        await Citizen(c2).Vote(Id(grain), duplicate, 1);
        await Citizen(c2).Vote(Id(grain), target, 1);
        await Citizen(c3).Vote(Id(grain), target, 1);

        var merged = await grain.Moderate(new ModerationCommand(ModerationActions.Merge, [duplicate], Ana) { TargetId = target });
        Assert.True(merged.Items.Single().Ok);

        var items = (await grain.GetItems(new Viewer(ViewerRole.Moderator, null), 0, 10)).Items.ToDictionary(i => i.Id);
        Assert.Equal(3, items[target].Votes.Up);
        Assert.Equal(0, items[duplicate].Votes.Up);
        Assert.Equal((ItemStatus.Merged, target), (items[duplicate].Status, items[duplicate].MergedInto));
        Assert.Equal("Kapan bus listrik ke Depok?", items[duplicate].Text);

        // A vote already on the target does not count twice; the merged item takes no votes.
        await Citizen(c1).Vote(Id(grain), target, 1);
        Assert.Equal(3, (await grain.GetRanking(RankingSort.Popular, false, 10)).Single(i => i.Id == target).Votes.Up);
        await Assert.ThrowsAsync<DialogueException>(() => Citizen(c3).Vote(Id(grain), duplicate, 1));

        await grain.Answer(new AnswerCommand(target, "Mulai Januari.", AnswerStatus.Accepted, "Dishub", new DateOnly(2027, 1, 15), Official));
        Assert.Equal("Mulai Januari.", (await WaitForNotification(duplicateAuthor, "answered")).Detail);
    }

    [Fact]
    public async Task Merge_into_itself_or_a_rejected_item_is_refused()
    {
        var grain = await Create(ModerationMode.Post);
        var (_, a) = await Submit(grain, "Pertanyaan A");
        var (_, b) = await Submit(grain, "Pertanyaan B");
        await grain.Moderate(new ModerationCommand(ModerationActions.Reject, [b], Ana) { Reason = "spam" });

        Assert.Equal(ErrorCodes.InvalidAction, (await grain.Moderate(new ModerationCommand(ModerationActions.Merge, [a], Ana) { TargetId = a })).Items.Single().Error);
        Assert.Equal(ErrorCodes.InvalidAction, (await grain.Moderate(new ModerationCommand(ModerationActions.Merge, [a], Ana) { TargetId = b })).Items.Single().Error);
    }

    [Fact]
    public async Task Official_answer_notifies_author_and_every_voter_and_marks_the_item_answered()
    {
        var grain = await Create(ModerationMode.Post);
        var (author, item) = await Submit(grain, "Berapa anggaran taman kota tahun depan?");
        var voter = CitizenIds.New();
        await Citizen(voter).Vote(Id(grain), item, 1);

        var answered = await grain.Answer(new AnswerCommand(item, "Rp 2 miliar, rinciannya di situs kota.", AnswerStatus.UnderReview, "Bappeda", null, Official));

        Assert.Equal(ItemStatus.Answered, answered.Status);
        Assert.Equal(("Rp 2 miliar, rinciannya di situs kota.", AnswerStatus.UnderReview, "Bappeda", "Dinas PU"), (answered.Answer!.Text, answered.Answer.Status, answered.Answer.Owner, answered.Answer.By));
        await WaitForNotification(author, "answered");
        var forVoter = await WaitForNotification(voter, "answered");

        await Citizen(voter).MarkRead(forVoter.Id);
        Assert.True((await Citizen(voter).GetNotifications()).Single(n => n.Id == forVoter.Id).Read);
    }

    [Fact]
    public async Task Moderators_cannot_answer_and_officials_cannot_reject()
    {
        var grain = await Create(ModerationMode.Post);
        var (_, item) = await Submit(grain, "Pertanyaan");

        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<DialogueException>(() => grain.Answer(new AnswerCommand(item, "x", null, null, null, Ana)))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<DialogueException>(() => grain.Moderate(new ModerationCommand(ModerationActions.Reject, [item], Official) { Reason = "spam" }))).Code);
        Assert.True((await Act(grain, ModerationActions.Highlight, Official, item)).Items.Single().Ok);
    }

    [Fact]
    public async Task Appeal_returns_the_item_to_the_queue_once_and_the_outcome_is_logged()
    {
        var grain = await Create();
        var (author, item) = await Submit(grain, "Kritik terhadap kebijakan parkir");
        await grain.Moderate(new ModerationCommand(ModerationActions.Reject, [item], Ana) { Reason = "off_topic" });
        Assert.Empty(await grain.GetQueue(10));

        await Assert.ThrowsAsync<DialogueException>(() => grain.Appeal(CitizenIds.New(), item, "bukan milik saya"));
        var appealed = await grain.Appeal(author, item, "Ini relevan dengan topik transportasi.");
        Assert.True(appealed.Appealed);
        var queued = Assert.Single(await grain.GetQueue(10));
        Assert.Equal("Ini relevan dengan topik transportasi.", queued.Review!.AppealText);
        Assert.Equal(ErrorCodes.AlreadyAppealed, (await Assert.ThrowsAsync<DialogueException>(() => grain.Appeal(author, item, "lagi"))).Code);

        await Act(grain, ModerationActions.Approve, Budi, item);
        var log = (await grain.GetModerationLog(0, 100)).Entries;
        Assert.Equal([ModerationActions.Reject, ModerationActions.Appeal, ModerationActions.Approve], log.Select(e => e.Action));
        Assert.True(log[^1].Appealed);
        Assert.Equal("author", log[1].By);
    }

    [Fact]
    public async Task Muted_citizen_cannot_submit_but_can_vote_and_banned_citizen_can_do_neither()
    {
        var grain = await Create(ModerationMode.Post);
        var (author, item) = await Submit(grain, "Spam pertama");
        var (other, otherItem) = await Submit(grain, "Pertanyaan wajar");

        await grain.Sanction(new SanctionCommand(item, SanctionKind.Mute, "spam", 30, Ana));
        Assert.Equal(ErrorCodes.Sanctioned, (await Assert.ThrowsAsync<DialogueException>(() => Citizen(author).Submit(Id(grain), "x2", "Spam kedua"))).Code);
        await Citizen(author).Vote(Id(grain), otherItem, 1);

        await grain.Sanction(new SanctionCommand(otherItem, SanctionKind.Ban, "abuse", null, Ana));
        await Assert.ThrowsAsync<DialogueException>(() => Citizen(other).Vote(Id(grain), item, 1));

        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(SubmitOutcome.Accepted, (await Citizen(author).Submit(Id(grain), "x3", "Sudah boleh lagi")).Outcome);
        var log = (await grain.GetModerationLog(0, 100)).Entries;
        Assert.Equal(["sanction:mute", "sanction:ban"], log.Select(e => e.Action));
        Assert.DoesNotContain(log, e => e.Pseudonym is null || e.Pseudonym.StartsWith('p'));
    }

    [Fact]
    public async Task Only_one_item_is_highlighted_and_the_presenter_frame_follows()
    {
        var grain = await Create(ModerationMode.Post);
        var (_, first) = await Submit(grain, "Pertama");
        var (_, second) = await Submit(grain, "Kedua");
        await Act(grain, ModerationActions.Highlight, Ana, first);
        await Act(grain, ModerationActions.Highlight, Ana, second);

        var frame = await grain.GetPresenter();
        Assert.Equal(second, frame.Highlighted!.Id);
        Assert.Equal([first], frame.Next.Select(i => i.Id));
        Assert.False((await grain.GetRanking(RankingSort.Recent, false, 10)).Single(i => i.Id == first).Highlighted);
    }

    [Fact]
    public async Task Moderation_log_verifies_and_fails_when_a_stored_entry_is_altered()
    {
        var grain = await Create();
        var (_, a) = await Submit(grain, "Satu");
        var (_, b) = await Submit(grain, "Dua");
        await grain.Moderate(new ModerationCommand(ModerationActions.Reject, [a], Ana) { Reason = "spam" });
        await Act(grain, ModerationActions.Approve, Ana, b);
        await Act(grain, ModerationActions.Pin, Ana, b);

        var ok = await grain.VerifyModerationLog();
        Assert.Equal((true, 3), (ok.Valid, ok.Entries));
        var page = await grain.GetModerationLog(0, 10);
        Assert.Equal(1, page.Counts["reject:spam"]);
        Assert.Equal(page.Entries[0].Hash, page.Entries[1].PrevHash);

        // Someone with database access changes the public reason of the first decision.
        Assert.Equal(3, await AlterStoredReasonAsync(_silo, Id(grain), "spam", "abuse"));

        var broken = await grain.VerifyModerationLog();
        Assert.False(broken.Valid);
        Assert.Equal(page.Entries[0].Seq, broken.BrokenAtSeq);
    }

    [Fact]
    public async Task Ranking_orders_popular_recent_and_trending_with_pinned_first_on_request()
    {
        var grain = await Create(ModerationMode.Post);
        var (_, old) = await Submit(grain, "Lama tapi populer");
        foreach (var _ in Enumerable.Range(0, 3))
        {
            await Citizen().Vote(Id(grain), old, 1);
        }

        _clock.Advance(TimeSpan.FromHours(30));
        var (_, fresh) = await Submit(grain, "Baru dan sedang naik");
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await Citizen().Vote(Id(grain), fresh, 1);
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        var (_, pinned) = await Submit(grain, "Disematkan");
        await Act(grain, ModerationActions.Pin, Ana, pinned);

        Assert.Equal([old, fresh, pinned], (await grain.GetRanking(RankingSort.Popular, false, 10)).Select(i => i.Id));
        Assert.Equal([pinned, fresh, old], (await grain.GetRanking(RankingSort.Recent, false, 10)).Select(i => i.Id));
        Assert.Equal([fresh, old, pinned], (await grain.GetRanking(RankingSort.Trending, false, 10)).Select(i => i.Id));
        Assert.Equal([pinned, old, fresh], (await grain.GetRanking(RankingSort.Popular, true, 10)).Select(i => i.Id));
    }

    [Fact]
    public async Task Moderation_state_survives_a_restart()
    {
        var grain = await Create();
        var (_, item) = await Submit(grain, "Tahan restart");
        await grain.Moderate(new ModerationCommand(ModerationActions.Tag, [item], Ana) { Tags = ["Transportasi", "jalan"] });
        await Act(grain, ModerationActions.Approve, Ana, item);
        await Act(grain, ModerationActions.Highlight, Ana, item);

        await _silo.StopHostAsync();
        await _silo.StartHostAsync();

        var restarted = _silo.Grains.GetGrain<IConsultationGrain>(Id(grain));
        var view = (await restarted.GetItems(new Viewer(ViewerRole.Moderator, null), 0, 10)).Items.Single();
        Assert.Equal((ItemStatus.Published, true, false), (view.Status, view.Highlighted, view.Review!.NeedsReview));
        Assert.Equal(["transportasi", "jalan"], view.Tags);
        Assert.True((await restarted.VerifyModerationLog()).Valid);
        Assert.Equal(3, (await restarted.GetModerationLog(0, 10)).Entries.Count);
    }

    [Fact]
    public async Task An_answer_to_a_question_hundreds_voted_for_reaches_every_voter_in_paced_batches()
    {
        var grain = await Create(ModerationMode.Post);
        var (_, item) = await Submit(grain, "Kapan pasar tradisional direnovasi?");
        var voters = Enumerable.Range(0, 450).Select(_ => CitizenIds.New()).ToList();
        await Parallel.ForEachAsync(voters, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (voter, _) => await Citizen(voter).Vote(Id(grain), item, 1));

        // The answer returns at once; the kept copies follow 200 at a time.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await grain.Answer(new AnswerCommand(item, "Tahun depan, bertahap.", null, null, null, Official));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answering took {clock.Elapsed}");
        foreach (var voter in voters)
        {
            await WaitForNotification(voter, "answered");
        }
    }

    private static readonly string[] CampaignCopies =
    [
        "Kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami",
        "Selamat pagi, kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami",
        "Kami warga menolak rencana pembangunan pabrik semen dekat sumber mata air desa karena mengancam sawah kami. Terima kasih.",
        "kami warga menolak rencana pembanguan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami!",
        "Mohon maaf, kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah",
        "Kami warga menolak rencana pembangunan pabrik semen di dekat sumber air desa karena mengancam sawah kami. Mohon ditindaklanjuti.",
    ];

    /// <summary>Each copy from its own citizen, a few seconds apart.</summary>
    private async Task<List<string>> PlantBurst(IConsultationGrain grain)
    {
        var ids = new List<string>();
        foreach (var copy in CampaignCopies)
        {
            ids.Add((await Submit(grain, copy)).ItemId);
            _clock.Advance(TimeSpan.FromSeconds(20));
        }

        return ids;
    }

    [Fact]
    public async Task A_burst_of_copies_from_many_citizens_is_labelled_in_the_queue_for_moderators_only()
    {
        var grain = await Create();
        var (_, organic) = await Submit(grain, "Kapan jalan di Jalan Merdeka diperbaiki? Sudah berlubang sejak bulan lalu");
        var burst = await PlantBurst(grain);

        var queue = await grain.GetQueue(100);
        var labels = queue.Where(i => burst.Contains(i.Id)).Select(i => i.Review!.Campaign).ToList();
        Assert.All(labels, Assert.NotNull);
        var label = labels[0]!;
        Assert.All(labels, l => Assert.Equal(label, l));
        Assert.Equal((6, 6), (label.Citizens, label.Items));
        Assert.Equal(TimeSpan.FromSeconds(100), label.LastAt - label.FirstAt);
        Assert.Null(queue.Single(i => i.Id == organic).Review!.Campaign);
        var campaign = Assert.Single(await grain.GetCampaigns());
        Assert.Equal(label, campaign.Label);
        Assert.Equal(burst, campaign.PendingItemIds);

        // Participants (and officials) get views without review data at all.
        var participantView = (await grain.GetItems(new Viewer(ViewerRole.Participant, null), 0, 100)).Items;
        Assert.All(participantView, i => Assert.Null(i.Review));
        Assert.All((await grain.GetItems(new Viewer(ViewerRole.Official, null), 0, 100)).Items, i => Assert.Null(i.Review));
    }

    [Fact]
    public async Task One_group_decision_rejects_every_pending_copy_and_skips_what_others_decided_or_hold()
    {
        var grain = await Create();
        var burst = await PlantBurst(grain);
        var clusterId = (await grain.GetCampaigns()).Single().Label.Id;
        await Act(grain, ModerationActions.Approve, Budi, burst[0]);
        await Act(grain, ModerationActions.Claim, Budi, burst[1]);
        var logBefore = (await grain.GetModerationLog(0, 100)).Entries.Count;

        var result = await grain.DecideCampaign(new CampaignDecision(clusterId, ModerationActions.Reject, Ana) { Reason = "spam" });

        Assert.Equal(burst, result.Items.Select(i => i.ItemId));
        Assert.Equal(ErrorCodes.NotPending, result.Items[0].Error);
        Assert.Equal(ErrorCodes.Claimed, result.Items[1].Error);
        Assert.All(result.Items.Skip(2), i => Assert.True(i.Ok));
        Assert.Equal(0, result.Remaining);

        // Each item has its own entry on the chain, as if rejected one by one.
        var log = (await grain.GetModerationLog(0, 100)).Entries.Skip(logBefore).ToList();
        Assert.Equal(burst.Skip(2), log.Select(e => e.ItemId));
        Assert.All(log, e => Assert.Equal((ModerationActions.Reject, "spam", "Ana"), (e.Action, e.Reason, e.By)));
        Assert.True((await grain.VerifyModerationLog()).Valid);
        var staff = (await grain.GetItems(new Viewer(ViewerRole.Moderator, null), 0, 100)).Items.ToDictionary(i => i.Id);
        Assert.Equal(ItemStatus.Published, staff[burst[0]].Status);
        Assert.Equal(ItemStatus.Pending, staff[burst[1]].Status);
        Assert.All(burst.Skip(2), id => Assert.Equal(ItemStatus.Rejected, staff[id].Status));
        Assert.Equal([burst[1]], (await grain.GetCampaigns()).Single().PendingItemIds);

        // Again, on a cluster with nothing left to decide for Ana: nothing changes.
        var lastSeq = (await grain.GetInfo())!.LastSeq;
        var again = await grain.DecideCampaign(new CampaignDecision(clusterId, ModerationActions.Approve, Ana));
        Assert.DoesNotContain(again.Items, i => i.Ok);
        Assert.Equal(lastSeq, (await grain.GetInfo())!.LastSeq);
    }

    [Fact]
    public async Task Group_decisions_refuse_unknown_clusters_bad_reasons_and_non_moderators_without_changing_anything()
    {
        var grain = await Create();
        var burst = await PlantBurst(grain);
        var clusterId = (await grain.GetCampaigns()).Single().Label.Id;
        var lastSeq = (await grain.GetInfo())!.LastSeq;

        async Task<string> Refused(CampaignDecision decision) => (await Assert.ThrowsAsync<DialogueException>(() => grain.DecideCampaign(decision))).Code;

        Assert.Equal(ErrorCodes.NotFound, await Refused(new CampaignDecision("c999", ModerationActions.Approve, Ana)));
        Assert.Equal(ErrorCodes.InvalidReason, await Refused(new CampaignDecision(clusterId, ModerationActions.Reject, Ana)));
        Assert.Equal(ErrorCodes.InvalidReason, await Refused(new CampaignDecision(clusterId, ModerationActions.Reject, Ana) { Reason = "campaign" }));
        Assert.Equal(ErrorCodes.InvalidAction, await Refused(new CampaignDecision(clusterId, ModerationActions.Pin, Ana)));
        Assert.Equal(ErrorCodes.Forbidden, await Refused(new CampaignDecision(clusterId, ModerationActions.Approve, Official)));
        Assert.Equal(ErrorCodes.Forbidden, await Refused(new CampaignDecision(clusterId, ModerationActions.Approve, new Actor("warga", ViewerRole.Participant))));
        Assert.Equal(lastSeq, (await grain.GetInfo())!.LastSeq);
        Assert.Equal(burst, (await grain.GetCampaigns()).Single().PendingItemIds);
    }

    [Fact]
    public async Task One_citizen_repeating_a_text_twenty_times_and_three_neighbours_sharing_it_are_not_a_campaign()
    {
        var grain = await Create();
        var repeater = CitizenIds.New();
        for (var i = 0; i < 20; i++)
        {
            await Citizen(repeater).Submit(Id(grain), Guid.NewGuid().ToString("N"), CampaignCopies[i % CampaignCopies.Length]);
        }

        // With the repeater, four citizens sent the text: one short of a campaign.
        foreach (var copy in CampaignCopies.Take(3))
        {
            await Submit(grain, copy);
        }

        Assert.Empty(await grain.GetCampaigns());
        Assert.All(await grain.GetQueue(100), i => Assert.Null(i.Review!.Campaign));
    }

    [Fact]
    public async Task Campaign_labels_are_rebuilt_from_the_journal_after_a_restart()
    {
        var grain = await Create();
        var burst = await PlantBurst(grain);
        var before = (await grain.GetCampaigns()).Single();

        await _silo.StopHostAsync();
        await _silo.StartHostAsync();

        var restarted = _silo.Grains.GetGrain<IConsultationGrain>(Id(grain));
        Assert.Equal(before, (await restarted.GetCampaigns()).Single(), new CampaignViewComparer());
        Assert.All((await restarted.GetQueue(100)).Where(i => burst.Contains(i.Id)), i => Assert.Equal(before.Label, i.Review!.Campaign));
    }

    private sealed class CampaignViewComparer : IEqualityComparer<CampaignView>
    {
        public bool Equals(CampaignView? x, CampaignView? y) => x!.Label == y!.Label && x.PendingItemIds.SequenceEqual(y.PendingItemIds);

        public int GetHashCode(CampaignView obj) => obj.Label.GetHashCode();
    }

    private async Task<Notification> WaitForNotification(string citizenId, string kind)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await Citizen(citizenId).GetNotifications()).FirstOrDefault(n => n.Kind == kind) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No '{kind}' notification reached {citizenId}.");
    }
}
