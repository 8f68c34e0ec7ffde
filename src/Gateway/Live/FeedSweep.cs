using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// The send loop of one consultation's subscription on this gateway: takes the grain's batches in through
/// <see cref="FeedIntake"/> and sweeps them out to the hub connections and the public feed's readers.
/// It runs until the subscription's queue is completed (dropped, or shutdown).
/// </summary>
internal sealed class FeedSweep(
    FeedSubscription subscription,
    FeedIntake intake,
    PublicFeedAudiences feed,
    IHubContext<DialogueHub> hub,
    LiveOptions options,
    ILogger logger)
{
    /// <summary>Position of the public feed in a sweep: right after staff, before the participant shards.</summary>
    private const int FeedStep = 1;
    private const int FirstShardStep = 2;

    private static readonly TimeSpan MinPacing = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPacing = TimeSpan.FromMilliseconds(100);

    /// <summary>How soon a sweep comes back for connections it skipped when nothing new arrives.</summary>
    private static readonly TimeSpan RetryLagging = TimeSpan.FromMilliseconds(50);

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
    public async Task Run()
    {
        var id = subscription.ConsultationId;
        var audiences = subscription.Audiences;
        var reader = subscription.Queue.Reader;
        var backlog = new Backlog();
        var frames = new LiveFrames(id, backlog);
        var abortAfter = (long)(options.StalledSendSeconds * Stopwatch.Frequency);
        // Where each audience is in the backlog: 0 = the staff step, 1 = the public feed, 2 + s = public shard s.
        var sentUpTo = new long[FirstShardStep + ConsultationAudiences.PublicShards];
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
                        if (from < end && feed.Count(id) > 0)
                        {
                            feed.Send(id, frames.Round(from));
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
            // thousands gets fewer, fuller frames instead of a queue that grows (docs/architecture.md, Live fan-out).
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
}
