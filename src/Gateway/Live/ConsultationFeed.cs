using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// The gateway's one observer of every consultation its clients watch (DESIGN.md §4): the grain
/// notifies it once per batch, and a send loop per consultation forwards to the local hub connections —
/// staff get full views, participants public views, authors their own hidden items. The loop writes to
/// each connection without waiting for it (<see cref="LiveConnection"/>): a connection whose previous
/// frame is still unsent is skipped and gets the coalesced state later, and one that stays behind is
/// aborted, so no socket holds up a sweep. Subscriptions are renewed every few seconds, which also finds
/// a reactivated grain (it has lost its observers) and fetches what it published to nobody
/// (<see cref="FeedIntake"/>); they are dropped when nobody watches any more. Readers of the public
/// Server-Sent Events feed hang off the same loop (<see cref="PublicFeedEndpoints"/>), each with a
/// bounded queue of its own.
/// </summary>
public sealed class ConsultationFeed(
    IGrainFactory grains,
    IHubContext<DialogueHub> hub,
    LiveConnections connections,
    IOptions<LiveOptions> liveOptions,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
    TimeProvider clock,
    ILogger<ConsultationFeed> logger) : IConsultationObserver, IHostedService, IDisposable
{
    /// <summary>Position of the public feed in a sweep: right after staff, before the participant shards.</summary>
    private const int FeedStep = 1;
    private const int FirstShardStep = 2;

    private static readonly TimeSpan MinPacing = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPacing = TimeSpan.FromMilliseconds(100);

    /// <summary>How soon a sweep comes back for connections it skipped when nothing new arrives.</summary>
    private static readonly TimeSpan RetryLagging = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Joined> _joined = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, FeedAudience> _feedAudiences = new(StringComparer.Ordinal);
    private readonly Lock _feedLock = new();
    private readonly JsonSerializerOptions _json = jsonOptions.Value.SerializerOptions;
    private IConsultationObserver? _reference;
    private Task? _renewLoop;

    /// <summary>Participants are spread over this many shards per consultation (<see cref="ConsultationAudiences.PublicShards"/>).</summary>
    public const int PublicShards = ConsultationAudiences.PublicShards;

    /// <summary>Adds a hub connection to an audience of the consultation (out of any other audience of it) and subscribes the gateway.</summary>
    public async Task AddConnection(string connectionId, string consultationId, LiveAudience audience)
    {
        var connection = connections.Find(connectionId) ?? throw new InvalidOperationException($"Connection {connectionId} is not open.");
        var joined = _joined.GetOrAdd(connectionId, _ => new Joined());
        joined.Add(consultationId);
        var subscription = Watch(consultationId, s => s.Audiences.TryAdd(connection, audience));
        await EnsureSubscribed(subscription);
    }

    public Task RemoveConnection(string connectionId, string consultationId)
    {
        if (_joined.TryGetValue(connectionId, out var joined))
        {
            joined.Remove(consultationId);
        }

        if (_subscriptions.TryGetValue(consultationId, out var subscription))
        {
            subscription.Audiences.Remove(connectionId);
        }

        return Task.CompletedTask;
    }

    /// <summary>On disconnect: out of every audience.</summary>
    public Task RemoveConnection(string connectionId)
    {
        if (_joined.TryRemove(connectionId, out var joined))
        {
            foreach (var consultationId in joined.Consultations)
            {
                if (_subscriptions.TryGetValue(consultationId, out var subscription))
                {
                    subscription.Audiences.Remove(connectionId);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Hub connections of the consultation on this gateway.</summary>
    public int Watchers(string consultationId) =>
        _subscriptions.TryGetValue(consultationId, out var subscription) ? subscription.Audiences.Connections : 0;

    /// <summary>Whether this gateway holds a subscription to the consultation.</summary>
    public bool IsSubscribed(string consultationId) => _subscriptions.ContainsKey(consultationId);

    /// <summary>
    /// Adds a public-feed reader. It is registered (and the consultation subscribed) before the caller
    /// reads the gap, so nothing falls between the two; the reader dedupes by seq.
    /// </summary>
    public async Task AddFeedReader(string consultationId, FeedReader reader)
    {
        FeedRound? topics;
        lock (_feedLock)
        {
            if (!_feedAudiences.TryGetValue(consultationId, out var audience))
            {
                audience = new FeedAudience();
                _feedAudiences[consultationId] = audience;
                _ = FirstTopics(consultationId, audience);
            }

            audience.Readers = [.. audience.Readers, reader];
            topics = audience.Topics;
        }

        if (topics is not null)
        {
            reader.Offer(topics);
        }

        try
        {
            await EnsureSubscribed(Watch(consultationId, s => s.Audiences.TryAddFeedReader()));
        }
        catch
        {
            RemoveFeedReader(consultationId, reader);
            throw;
        }
    }

    public void RemoveFeedReader(string consultationId, FeedReader reader)
    {
        reader.Complete();
        lock (_feedLock)
        {
            if (!_feedAudiences.TryGetValue(consultationId, out var audience))
            {
                return;
            }

            var readers = audience.Readers;
            audience.Readers = [.. readers.Where(r => r != reader)];
            if (audience.Readers.Length < readers.Length && _subscriptions.TryGetValue(consultationId, out var subscription))
            {
                subscription.Audiences.RemoveFeedReader();
            }

            if (audience.Readers.Length == 0)
            {
                // The observer subscription itself goes at the next renewal round, as for hub connections.
                _feedAudiences.TryRemove(consultationId, out _);
                audience.Stopping.Cancel();
            }
        }
    }

    /// <summary>Public-feed readers of the consultation on this gateway.</summary>
    public int FeedReaders(string consultationId) =>
        _feedAudiences.TryGetValue(consultationId, out var audience) ? audience.Readers.Length : 0;

    public Task OnChanges(string consultationId, ChangeBatch batch)
    {
        if (_subscriptions.TryGetValue(consultationId, out var subscription))
        {
            subscription.Queue.Writer.TryWrite(batch);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<IConsultationObserver>(this);
        _renewLoop = RenewLoop();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_renewLoop is not null)
        {
            await _renewLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Queue.Writer.TryComplete();
        }

        // Feed readers end their responses; their endpoints unregister them.
        foreach (var audience in _feedAudiences.Values)
        {
            foreach (var reader in audience.Readers)
            {
                reader.Complete();
            }

            audience.Stopping.Cancel();
        }

        if (_reference is not null)
        {
            grains.DeleteObjectReference<IConsultationObserver>(_reference);
            _reference = null;
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
    }

    /// <summary>
    /// The consultation's subscription with the watcher added. A subscription the renew loop closed
    /// (nobody watched) takes no one: it is replaced by a new one, so a first join never lands in a
    /// subscription on its way out.
    /// </summary>
    private Subscription Watch(string consultationId, Func<Subscription, bool> add)
    {
        while (true)
        {
            var subscription = _subscriptions.GetOrAdd(consultationId, id => new Subscription(id));
            if (add(subscription))
            {
                return subscription;
            }

            _subscriptions.TryRemove(new KeyValuePair<string, Subscription>(consultationId, subscription));
        }
    }

    /// <summary>Subscribes to the grain once per subscription and starts its send loop; a failed attempt is made again by the next caller.</summary>
    private Task EnsureSubscribed(Subscription subscription)
    {
        lock (subscription)
        {
            if (subscription.Started is null || subscription.Started.IsFaulted || subscription.Started.IsCanceled)
            {
                subscription.Started = Start(subscription);
            }

            return subscription.Started;
        }
    }

    private async Task Start(Subscription subscription)
    {
        var grain = grains.GetGrain<IConsultationGrain>(subscription.ConsultationId);
        var lease = await grain.Subscribe(Reference);
        var intake = new FeedIntake(grain, lease.LastSeq, clock, logger);
        // Runs until the subscription's queue is completed (dropped, or shutdown).
        _ = SendLoop(subscription, intake);
    }

    private IConsultationObserver Reference => _reference ?? throw new InvalidOperationException("The feed has not started.");

    /// <summary>
    /// Every few seconds: drops the subscriptions nobody watches, renews the others, and hands each lease's
    /// last seq to the send loop, which fetches what it has not had (a reactivated grain published to
    /// nobody). A failed or cancelled call is retried next round; only the gateway stopping ends the loop.
    /// </summary>
    private async Task RenewLoop()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(liveOptions.Value.ResubscribeSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await RenewOnce();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round of <see cref="RenewLoop"/> (tests run rounds of their own beside it).</summary>
    public async Task RenewOnce()
    {
        foreach (var (id, subscription) in _subscriptions)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var grain = grains.GetGrain<IConsultationGrain>(id);
                if (subscription.Audiences.TryClose())
                {
                    _subscriptions.TryRemove(new KeyValuePair<string, Subscription>(id, subscription));
                    subscription.Queue.Writer.TryComplete();
                    await grain.Unsubscribe(Reference);
                }
                else if (subscription.Started is { IsCompletedSuccessfully: true })
                {
                    var lease = await grain.Subscribe(Reference);
                    subscription.Queue.Writer.TryWrite(new ChangeBatch([], [], null) { AfterSeq = lease.LastSeq, UpToSeq = lease.LastSeq });
                }
                else
                {
                    await EnsureSubscribed(subscription);
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Renewing the subscription to {Consultation} failed; retrying next round", id);
            }
        }
    }

    /// <summary>
    /// Sweeps the audiences in turn — staff, officials and presenter screens (and authors' and citizens'
    /// own messages) first, then the public feed, then the participant shards one after the other — and
    /// sends each connection whatever reached the feed since its last frame, newest version of each item
    /// only. A change that arrives while a sweep is under way goes out to the audiences the sweep has not
    /// reached yet in this same sweep, and to the others in the next. Writes are never awaited: a
    /// connection whose previous frame is still unsent is skipped, keeps its own place in the backlog and
    /// gets everything since in one frame when it has caught up; after <see cref="LiveOptions.StalledSendSeconds"/>
    /// behind it is aborted.
    /// </summary>
    private async Task SendLoop(Subscription subscription, FeedIntake intake)
    {
        var id = subscription.ConsultationId;
        var audiences = subscription.Audiences;
        var reader = subscription.Queue.Reader;
        var backlog = new Backlog();
        var frames = new LiveFrames(id, backlog);
        var abortAfter = (long)(liveOptions.Value.StalledSendSeconds * Stopwatch.Frequency);
        // Where each audience is in the backlog: 0 = the staff step, 1 = the public feed, 2 + s = public shard s.
        var sentUpTo = new long[FirstShardStep + PublicShards];
        var lagging = new Lagging();
        Task<bool>? waiting = null;
        while (true)
        {
            if (sentUpTo.Min() >= backlog.End)
            {
                if (lagging.Count == 0)
                {
                    if (!await reader.WaitToReadAsync())
                    {
                        break;
                    }
                }
                else
                {
                    // One wait at a time on the queue: the last one may still be pending when the delay won.
                    waiting = waiting is { IsCompleted: false } ? waiting : reader.WaitToReadAsync().AsTask();
                    await Task.WhenAny(waiting, Task.Delay(RetryLagging));
                    if (waiting.IsCompleted && !await waiting)
                    {
                        break;
                    }
                }
            }

            var started = Stopwatch.GetTimestamp();
            var retrying = lagging.Count > 0;
            lagging.Reset();
            try
            {
                for (var step = 0; step < sentUpTo.Length; step++)
                {
                    while (reader.TryRead(out var batch))
                    {
                        await intake.Take(batch, backlog, id);
                    }

                    var from = sentUpTo[step];
                    var end = backlog.End;
                    if (from == end && !retrying)
                    {
                        continue;
                    }

                    if (step == 0)
                    {
                        if (from < end)
                        {
                            UserSends(id, frames.Round(from));
                        }

                        var now = Stopwatch.GetTimestamp();
                        Deliver(audiences.Staff, LiveAudience.Staff, from, end, frames, now, abortAfter, lagging);
                        Deliver(audiences.Officials, LiveAudience.Officials, from, end, frames, now, abortAfter, lagging);
                        Deliver(audiences.Presenter, LiveAudience.Presenter, from, end, frames, now, abortAfter, lagging);
                    }
                    else if (step == FeedStep)
                    {
                        if (from < end && FeedReaders(id) > 0)
                        {
                            FeedSends(id, frames.Round(from));
                        }
                    }
                    else
                    {
                        var members = audiences.Shard(step - FirstShardStep);
                        if (members.Length > 0)
                        {
                            Deliver(members, LiveAudience.Public, from, end, frames, Stopwatch.GetTimestamp(), abortAfter, lagging);

                            // To the back of the thread pool's queue, behind this shard's writes and whatever else waits.
                            await Task.Yield();
                        }
                    }

                    sentUpTo[step] = end;
                }

                backlog.DropBefore(Math.Min(sentUpTo.Min(), lagging.MinFrom));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Sending to consultation {Consultation} failed", id);
            }

            // Pace by the cost of the last sweep: a small room gets every change at once, a hall of
            // thousands gets fewer, fuller frames instead of a queue that grows (DESIGN.md §4).
            var spent = Stopwatch.GetElapsedTime(started);
            LiveMetrics.SweepDuration.Record(spent.TotalSeconds);
            if (spent > MinPacing)
            {
                await Task.Delay(spent / 2 < MaxPacing ? spent / 2 : MaxPacing);
            }
        }
    }

    /// <summary>
    /// Writes to each member what it has not had: members in step get the audience's window, members
    /// skipped before get everything since their own place. Never waits for a socket.
    /// </summary>
    private static void Deliver(
        ConsultationAudiences.Member[] members, LiveAudience audience, long audienceFrom, long end, LiveFrames frames, long now, long abortAfter, Lagging lagging)
    {
        foreach (var member in members)
        {
            var from = member.From >= 0 ? member.From : audienceFrom;
            if (from >= end)
            {
                member.From = -1;
                continue;
            }

            var messages = frames.For(from, audience);
            if (messages.Count == 0)
            {
                member.From = -1;
                continue;
            }

            switch (member.Connection.TrySend(messages, now, abortAfter))
            {
                case SendOutcome.Skipped:
                    member.From = from;
                    lagging.Add(from);
                    break;
                default:
                    // Sent, or aborted (SignalR's disconnect takes it out of the audience).
                    member.From = -1;
                    break;
            }
        }
    }

    /// <summary>
    /// What goes to people rather than audiences: authors see their own item while it is pending, rejected
    /// or merged, with the reason; citizens their notifications. Rare and small; sent without waiting.
    /// </summary>
    private void UserSends(string id, Round round)
    {
        foreach (var own in round.Full.Where(c => !c.Own!.Visible).GroupBy(c => c.AuthorId))
        {
            Observe(hub.Clients.User(own.Key).SendAsync("changes", id, own.Select(c => c.Own!).ToArray(), Array.Empty<VoteUpdate>()));
        }

        foreach (var delivery in round.Notifications)
        {
            Observe(hub.Clients.Users(delivery.CitizenIds).SendAsync("notification", delivery.Notification));
        }
    }

    private void Observe(Task send) =>
        send.ContinueWith(t => logger.LogDebug(t.Exception, "A send to a citizen failed"), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// The public feed's round, serialised once and offered to every reader. Offering never waits: a
    /// reader whose queue is full is dropped there and then (its connection aborted).
    /// </summary>
    private void FeedSends(string id, Round round)
    {
        if (!_feedAudiences.TryGetValue(id, out var audience))
        {
            return;
        }

        var feedRound = new FeedRound
        {
            Consultation = round.Consultation,
            Items = round.PublicViews,
            Votes = round.Votes,
            Log = round.Log,
            Opinion = round.PublicOpinion,
            Seq = round.MaxSeq > 0 ? round.MaxSeq : null,
        };
        if (!feedRound.IsEmpty)
        {
            feedRound.Seal(_json);
            foreach (var reader in audience.Readers)
            {
                reader.Offer(feedRound);
            }
        }

        if (round.Topics is { } topics)
        {
            OfferTopics(audience, topics, replace: true);
        }
    }

    /// <summary>
    /// Topic groups go in a round of their own, kept with the audience for readers who join before the next
    /// regrouping, and offered to every reader. Unless <paramref name="replace"/>, a round already kept wins.
    /// </summary>
    private void OfferTopics(FeedAudience audience, TopicsView topics, bool replace)
    {
        var round = new FeedRound { Topics = FeedFrames.PublicTopics(topics) }.Seal(_json);
        FeedReader[] readers;
        lock (_feedLock)
        {
            if (!replace && audience.Topics is not null)
            {
                return;
            }

            audience.Topics = round;
            readers = audience.Readers;
        }

        foreach (var reader in readers)
        {
            reader.Offer(round);
        }
    }

    /// <summary>
    /// The topic groups as they are when a consultation's feed gets its first reader (a reader joining later gets
    /// the newest round kept with the audience); from then on each regrouping is pushed through the consultation's
    /// batches (<see cref="FeedSends"/>), as to staff. A push that arrived during the read wins.
    /// </summary>
    private async Task FirstTopics(string id, FeedAudience audience)
    {
        try
        {
            OfferTopics(audience, await grains.GetGrain<ITopicsGrain>(id).Get(3), replace: false);
        }
        catch (Exception ex)
        {
            // The next regrouping's push brings them.
            logger.LogDebug(ex, "Reading the topics of {Consultation} failed", id);
        }
    }

    /// <summary>The members a sweep skipped, and the oldest backlog position one of them still needs.</summary>
    private sealed class Lagging
    {
        public int Count { get; private set; }

        public long MinFrom { get; private set; } = long.MaxValue;

        public void Add(long from)
        {
            Count++;
            MinFrom = Math.Min(MinFrom, from);
        }

        public void Reset()
        {
            Count = 0;
            MinFrom = long.MaxValue;
        }
    }

    /// <summary>The consultations one connection watches: usually one, so a small array replaced under a lock.</summary>
    private sealed class Joined
    {
        private readonly Lock _lock = new();
        private string[] _consultations = [];

        public string[] Consultations => Volatile.Read(ref _consultations);

        public void Add(string consultationId)
        {
            lock (_lock)
            {
                if (!_consultations.Contains(consultationId))
                {
                    _consultations = [.. _consultations, consultationId];
                }
            }
        }

        public void Remove(string consultationId)
        {
            lock (_lock)
            {
                _consultations = [.. _consultations.Where(c => c != consultationId)];
            }
        }
    }

    /// <summary>The public-feed readers of one consultation: an array replaced under the feed lock, read without one.</summary>
    private sealed class FeedAudience
    {
        private FeedReader[] _readers = [];

        public FeedReader[] Readers
        {
            get => Volatile.Read(ref _readers);
            set => Volatile.Write(ref _readers, value);
        }

        /// <summary>The newest topics round, for readers that join between two regroupings.</summary>
        public FeedRound? Topics { get; set; }

        public CancellationTokenSource Stopping { get; } = new();
    }

    private sealed class Subscription(string consultationId)
    {
        public string ConsultationId { get; } = consultationId;

        public ConsultationAudiences Audiences { get; } = new();

        /// <summary>The grain subscription and the start of the send loop; set under the subscription's lock.</summary>
        public Task? Started { get; set; }

        public Channel<ChangeBatch> Queue { get; } =
            Channel.CreateUnbounded<ChangeBatch>(new UnboundedChannelOptions { SingleReader = true });
    }
}
