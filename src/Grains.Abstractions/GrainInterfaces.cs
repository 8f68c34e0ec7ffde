using Orleans.Concurrency;

namespace OpenGov.Dialogue.Contracts;

/// <summary>
/// One consultation thread or town hall. Keyed by its public id (a short code that never parses
/// as a number or GUID; see <see cref="ConsultationIds"/>). Owns the item list, votes and the
/// sequence number; every change is in the journal before the call returns. Its methods are grouped by
/// who calls them (<see cref="IConsultationAdmin"/>, <see cref="IConsultationParticipation"/>,
/// <see cref="IConsultationModeration"/>, <see cref="IConsultationFeed"/>): a caller that needs one role
/// asks for that interface.
/// </summary>
[Alias("dialogue.consultation")]
public interface IConsultationGrain : IConsultationAdmin, IConsultationParticipation, IConsultationModeration, IConsultationFeed;

/// <summary>What admins and the cluster's own jobs do with a consultation: create it, change it, export and import its record, apply retention.</summary>
[Alias("dialogue.consultation.admin")]
public interface IConsultationAdmin : IGrainWithStringKey
{
    [Alias("create")]
    Task<ConsultationInfo> Create(CreateConsultation command);

    /// <returns>Null when no consultation was created under this id.</returns>
    [Alias("info")]
    Task<ConsultationInfo?> GetInfo();

    /// <summary>Status (draft → open → closed → archived, closed → open), title, visibility, retention; logged publicly.</summary>
    [Alias("update")]
    Task<ConsultationInfo> Update(UpdateConsultation command);

    /// <summary>The public record for open-data exports: items, vote events and the final vote matrix by pseudonymous numbers.</summary>
    [Alias("export")]
    Task<ConsultationExport> Export();

    /// <summary>Writes imported history (items with their moderation, votes) with its own timestamps; only while a draft.</summary>
    [Alias("import")]
    Task<int> Import(IReadOnlyList<ImportedEvent> events, Actor actor);

    /// <summary>Destroys every identity link when the retention period after closing is over; false when not due.</summary>
    [Alias("apply-retention")]
    Task<bool> ApplyRetention();

    /// <summary>Participants and each public item's voters by how they were admitted (open, code, invite).</summary>
    [Alias("admission-tallies")]
    Task<AdmissionTallies> GetAdmissionTallies();
}

/// <summary>A participant's side: posting, voting, reading items and rankings, and their own data (contributions, erasure, appeal).</summary>
[Alias("dialogue.consultation.participation")]
public interface IConsultationParticipation : IGrainWithStringKey
{
    [Alias("submit")]
    Task<SubmitResult> Submit(SubmitItem command);

    /// <summary>Looks up an earlier submission by the author's client id (retries after a lost reply).</summary>
    [Alias("find-submission")]
    Task<SubmitResult?> FindSubmission(string citizenId, string clientId);

    [Alias("vote")]
    Task<VoteResult> Vote(CastVote command);

    [Alias("items-by")]
    Task<IReadOnlyList<ItemView>> GetItemsBy(string citizenId);

    /// <summary>Items changed after <paramref name="afterSeq"/> that <paramref name="viewer"/> may see, oldest change first.</summary>
    [Alias("items")]
    Task<ItemPage> GetItems(Viewer viewer, long afterSeq, int limit);

    [Alias("ranking")]
    Task<IReadOnlyList<ItemView>> GetRanking(RankingSort sort, bool pinnedFirst, int limit);

    /// <summary>Published items most like <paramref name="text"/> (while a participant types), best first.</summary>
    [Alias("similar")]
    Task<IReadOnlyList<SimilarItem>> FindSimilar(string text, int top);

    [Alias("presenter")]
    Task<PresenterFrame> GetPresenter();

    /// <summary>A citizen's own contributions here: items with their history, votes, sanctions.</summary>
    [Alias("data-of")]
    Task<CitizenContributions> GetContributions(string citizenId);

    /// <summary>
    /// Erases a citizen's contributions at their request: texts replaced, votes withdrawn, the link to
    /// the citizen destroyed in memory and in the stored journal. Returns how many items and votes.
    /// </summary>
    [Alias("erase")]
    Task<ErasureResult> EraseCitizen(string citizenId);

    /// <summary>The author of a rejected item asks once for another look.</summary>
    [Alias("appeal")]
    Task<ItemView> Appeal(string citizenId, string itemId, string? text);
}

/// <summary>The moderators' and officials' side: the queue, decisions, campaign clusters, answers, sanctions, and the public log.</summary>
[Alias("dialogue.consultation.moderation")]
public interface IConsultationModeration : IGrainWithStringKey
{
    /// <summary>Moderators' queue: items waiting for review, highest triage score first, then oldest.</summary>
    [Alias("queue")]
    Task<IReadOnlyList<ItemView>> GetQueue(int limit);

    /// <summary>A moderation action on up to 50 items; each item succeeds or fails on its own.</summary>
    [Alias("moderate")]
    Task<ModerationResult> Moderate(ModerationCommand command);

    /// <summary>The campaign-like clusters (newest first) with their items that wait for review; for moderators.</summary>
    [Alias("campaigns")]
    Task<IReadOnlyList<CampaignView>> GetCampaigns();

    /// <summary>Approves, or rejects with a reason, every item of a campaign cluster that waits for review, each logged on its own.</summary>
    [Alias("decide-campaign")]
    Task<CampaignDecisionResult> DecideCampaign(CampaignDecision decision);

    [Alias("answer")]
    Task<ItemView> Answer(AnswerCommand command);

    /// <summary>Mutes or bans the author of an item in this consultation.</summary>
    [Alias("sanction")]
    Task<Sanction> Sanction(SanctionCommand command);

    [Alias("moderation-log")]
    Task<ModerationLogPage> GetModerationLog(long afterSeq, int limit);

    /// <summary>Re-reads the stored log and checks every entry's hash and link.</summary>
    [Alias("verify-log")]
    Task<LogVerification> VerifyModerationLog();
}

/// <summary>What the gateways and the analysis grains exchange with a consultation: subscriptions, the change batches, the opinion and topic summaries pushed through it.</summary>
[Alias("dialogue.consultation.feed")]
public interface IConsultationFeed : IGrainWithStringKey
{
    /// <summary>Subscribes a gateway; call again before <see cref="ObserverLease.Expiry"/> to stay subscribed.</summary>
    [Alias("subscribe")]
    Task<ObserverLease> Subscribe(IConsultationObserver observer);

    [Alias("unsubscribe")]
    Task Unsubscribe(IConsultationObserver observer);

    /// <summary>
    /// What changed after <paramref name="afterSeq"/> as a batch for the gateways: the current views of
    /// the items changed since (at most <paramref name="limit"/>), the log entries, the consultation and
    /// the presenter frame. <see cref="ChangeBatch.UpToSeq"/> says how far it reaches; below the
    /// consultation's last seq, ask again after it.
    /// </summary>
    [Alias("changes-since")]
    Task<ChangeBatch> GetChanges(long afterSeq, int limit);

    /// <summary>The opinion grain hands over a new summary to push to the gateways.</summary>
    [OneWay, Alias("publish-opinion")]
    Task PublishOpinion(OpinionView view);

    /// <summary>The topics grain hands over the topic groups after a regrouping, to push to staff and officials.</summary>
    [OneWay, Alias("publish-topics")]
    Task PublishTopics(TopicsView view);

    /// <summary>Every published item with its text, tags and votes: the topic grain rebuilds itself from it.</summary>
    [Alias("topic-inputs")]
    Task<TopicSnapshot> GetTopicInputs();

    /// <summary>Each published item's author (item id → citizen id): inside the cluster only, for the segment breakdown.</summary>
    [Alias("authors")]
    Task<IReadOnlyDictionary<string, string>> GetAuthors();
}

[GenerateSerializer, Alias("dialogue.observer-lease")]
public sealed record ObserverLease([property: Id(0)] TimeSpan Expiry, [property: Id(1)] long LastSeq);

/// <summary>One per gateway process per consultation: the gateway forwards to its SignalR groups.</summary>
[Alias("dialogue.consultation-observer")]
public interface IConsultationObserver : IGrainObserver
{
    [OneWay, Alias("changes")]
    Task OnChanges(string consultationId, ChangeBatch batch);
}

/// <summary>
/// One citizen. Gives a pseudonym per consultation (unlinkable across consultations), enforces
/// the per-citizen rate limit and remembers the citizen's own items.
/// </summary>
[Alias("dialogue.citizen")]
public interface ICitizenGrain : IGrainWithStringKey
{
    [Alias("pseudonym")]
    Task<string> GetPseudonym(string consultationId);

    /// <param name="admission">How the citizen's token was admitted; null for an open, unbound token.</param>
    [Alias("submit")]
    Task<SubmitResult> Submit(string consultationId, string clientId, string text, Admission? admission = null);

    /// <param name="admission">How the citizen's token was admitted; null for an open, unbound token.</param>
    [Alias("vote")]
    Task<VoteResult> Vote(string consultationId, string itemId, int value, Admission? admission = null);

    /// <summary>The citizen's own items in one consultation, with status and rejection reason.</summary>
    [Alias("own-items")]
    Task<IReadOnlyList<ItemView>> GetOwnItems(string consultationId);

    /// <summary>Called by a consultation when a moderator sanctions this citizen there.</summary>
    [Alias("apply-sanction")]
    Task ApplySanction(string consultationId, Sanction sanction);

    [OneWay, Alias("notify")]
    Task Notify(Notification notification);

    [Alias("notifications")]
    Task<IReadOnlyList<Notification>> GetNotifications();

    [Alias("mark-read")]
    Task MarkRead(string notificationId);

    /// <summary>Sets the citizen's self-described segments in a consultation (null or left out: not answered); rate limited.</summary>
    [Alias("describe")]
    Task<IReadOnlyDictionary<string, string>> Describe(string consultationId, IReadOnlyDictionary<string, string?> answers, Admission? admission = null);

    /// <summary>The citizen's segment answers in a consultation (empty when none).</summary>
    [Alias("description")]
    Task<IReadOnlyDictionary<string, string>> GetDescription(string consultationId);

    /// <summary>Everything held about this citizen, in one consultation or in all they took part in.</summary>
    [Alias("data")]
    Task<CitizenData> GetData(string? consultationId);

    /// <summary>
    /// Erases the citizen's contributions in every consultation they took part in, then destroys
    /// their salt (the key of their pseudonyms) and notifications. Sanctions stay in force.
    /// </summary>
    [Alias("erase")]
    Task<IReadOnlyList<ErasureResult>> Erase();

    /// <summary>
    /// Marks the citizen as reachable by a messaging channel (WhatsApp, SMS), so notifications also go to
    /// their <see cref="IChannelConversationGrain"/>; null unlinks.
    /// </summary>
    [Alias("link-channel")]
    Task LinkChannel(string? channel);

    /// <summary>The retention job of a consultation: forget it (its pseudonym can no longer be recomputed from this citizen).</summary>
    [Alias("forget")]
    Task Forget(string consultationId);
}

/// <summary>The list of consultations (single activation, key 0): small summaries only.</summary>
[Alias("dialogue.directory")]
public interface IConsultationDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("register")]
    Task Register(ConsultationSummary summary);

    [Alias("list")]
    Task<IReadOnlyList<ConsultationSummary>> List();
}

[GenerateSerializer, Alias("dialogue.consultation-summary")]
public sealed record ConsultationSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] ConsultationMode Mode,
    [property: Id(3)] ConsultationStatus Status,
    [property: Id(4)] DateTimeOffset CreatedAt)
{
    [Id(5)] public ConsultationVisibility Visibility { get; init; }
}
