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
/// notifies it once per batch, and a send loop per consultation forwards to local SignalR groups —
/// staff get full views, participants public views, authors their own hidden items. Subscriptions
/// are renewed before they expire and dropped when no local connection watches any more. Readers of the
/// public Server-Sent Events feed hang off the same loop (<see cref="PublicFeedEndpoints"/>), each with a
/// bounded queue of its own.
/// </summary>
public sealed class ConsultationFeed(
    IGrainFactory grains,
    IHubContext<DialogueHub> hub,
    IOptions<LiveFeedOptions> feedOptions,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
    ILogger<ConsultationFeed> logger) : IConsultationObserver, IHostedService, IDisposable
{
    /// <summary>Position of the public feed in a sweep: right after staff, before the 64 participant shards.</summary>
    private const int FeedStep = 1;
    private const int FirstShardStep = 2;

    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MinPacing = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPacing = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Joined> _connections = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribeLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, FeedAudience> _feedAudiences = new(StringComparer.Ordinal);
    private readonly Lock _feedLock = new();
    private readonly JsonSerializerOptions _json = jsonOptions.Value.SerializerOptions;
    private IConsultationObserver? _reference;
    private Task? _renewLoop;

    /// <summary>
    /// Participants are spread over this many groups per consultation, and a sweep goes to one group
    /// after the other with a yield in between: a hall of 10,000 then puts its writes on the thread
    /// pool in slices of about 150, and requests (votes, questions) get their turn between slices
    /// instead of waiting behind all 10,000.
    /// </summary>
    public const int PublicShards = 64;

    /// <summary>Participants: public views; the opinion summary without its map (phones, small frames).</summary>
    public static string PublicGroup(string consultationId, string connectionId) =>
        PublicShard(consultationId, (int)((uint)connectionId.GetHashCode() % PublicShards));

    private static string PublicShard(string consultationId, int shard) => $"{consultationId}:public:{shard}";

    /// <summary>Officials: public views, and the opinion summary with its map for the dashboard.</summary>
    public static string OfficialGroup(string consultationId) => $"{consultationId}:officials";

    /// <summary>Moderators and admins: full views with queue, triage and leases.</summary>
    public static string StaffGroup(string consultationId) => $"{consultationId}:staff";

    /// <summary>The presenter screen: highlighted item and the next few.</summary>
    public static string PresenterGroup(string consultationId) => $"{consultationId}:presenter";

    public async Task AddConnection(string connectionId, string consultationId, string group)
    {
        await EnsureSubscribed(consultationId);
        var previous = _connections.GetOrAdd(connectionId, _ => new Joined()).Set(consultationId, group);
        if (previous is not null && previous != group)
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, previous);
        }

        await hub.Groups.AddToGroupAsync(connectionId, group);
    }

    public async Task RemoveConnection(string connectionId, string consultationId)
    {
        if (_connections.TryGetValue(connectionId, out var joined) && joined.Remove(consultationId) is { } group)
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, group);
        }
    }

    /// <summary>On disconnect SignalR drops the groups itself; only the bookkeeping is left.</summary>
    public Task RemoveConnection(string connectionId)
    {
        _connections.TryRemove(connectionId, out _);
        return Task.CompletedTask;
    }

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
                _ = TopicsLoop(consultationId, audience);
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
            await EnsureSubscribed(consultationId);
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

            audience.Readers = [.. audience.Readers.Where(r => r != reader)];
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
            audience.Stopping.Cancel();
            foreach (var reader in audience.Readers)
            {
                reader.Complete();
            }
        }

        // Stops before the co-hosted silo (hosted services stop in reverse order), so the runtime is still there.
        if (_reference is not null)
        {
            grains.DeleteObjectReference<IConsultationObserver>(_reference);
            _reference = null;
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _subscribeLock.Dispose();
    }

    private async Task EnsureSubscribed(string consultationId)
    {
        if (_subscriptions.ContainsKey(consultationId))
        {
            return;
        }

        await _subscribeLock.WaitAsync();
        try
        {
            if (_subscriptions.ContainsKey(consultationId))
            {
                return;
            }

            await grains.GetGrain<IConsultationGrain>(consultationId).Subscribe(Reference);
            var subscription = new Subscription(consultationId);
            _subscriptions[consultationId] = subscription;
            // Runs until the subscription's queue is completed (unsubscribe or shutdown).
            _ = SendLoop(subscription);
        }
        finally
        {
            _subscribeLock.Release();
        }
    }

    private IConsultationObserver Reference => _reference ?? throw new InvalidOperationException("The feed has not started.");

    private async Task RenewLoop()
    {
        using var timer = new PeriodicTimer(RenewEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var watched = _connections.Values.SelectMany(c => c.Consultations).ToHashSet(StringComparer.Ordinal);
                // Feed readers keep the subscription alive too, even when no hub connection watches.
                watched.UnionWith(_feedAudiences.Keys);
                foreach (var (id, subscription) in _subscriptions)
                {
                    try
                    {
                        if (watched.Contains(id))
                        {
                            await grains.GetGrain<IConsultationGrain>(id).Subscribe(Reference);
                        }
                        else if (_subscriptions.TryRemove(id, out _))
                        {
                            subscription.Queue.Writer.TryComplete();
                            await grains.GetGrain<IConsultationGrain>(id).Unsubscribe(Reference);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "Renewing the subscription to {Consultation} failed; retrying next round", id);
                    }
                }

                // A watcher that registered while its subscription was being dropped above would otherwise wait forever.
                foreach (var id in watched.Where(id => !_subscriptions.ContainsKey(id)))
                {
                    try
                    {
                        await EnsureSubscribed(id);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "Subscribing to {Consultation} failed; retrying next round", id);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Sweeps the audiences in turn — staff, officials, authors and presenter screens first, then the
    /// public shards one after the other — and sends each whatever reached the feed since that audience's
    /// last frame, newest version of each item only. A change that arrives while a sweep is under way
    /// goes out to the audiences the sweep has not reached yet in this same sweep, and to the others in
    /// the next: it waits for the sweep to come round to its reader, not for a whole sweep to finish
    /// first. Each sweep waits at most <see cref="SendTimeout"/> for its writes: a slow connection never
    /// holds up the next frame.
    /// </summary>
    private async Task SendLoop(Subscription subscription)
    {
        var id = subscription.ConsultationId;
        var reader = subscription.Queue.Reader;
        var backlog = new Backlog();
        var round = new Round();
        // Where each audience is in the backlog: 0 = the staff step, 1 = the public feed, 2 + s = public shard s.
        var sentUpTo = new long[FirstShardStep + PublicShards];
        var sends = new List<Task>();
        while (sentUpTo.Min() < backlog.End || await reader.WaitToReadAsync())
        {
            var started = Stopwatch.GetTimestamp();
            sends.Clear();
            try
            {
                for (var step = 0; step < sentUpTo.Length; step++)
                {
                    while (reader.TryRead(out var batch))
                    {
                        backlog.Add(batch);
                    }

                    if (sentUpTo[step] == backlog.End)
                    {
                        continue;
                    }

                    if (step == FeedStep && FeedReaders(id) == 0)
                    {
                        sentUpTo[step] = backlog.End;
                        continue;
                    }

                    round.Merge(backlog, sentUpTo[step]);
                    sentUpTo[step] = backlog.End;
                    if (step == 0)
                    {
                        StaffSends(id, round, sends);
                    }
                    else if (step == FeedStep)
                    {
                        FeedSends(id, round);
                    }
                    else
                    {
                        PublicSends(id, step - FirstShardStep, round, sends);

                        // To the back of the thread pool's queue, behind this shard's writes and whatever else waits.
                        await Task.Yield();
                    }
                }

                backlog.DropBefore(sentUpTo.Min());
                await Task.WhenAll(sends).WaitAsync(SendTimeout);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Sending to consultation {Consultation} took longer than {Timeout}; moving on", id, SendTimeout);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Sending to consultation {Consultation} failed", id);
            }

            // Pace by the cost of the last sweep: a small room gets every change at once, a hall of
            // thousands gets fewer, fuller frames instead of a queue that grows (DESIGN.md §4).
            var spent = Stopwatch.GetElapsedTime(started);
            if (spent > MinPacing)
            {
                await Task.Delay(spent / 2 < MaxPacing ? spent / 2 : MaxPacing);
            }
        }
    }

    /// <summary>
    /// Staff get full views with the vote counts, officials public views; authors see their own item
    /// while it is pending, rejected or merged, with the reason; presenter screens their frame; staff
    /// and officials the opinion summary with its map of every participant.
    /// </summary>
    private void StaffSends(string id, Round round, List<Task> sends)
    {
        if (round.StaffViews.Length > 0 || round.Votes.Length > 0)
        {
            sends.Add(hub.Clients.Group(StaffGroup(id)).SendAsync("changes", id, round.StaffViews, round.Votes));
        }

        foreach (var own in round.Full.Where(c => !c.Own!.Visible).GroupBy(c => c.AuthorId))
        {
            sends.Add(hub.Clients.User(own.Key).SendAsync("changes", id, own.Select(c => c.Own!).ToArray(), Array.Empty<VoteUpdate>()));
        }

        foreach (var delivery in round.Notifications)
        {
            sends.Add(hub.Clients.Users(delivery.CitizenIds).SendAsync("notification", delivery.Notification));
        }

        if (round.Presenter is not null)
        {
            sends.Add(hub.Clients.Group(PresenterGroup(id)).SendAsync("presenter", round.Presenter));
        }

        if (round.Opinion is not null)
        {
            sends.Add(hub.Clients.Groups(OfficialGroup(id), StaffGroup(id)).SendAsync("opinion", round.Opinion));
        }

        if (round.PublicViews.Length > 0 || round.Votes.Length > 0)
        {
            sends.Add(hub.Clients.Group(OfficialGroup(id)).SendAsync("changes", id, round.PublicViews, round.Votes));
        }

        if (round.Consultation is not null)
        {
            sends.Add(hub.Clients.Groups(OfficialGroup(id), StaffGroup(id)).SendAsync("consultation", round.Consultation));
        }

        if (round.Log.Length > 0)
        {
            sends.Add(hub.Clients.Groups(OfficialGroup(id), StaffGroup(id)).SendAsync("log", id, round.Log));
        }
    }

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
        if (feedRound.IsEmpty)
        {
            return;
        }

        feedRound.Seal(_json);
        foreach (var reader in audience.Readers)
        {
            reader.Offer(feedRound);
        }
    }

    /// <summary>
    /// While a consultation's feed is watched, looks at its topic groups every few seconds and sends
    /// them when they changed. Polled rather than pushed: the analysis regroups in the background on
    /// its own clock, and nobody but feed readers needs it live.
    /// </summary>
    private async Task TopicsLoop(string id, FeedAudience audience)
    {
        var every = TimeSpan.FromSeconds(Math.Max(0.1, feedOptions.Value.TopicsSeconds));
        using var timer = new PeriodicTimer(every);
        byte[]? last = null;
        try
        {
            do
            {
                try
                {
                    var view = await grains.GetGrain<ITopicsGrain>(id).Get(3);
                    var feedRound = new FeedRound { Topics = FeedFrames.PublicTopics(view) }.Seal(_json);
                    if (last is null || !feedRound.Bytes.AsSpan().SequenceEqual(last))
                    {
                        last = feedRound.Bytes;
                        FeedReader[] readers;
                        lock (_feedLock)
                        {
                            audience.Topics = feedRound;
                            readers = audience.Readers;
                        }

                        foreach (var reader in readers)
                        {
                            reader.Offer(feedRound);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogDebug(ex, "Reading the topics of {Consultation} failed; trying again", id);
                }
            }
            while (await timer.WaitForNextTickAsync(audience.Stopping.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// One "changes" frame per connection: public views of the items that changed and the compact new
    /// vote counts (most of the traffic in a busy hall), serialised once for the shard; the opinion
    /// group summary as a participant sees it (a participant asks for their own position with OpinionGroups).
    /// </summary>
    private void PublicSends(string id, int shard, Round round, List<Task> sends)
    {
        var group = hub.Clients.Group(PublicShard(id, shard));
        if (round.PublicViews.Length > 0 || round.Votes.Length > 0)
        {
            sends.Add(group.SendAsync("changes", id, round.PublicViews, round.Votes));
        }

        if (round.PublicOpinion is not null)
        {
            sends.Add(group.SendAsync("opinion", round.PublicOpinion));
        }

        if (round.Consultation is not null)
        {
            sends.Add(group.SendAsync("consultation", round.Consultation));
        }
    }

    /// <summary>The batches a consultation's audiences have not all been sent yet, by position.</summary>
    private sealed class Backlog
    {
        private readonly List<ChangeBatch> _batches = [];
        private long _first;

        /// <summary>The position after the newest batch.</summary>
        public long End => _first + _batches.Count;

        public void Add(ChangeBatch batch) => _batches.Add(batch);

        public IEnumerable<ChangeBatch> Since(long position) => _batches.Skip((int)(position - _first));

        /// <summary>Forgets the batches every audience has been sent.</summary>
        public void DropBefore(long position)
        {
            _batches.RemoveRange(0, (int)(position - _first));
            _first = position;
        }
    }

    /// <summary>
    /// Batches merged into one frame's content: the newest full view and the newest vote count per
    /// item (a vote count older than the view is dropped), in sequence order; every notification; the
    /// newest presenter frame and opinion summary.
    /// </summary>
    private sealed class Round
    {
        private readonly Dictionary<string, ItemChange> _views = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ItemChange> _votes = new(StringComparer.Ordinal);

        public ItemChange[] Full { get; private set; } = [];
        public ItemView[] StaffViews { get; private set; } = [];
        public ItemView[] PublicViews { get; private set; } = [];
        public VoteUpdate[] Votes { get; private set; } = [];
        public List<NotificationDelivery> Notifications { get; } = [];
        public PresenterFrame? Presenter { get; private set; }
        public OpinionView? Opinion { get; private set; }
        public OpinionView? PublicOpinion { get; private set; }
        public ConsultationInfo? Consultation { get; private set; }
        public ModerationLogEntry[] Log { get; private set; } = [];

        /// <summary>The highest seq the merged batches cover, hidden changes included.</summary>
        public long MaxSeq { get; private set; }

        // The window of the backlog merged last: the next audience usually has the same one.
        private (long From, long To) _merged = (-1, -1);

        /// <summary>Merges the backlog from <paramref name="from"/> to its end, unless that is the window merged last.</summary>
        public void Merge(Backlog backlog, long from)
        {
            if (_merged == (from, backlog.End))
            {
                return;
            }

            _merged = (from, backlog.End);
            _views.Clear();
            _votes.Clear();
            Notifications.Clear();
            Presenter = null;
            Opinion = null;
            Consultation = null;
            var log = new List<ModerationLogEntry>();
            MaxSeq = 0;
            foreach (var batch in backlog.Since(from))
            {
                foreach (var change in batch.Items)
                {
                    if (change.Votes is null)
                    {
                        _views[change.ItemId] = change;
                        _votes.Remove(change.ItemId);
                    }
                    else
                    {
                        _votes[change.ItemId] = change;
                    }
                }

                Notifications.AddRange(batch.Notifications);
                Presenter = batch.Presenter ?? Presenter;
                Opinion = batch.Opinion ?? Opinion;
                Consultation = batch.Consultation ?? Consultation;
                log.AddRange(batch.Log);
                foreach (var change in batch.Items)
                {
                    MaxSeq = Math.Max(MaxSeq, change.Seq);
                }

                foreach (var entry in batch.Log)
                {
                    MaxSeq = Math.Max(MaxSeq, entry.Seq);
                }

                MaxSeq = Math.Max(MaxSeq, batch.Consultation?.LastSeq ?? 0);
            }

            Full = [.. _views.Values.OrderBy(c => c.Seq)];
            StaffViews = [.. Full.Select(c => c.Staff!)];
            PublicViews = [.. Full.Where(c => c.Public is not null).Select(c => c.Public!)];
            Votes = [.. _votes.Values.OrderBy(c => c.Seq).Select(c => c.Votes!)];
            PublicOpinion = Opinion?.ForParticipant();
            Log = [.. log];
        }
    }

    /// <summary>
    /// The consultations one connection watches and the group it is in for each: usually one, so a
    /// small array replaced under a lock rather than a dictionary per connection.
    /// </summary>
    private sealed class Joined
    {
        private readonly Lock _lock = new();
        private (string Consultation, string Group)[] _entries = [];

        public IEnumerable<string> Consultations => Volatile.Read(ref _entries).Select(e => e.Consultation);

        /// <summary>Records the group; returns the group it replaces, if any.</summary>
        public string? Set(string consultation, string group)
        {
            lock (_lock)
            {
                var at = Array.FindIndex(_entries, e => e.Consultation == consultation);
                if (at < 0)
                {
                    _entries = [.. _entries, (consultation, group)];
                    return null;
                }

                var previous = _entries[at].Group;
                var entries = _entries.ToArray();
                entries[at] = (consultation, group);
                _entries = entries;
                return previous;
            }
        }

        /// <summary>Forgets the consultation; returns the group the connection was in, if any.</summary>
        public string? Remove(string consultation)
        {
            lock (_lock)
            {
                var at = Array.FindIndex(_entries, e => e.Consultation == consultation);
                if (at < 0)
                {
                    return null;
                }

                var group = _entries[at].Group;
                _entries = [.. _entries.Where((_, i) => i != at)];
                return group;
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

        /// <summary>The newest topics round, for readers that join between two looks.</summary>
        public FeedRound? Topics { get; set; }

        public CancellationTokenSource Stopping { get; } = new();
    }

    private sealed class Subscription(string consultationId)
    {
        public string ConsultationId { get; } = consultationId;

        public Channel<ChangeBatch> Queue { get; } =
            Channel.CreateUnbounded<ChangeBatch>(new UnboundedChannelOptions { SingleReader = true });
    }
}
