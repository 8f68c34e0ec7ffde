using System.Collections.Concurrent;
using System.Text.Json;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// The readers of the public Server-Sent Events feed on this gateway, per consultation: each round is
/// serialised once and offered to every reader, and the newest topic groups are kept for readers who
/// join between two regroupings. Offering never waits: a reader whose queue is full is dropped there
/// and then (its connection aborted).
/// </summary>
internal sealed class PublicFeedAudiences(IGrainFactory grains, JsonSerializerOptions json, ILogger logger)
{
    private readonly ConcurrentDictionary<string, FeedAudience> _audiences = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Adds a reader; the first reader of a consultation reads its topic groups, later ones get the kept round.</summary>
    public void Add(string consultationId, FeedReader reader)
    {
        FeedRound? topics;
        lock (_lock)
        {
            if (!_audiences.TryGetValue(consultationId, out var audience))
            {
                audience = new FeedAudience();
                _audiences[consultationId] = audience;
                _ = FirstTopics(consultationId, audience);
            }

            audience.Readers = [.. audience.Readers, reader];
            topics = audience.Topics;
        }

        if (topics is not null)
        {
            reader.Offer(topics);
        }
    }

    /// <summary>Completes the reader and removes it; true when it was one of the consultation's readers.</summary>
    public bool Remove(string consultationId, FeedReader reader)
    {
        reader.Complete();
        lock (_lock)
        {
            if (!_audiences.TryGetValue(consultationId, out var audience))
            {
                return false;
            }

            var readers = audience.Readers;
            audience.Readers = [.. readers.Where(r => r != reader)];
            if (audience.Readers.Length == 0)
            {
                // The observer subscription itself goes at the next renewal round, as for hub connections.
                _audiences.TryRemove(consultationId, out _);
            }

            return audience.Readers.Length < readers.Length;
        }
    }

    public int Count(string consultationId) =>
        _audiences.TryGetValue(consultationId, out var audience) ? audience.Readers.Length : 0;

    /// <summary>The public part of a sweep's round, serialised once and offered to every reader of the consultation.</summary>
    public void Send(string consultationId, Round round)
    {
        if (!_audiences.TryGetValue(consultationId, out var audience))
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
            feedRound.Seal(json);
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

    /// <summary>On shutdown: every reader's response ends; their endpoints unregister them.</summary>
    public void CompleteAll()
    {
        foreach (var audience in _audiences.Values)
        {
            foreach (var reader in audience.Readers)
            {
                reader.Complete();
            }
        }
    }

    /// <summary>
    /// Topic groups go in a round of their own, kept with the audience for readers who join before the next
    /// regrouping, and offered to every reader. Unless <paramref name="replace"/>, a round already kept wins.
    /// </summary>
    private void OfferTopics(FeedAudience audience, TopicsView topics, bool replace)
    {
        var round = new FeedRound { Topics = FeedFrames.PublicTopics(topics) }.Seal(json);
        FeedReader[] readers;
        lock (_lock)
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
    /// batches (<see cref="Send"/>), as to staff. A push that arrived during the read wins.
    /// </summary>
    private async Task FirstTopics(string consultationId, FeedAudience audience)
    {
        try
        {
            OfferTopics(audience, await grains.GetGrain<ITopicsGrain>(consultationId).Get(3), replace: false);
        }
        catch (Exception ex)
        {
            // The next regrouping's push brings them.
            logger.LogDebug(ex, "Reading the topics of {Consultation} failed", consultationId);
        }
    }

    /// <summary>The public-feed readers of one consultation: an array replaced under the lock, read without one.</summary>
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
    }
}
