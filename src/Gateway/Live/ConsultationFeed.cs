using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// The gateway's one observer of every consultation its clients watch (docs/architecture.md, Live fan-out): the grain
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
    private readonly ConcurrentDictionary<string, FeedSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WatchedConsultations> _joined = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly PublicFeedAudiences _feed = new(grains, jsonOptions.Value.SerializerOptions, logger);
    private IConsultationObserver? _reference;
    private Task? _renewLoop;

    /// <summary>Participants are spread over this many shards per consultation (<see cref="ConsultationAudiences.PublicShards"/>).</summary>
    public const int PublicShards = ConsultationAudiences.PublicShards;

    /// <summary>Adds a hub connection to an audience of the consultation (out of any other audience of it) and subscribes the gateway.</summary>
    public async Task AddConnection(string connectionId, string consultationId, LiveAudience audience)
    {
        var connection = connections.Find(connectionId) ?? throw new InvalidOperationException($"Connection {connectionId} is not open.");
        var joined = _joined.GetOrAdd(connectionId, _ => new WatchedConsultations());
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
        _feed.Add(consultationId, reader);
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
        if (_feed.Remove(consultationId, reader) && _subscriptions.TryGetValue(consultationId, out var subscription))
        {
            subscription.Audiences.RemoveFeedReader();
        }
    }

    /// <summary>Public-feed readers of the consultation on this gateway.</summary>
    public int FeedReaders(string consultationId) => _feed.Count(consultationId);

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
        _feed.CompleteAll();

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
    private FeedSubscription Watch(string consultationId, Func<FeedSubscription, bool> add)
    {
        while (true)
        {
            var subscription = _subscriptions.GetOrAdd(consultationId, id => new FeedSubscription(id));
            if (add(subscription))
            {
                return subscription;
            }

            _subscriptions.TryRemove(new KeyValuePair<string, FeedSubscription>(consultationId, subscription));
        }
    }

    /// <summary>Subscribes to the grain once per subscription and starts its send loop; a failed attempt is made again by the next caller.</summary>
    private Task EnsureSubscribed(FeedSubscription subscription)
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

    private async Task Start(FeedSubscription subscription)
    {
        var grain = grains.GetGrain<IConsultationFeed>(subscription.ConsultationId);
        var lease = await grain.Subscribe(Reference);
        var intake = new FeedIntake(grain, lease.LastSeq, clock, logger);
        // Runs until the subscription's queue is completed (dropped, or shutdown).
        _ = new FeedSweep(subscription, intake, _feed, hub, liveOptions.Value, logger).Run();
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
                var grain = grains.GetGrain<IConsultationFeed>(id);
                if (subscription.Audiences.TryClose())
                {
                    _subscriptions.TryRemove(new KeyValuePair<string, FeedSubscription>(id, subscription));
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
}
