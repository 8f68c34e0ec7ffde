using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Consultations.Opinion;
using OpenGov.Dialogue.Consultations.Topics;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Journal;
using Orleans.Concurrency;

namespace OpenGov.Dialogue.Consultations;

/// <summary>Small grain state: the settings. Items, votes and decisions live in the journal.</summary>
[GenerateSerializer, Alias("dialogue.consultation-state")]
public sealed class ConsultationState
{
    [Id(0)] public string Title { get; set; } = string.Empty;
    [Id(1)] public string Description { get; set; } = string.Empty;
    [Id(2)] public ConsultationMode Mode { get; set; }
    [Id(3)] public ModerationMode Moderation { get; set; }
    [Id(4)] public ConsultationStatus Status { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public string CreatedBy { get; set; } = string.Empty;
    [Id(7)] public ConsultationVisibility Visibility { get; set; }
    [Id(8)] public bool PublishRejected { get; set; }
    [Id(9)] public int? RetentionDays { get; set; }
    [Id(10)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(11)] public DateTimeOffset? AnonymisedAt { get; set; }
    [Id(12)] public AdmissionMode Admission { get; set; }
    [Id(13)] public int JoinCodeMinutes { get; set; } = ConsultationDefaults.JoinCodeMinutes;
}

/// <summary>
/// Reentrant so that many submissions and votes can wait on the journal at once (the journal
/// commits them together); the ledger only ever sees durable events, applied in sequence order.
/// Moderation decisions go one at a time, because each log entry links to the one before it.
/// </summary>
[Reentrant]
public sealed partial class ConsultationGrain(
    [PersistentState("consultation", StorageNames.Grains)] IPersistentState<ConsultationState> state,
    IDialogueJournal journal,
    TimeProvider clock,
    IOptions<DialogueOptions> options,
    ILogger<ConsultationGrain> logger) : Grain, IConsultationGrain
{
    private static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan PresenterEvery = TimeSpan.FromMilliseconds(250);
    private const int PresenterNext = 5;

    private readonly SortedDictionary<long, Pending> _pending = [];
    private readonly Dictionary<(string, string), Task<SubmitResult>> _submitting = [];
    private readonly Dictionary<IConsultationObserver, DateTimeOffset> _observers = [];
    private readonly Dictionary<string, (ConsultationLedger.Entry Item, bool VotesOnly)> _outbox = new(StringComparer.Ordinal);
    private readonly List<NotificationDelivery> _notifications = [];
    private readonly Queue<(string Citizen, Notification Notification)> _toKeep = new();
    private bool _keeping;
    private const int KeepBatch = 200;
    private static readonly TimeSpan KeepPause = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _decisions = new(1, 1);
    private ConsultationLedger _ledger = new(ConsultationMode.Qa);
    private long _nextSeq = 1;
    private int _nextItemNumber = 1;
    private readonly List<ModerationLogEntry> _logOutbox = [];
    private bool _settingsChanged;
    private bool _presenterDirty;
    private string? _presenterSignature;

    // This activation's share of the queue-length gauge (DialogueMetrics.ModerationQueueLength).
    private int _queueReported;

    // The last seq the batches to the observers covered: each batch says where it starts, so a gateway can tell what it missed.
    private long _publishedSeq;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = NewLedger(state.State.Mode);
        var unfinished = new List<(ConsultationEvent Event, long Seq)>();
        if (state.RecordExists)
        {
            await foreach (var record in journal.ReadAsync(Id, 0, cancellationToken))
            {
                var e = ConsultationEventCodec.Decode(record);
                _ledger.Apply(record.Seq, record.At, e);
                Learn(e);
                LearnSettings(e, record.At);
                if (e is ContributionsErased { CitizenId: not null } or IdentitiesAnonymised { Pending: true })
                {
                    unfinished.Add((e, record.Seq));
                }
            }
        }

        _nextSeq = _ledger.LastSeq + 1;
        _publishedSeq = _ledger.LastSeq;

        // An erasure or anonymisation the process did not finish rewriting before it stopped is finished now, before anything is served.
        foreach (var (e, seq) in unfinished)
        {
            await FinishRewrite(e, seq, cancellationToken);
        }

        _nextItemNumber = _ledger.HighestItemNumber + 1;
        ReportQueueLength(_ledger.QueueLength);
        // No timer for a code nobody created (a probe, a typo); Create starts it.
        if (state.RecordExists)
        {
            this.RegisterGrainTimer(PushPresenter, PresenterEvery, PresenterEvery);
        }
    }

    public async Task<ConsultationInfo> Create(CreateConsultation command)
    {
        if (state.RecordExists)
        {
            throw new DialogueException(ErrorCodes.Conflict, "A consultation with this id exists already.");
        }

        var s = state.State;
        s.Title = command.Title;
        s.Description = command.Description;
        s.Mode = command.Mode;
        s.Moderation = command.Moderation;
        s.Status = command.Status;
        s.CreatedAt = clock.GetUtcNow();
        s.CreatedBy = command.CreatedBy;
        s.Visibility = command.Visibility;
        s.PublishRejected = command.PublishRejected;
        s.RetentionDays = command.RetentionDays;
        s.ClosedAt = command.Status == ConsultationStatus.Closed ? s.CreatedAt : null;
        s.Admission = command.Admission;
        s.JoinCodeMinutes = AdmissionRules.CheckJoinCodeMinutes(command.JoinCodeMinutes);
        await state.WriteStateAsync();
        _ledger = NewLedger(s.Mode);
        this.RegisterGrainTimer(PushPresenter, PresenterEvery, PresenterEvery);
        await RegisterInDirectory();
        return Info();
    }

    public Task<ConsultationInfo?> GetInfo()
    {
        if (!state.RecordExists)
        {
            // Answer "none", then leave no activation behind for a code that was never created.
            DeactivateOnIdle();
            return Task.FromResult<ConsultationInfo?>(null);
        }

        return Task.FromResult<ConsultationInfo?>(Info());
    }

    public Task<SubmitResult?> FindSubmission(string citizenId, string clientId) =>
        Task.FromResult(_ledger.FindSubmission(citizenId, clientId));

    public Task<SubmitResult> Submit(SubmitItem command)
    {
        EnsureOpen();
        AdmissionRules.Check(state.State.Admission, Id, command.Admission);
        EnsureNotSanctioned(command.CitizenId, SanctionKind.Mute);
        var key = (command.CitizenId, command.ClientId);
        if (_ledger.FindSubmission(command.CitizenId, command.ClientId) is { } earlier)
        {
            return Task.FromResult(earlier);
        }

        // A repeat that arrives while the first is still being written waits for the first.
        if (_submitting.TryGetValue(key, out var inFlight))
        {
            return RepeatOf(inFlight);
        }

        var text = TextRules.Clean(command.Text, options.Value.MaxTextLength);
        var task = SubmitNew(command, text);
        _submitting[key] = task;
        return task;
    }

    public async Task<VoteResult> Vote(CastVote command)
    {
        EnsureOpen();
        AdmissionRules.Check(state.State.Admission, Id, command.Admission);
        VoteRules.Check(state.State.Mode, command.Value);
        var item = _ledger.Find(command.ItemId);
        if (item is null || !ConsultationLedger.IsPublic(item.Status))
        {
            throw new DialogueException(ErrorCodes.NotFound, $"Item '{command.ItemId}' is not open for votes.");
        }

        EnsureNotSanctioned(command.CitizenId, SanctionKind.Ban);
        long seq = 0;
        if (_ledger.WouldChange(item, command.CitizenId, command.Value))
        {
            seq = await Commit((_, _) => new VoteCast(command.ItemId, command.CitizenId, command.Value, Admission: AdmissionRules.ModeOf(command.Admission)));
            DialogueMetrics.VotesApplied.Add(1);
        }

        return new VoteResult(item.Id, command.Value, seq == 0 ? item.Seq : seq, item.Tally);
    }

    public Task<IReadOnlyList<ItemView>> GetItemsBy(string citizenId) =>
        Task.FromResult<IReadOnlyList<ItemView>>([.. _ledger.ItemsBy(citizenId).OrderBy(i => i.SubmitSeq).Select(i => i.OwnView())]);

    public Task<ItemPage> GetItems(Viewer viewer, long afterSeq, int limit)
    {
        EnsureExists();
        return Task.FromResult(_ledger.Page(viewer, Math.Max(0, afterSeq), Math.Clamp(limit, 1, 1000), clock.GetUtcNow()));
    }

    public Task<ObserverLease> Subscribe(IConsultationObserver observer)
    {
        EnsureExists();
        _observers[observer] = clock.GetUtcNow() + ObserverLifetime;
        return Task.FromResult(new ObserverLease(ObserverLifetime, _ledger.LastSeq));
    }

    public Task Unsubscribe(IConsultationObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    public Task<ChangeBatch> GetChanges(long afterSeq, int limit)
    {
        EnsureExists();
        afterSeq = Math.Max(0, afterSeq);
        var now = clock.GetUtcNow();
        var (items, through) = _ledger.ChangedSince(afterSeq, Math.Clamp(limit, 1, 1000));
        return Task.FromResult(new ChangeBatch([.. items.Select(i => Change(i, votesOnly: false, now))], [], BuildPresenter())
        {
            Consultation = Info(),
            Log = [.. _ledger.Log.Where(e => e.Seq > afterSeq && e.Seq <= through)],
            AfterSeq = afterSeq,
            UpToSeq = through,
        });
    }

    public Task<IReadOnlyList<ItemView>> GetRanking(RankingSort sort, bool pinnedFirst, int limit)
    {
        EnsureExists();
        var views = _ledger.Items.Where(i => ConsultationLedger.IsPublic(i.Status)).Select(i => i.PublicView()!);
        return Task.FromResult<IReadOnlyList<ItemView>>([.. Ranking.Order(views, sort, pinnedFirst, clock.GetUtcNow()).Take(Math.Clamp(limit, 1, 1000))]);
    }

    public Task<PresenterFrame> GetPresenter()
    {
        EnsureExists();
        return Task.FromResult(BuildPresenter());
    }

    private async Task<SubmitResult> SubmitNew(SubmitItem command, string text)
    {
        try
        {
            var status = state.State.Moderation == ModerationMode.Pre ? ItemStatus.Pending : ItemStatus.Published;
            var itemId = $"i{_nextItemNumber++}";
            // Scoring reads only thread-safe indexes: on the thread pool it runs beside other calls
            // instead of holding the grain's one thread.
            var triage = await Task.Run(() => Triage(text));
            var seq = await Commit(
                (_, _) => new ItemSubmitted(itemId, command.CitizenId, command.Pseudonym, command.ClientId, text, status, triage, AdmissionRules.ModeOf(command.Admission)),
                clientKey: $"{command.CitizenId}:{command.ClientId}");
            DialogueMetrics.ItemsSubmitted.Add(1);
            return new SubmitResult(SubmitOutcome.Accepted, itemId, seq, status);
        }
        finally
        {
            _submitting.Remove((command.CitizenId, command.ClientId));
        }
    }

    private static async Task<SubmitResult> RepeatOf(Task<SubmitResult> first) => (await first) with { Outcome = SubmitOutcome.Repeat };

    /// <summary>
    /// Writes one event and returns its sequence number once it is durable and applied. Appends
    /// are pipelined; the ledger applies them strictly in sequence order, skipping failed ones.
    /// </summary>
    private async Task<long> Commit(Func<long, DateTimeOffset, ConsultationEvent> build, string? clientKey = null, DateTimeOffset? at = null)
    {
        var seq = _nextSeq++;
        var when = at ?? clock.GetUtcNow();
        var e = build(seq, when);
        var record = ConsultationEventCodec.Encode(Id, seq, e, clientKey, when);
        var append = journal.AppendAsync(record);
        _pending.Add(seq, new Pending(record, e, append));
        try
        {
            await append;
        }
        catch (JournalConflictException ex)
        {
            // Another activation wrote this stream: this one's memory is stale. Start over from the journal.
            logger.LogError(ex, "Journal conflict in consultation {Id}; deactivating", Id);
            DeactivateOnIdle();
            throw new DialogueException(ErrorCodes.Conflict, "The consultation was changed elsewhere; please retry.");
        }
        finally
        {
            ApplyDurable();
        }

        return seq;
    }

    /// <summary>Applies every resolved append at the head of the queue, in order, then notifies gateways.</summary>
    private void ApplyDurable()
    {
        var opinion = new List<OpinionInput>();
        var topics = new List<TopicInput>();
        var logBefore = _ledger.Log.Count;
        while (_pending.Count > 0)
        {
            var (seq, pending) = _pending.First();
            if (!pending.Append.IsCompleted)
            {
                break;
            }

            _pending.Remove(seq);
            if (!pending.Append.IsCompletedSuccessfully)
            {
                continue;
            }

            foreach (var item in _ledger.Apply(seq, pending.Record.At, pending.Event))
            {
                // A vote that raised a burst flag changes the moderators' view, not only the counts.
                var votesOnly = pending.Event is VoteCast && item.Burst?.Seq != seq;
                // Views are built once per batch from the item's state then; a change stays "votes only"
                // only if every change to the item since the last batch was a vote.
                _outbox[item.Id] = (item, votesOnly && (!_outbox.TryGetValue(item.Id, out var earlier) || earlier.VotesOnly));
                _presenterDirty |= item.WasPublic;
                if (TopicInputs.From(seq, pending.Event, item) is { } topic)
                {
                    topics.Add(topic);
                }
            }

            Learn(pending.Event);
            LearnSettings(pending.Event, pending.Record.At);

            if (_ledger.Mode == ConsultationMode.Deliberation)
            {
                opinion.AddRange(OpinionInputs.From(seq, pending.Event));
            }
        }

        // The ledger keeps the log (decisions, settings, erasures): whatever it gained goes out live.
        _logOutbox.AddRange(_ledger.Log.Skip(logBefore));

        if (opinion.Count > 0)
        {
            // One-way and in sequence order: the analysis never slows a vote down.
            GrainFactory.GetGrain<IOpinionGrain>(Id).Apply(opinion).Ignore();
        }

        if (topics.Count > 0)
        {
            GrainFactory.GetGrain<ITopicsGrain>(Id).Apply(topics).Ignore();
        }

        ReportQueueLength(_ledger.QueueLength);
        Publish(null);
    }

    /// <summary>Moves this consultation's share of the queue-length gauge to <paramref name="length"/> (0 when it deactivates).</summary>
    private void ReportQueueLength(int length)
    {
        if (length != _queueReported)
        {
            DialogueMetrics.AddToModerationQueue(length - _queueReported);
            _queueReported = length;
        }
    }

    public Task<TopicSnapshot> GetTopicInputs() =>
        Task.FromResult(new TopicSnapshot(
            _ledger.LastSeq,
            [.. _ledger.Items.Where(i => ConsultationLedger.IsPublic(i.Status)).Select(i => TopicInputs.Full(i.Seq, i))]));

    public Task<IReadOnlyDictionary<string, string>> GetAuthors() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(
            _ledger.Items.Where(i => ConsultationLedger.IsPublic(i.Status) && !ConsultationLedger.IsReplacement(i.CitizenId))
                .ToDictionary(i => i.Id, i => i.CitizenId, StringComparer.Ordinal));

    public Task PublishOpinion(OpinionView view)
    {
        Publish(null, view);
        return Task.CompletedTask;
    }

    public Task PublishTopics(TopicsView view)
    {
        Publish(null, topics: view);
        return Task.CompletedTask;
    }

    private void Publish(PresenterFrame? presenter, OpinionView? opinion = null, TopicsView? topics = null)
    {
        if (_outbox.Count == 0 && _notifications.Count == 0 && presenter is null && opinion is null && topics is null && _logOutbox.Count == 0 && !_settingsChanged)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var changes = _outbox.Values.OrderBy(c => c.Item.Seq).Select(c => Change(c.Item, c.VotesOnly, now));
        var batch = new ChangeBatch([.. changes], [.. _notifications], presenter, opinion)
        {
            Consultation = _settingsChanged ? Info() : null,
            Log = [.. _logOutbox],
            Topics = topics,
            AfterSeq = _publishedSeq,
            UpToSeq = _ledger.LastSeq,
        };
        _publishedSeq = _ledger.LastSeq;
        _outbox.Clear();
        _notifications.Clear();
        _logOutbox.Clear();
        _settingsChanged = false;
        foreach (var (observer, expiry) in _observers.ToArray())
        {
            if (expiry < now)
            {
                _observers.Remove(observer);
                continue;
            }

            // One-way: a slow or dead gateway never holds up the grain.
            observer.OnChanges(Id, batch).Ignore();
        }
    }

    private static ItemChange Change(ConsultationLedger.Entry item, bool votesOnly, DateTimeOffset now) => votesOnly
        ? new ItemChange(item.Id, item.Seq, null, null, null, item.CitizenId, new VoteUpdate(item.Id, item.Seq, item.Tally))
        : new ItemChange(item.Id, item.Seq, item.StaffView(now), item.PublicView(), item.OwnView(), item.CitizenId);

    /// <summary>At most every 250 ms: the presenter screen, when anything public moved.</summary>
    private Task PushPresenter(CancellationToken cancellationToken)
    {
        if (!_presenterDirty || _observers.Count == 0)
        {
            return Task.CompletedTask;
        }

        _presenterDirty = false;
        var frame = BuildPresenter();
        var signature = string.Join(',', new[] { frame.Highlighted }.Concat(frame.Next).Select(i => i is null ? "-" : $"{i.Id}@{i.Seq}"));
        if (signature != _presenterSignature)
        {
            _presenterSignature = signature;
            Publish(frame);
        }

        return Task.CompletedTask;
    }

    private PresenterFrame BuildPresenter()
    {
        var highlighted = _ledger.HighlightedId is { } id && _ledger.Find(id) is { } item && ConsultationLedger.IsPublic(item.Status)
            ? item.PublicView()
            : null;
        var next = Ranking.Order(
                _ledger.Items.Where(i => ConsultationLedger.IsPublic(i.Status) && i.Id != highlighted?.Id).Select(i => i.PublicView()!),
                RankingSort.Popular,
                pinnedFirst: true,
                clock.GetUtcNow())
            .Take(PresenterNext);
        return new PresenterFrame(Id, highlighted, [.. next], _ledger.LastSeq);
    }

    private ConsultationInfo Info()
    {
        var s = state.State;
        return new ConsultationInfo(Id, s.Title, s.Description, s.Mode, s.Moderation, s.Status, s.CreatedAt, _ledger.LastSeq, _ledger.ItemCount)
        {
            Visibility = s.Visibility,
            PublishRejected = s.PublishRejected,
            RetentionDays = s.RetentionDays,
            ClosedAt = s.ClosedAt,
            AnonymisedAt = s.AnonymisedAt,
            Admission = s.Admission,
            JoinCodeMinutes = s.JoinCodeMinutes,
        };
    }

    private ConsultationLedger NewLedger(ConsultationMode mode) => new(mode, options.Value.VoteBurstRule());

    public Task<AdmissionTallies> GetAdmissionTallies()
    {
        EnsureExists();
        return Task.FromResult(_ledger.AdmissionTallies(state.State.Admission));
    }

    /// <summary>Settings changes are journalled: replay gives the same settings even if the state write after one was lost.</summary>
    private void LearnSettings(ConsultationEvent e, DateTimeOffset at)
    {
        var s = state.State;
        switch (e)
        {
            case Moderated { Settings: { } settings }:
                s.Title = settings.Title;
                s.Description = settings.Description;
                s.Status = settings.Status;
                s.Visibility = settings.Visibility;
                s.PublishRejected = settings.PublishRejected;
                s.RetentionDays = settings.RetentionDays;
                s.ClosedAt = settings.ClosedAt;
                s.Admission = settings.Admission;
                s.JoinCodeMinutes = settings.JoinCodeMinutes;
                _settingsChanged = true;
                break;
            case IdentitiesAnonymised:
                s.AnonymisedAt ??= at;
                _settingsChanged = true;
                break;
        }
    }

    private void EnsureExists()
    {
        if (!state.RecordExists)
        {
            DeactivateOnIdle();
            throw new DialogueException(ErrorCodes.NotFound, $"Consultation '{Id}' does not exist.");
        }
    }

    /// <summary>
    /// The consultation enforces its own mutes and bans from its journal, so a sanction is one durable
    /// step: the logged event. (The citizen grain keeps a copy to answer early; it is not the authority.)
    /// </summary>
    private void EnsureNotSanctioned(string citizenId, SanctionKind stoppedBy) =>
        SanctionRules.Enforce(_ledger.SanctionOf(citizenId), stoppedBy, clock.GetUtcNow());

    private void EnsureOpen()
    {
        EnsureExists();
        if (state.State.Status != ConsultationStatus.Open)
        {
            var why = state.State.Status switch
            {
                ConsultationStatus.Draft => "has not opened yet",
                ConsultationStatus.Archived => "is archived",
                _ => "is closed",
            };
            throw new DialogueException(ErrorCodes.Closed, $"This consultation {why}: it takes no submissions or votes; everything stays readable.");
        }
    }

    private sealed record Pending(JournalRecord Record, ConsultationEvent Event, Task Append);
}
