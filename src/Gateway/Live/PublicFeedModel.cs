using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>Limits of the public live feed (<c>Dialogue:LiveFeed</c>).</summary>
public sealed class LiveFeedOptions
{
    public const string Section = "Dialogue:LiveFeed";

    /// <summary>Readers one gateway serves at once; beyond it new readers get 503 with Retry-After.</summary>
    public int MaxReaders { get; set; } = 20_000;

    /// <summary>Rounds a reader may have waiting; a reader that falls this far behind is dropped.</summary>
    public int QueueRounds { get; set; } = 256;

    /// <summary>A write to a reader's socket that has not completed after this long drops the reader.</summary>
    public double StallSeconds { get; set; } = 15;

    /// <summary>
    /// The kernel's send buffer for a feed connection. Left to autotuning, a reader that stops reading
    /// lets Linux grow it to 4 MiB (tcp_wmem): every slow reader could pin that much memory, and a stall
    /// is only noticed once all of it is full. 64 KiB (the kernel doubles it) carries a feed's rate easily.
    /// </summary>
    public int SocketSendBufferBytes { get; set; } = 64 * 1024;

    /// <summary>A comment line after this long without an event, so proxies keep the connection open.</summary>
    public double KeepAliveSeconds { get; set; } = 15;
}

/// <summary>
/// One round of the public feed: what the send loop merged from the batches since the last round, as
/// anyone may see it. Built and serialised once, then shared by every reader of the consultation.
/// </summary>
public sealed class FeedRound
{
    public ConsultationInfo? Consultation { get; init; }

    public IReadOnlyList<ItemView> Items { get; init; } = [];

    public IReadOnlyList<VoteUpdate> Votes { get; init; } = [];

    public IReadOnlyList<ModerationLogEntry> Log { get; init; } = [];

    public OpinionView? Opinion { get; init; }

    public TopicsView? Topics { get; init; }

    /// <summary>The highest sequence number the round covers (hidden changes included): its <c>id:</c>; null for rounds without one (topics).</summary>
    public long? Seq { get; init; }

    /// <summary>The frames as they go on the wire; set by <see cref="Seal"/>.</summary>
    public byte[] Bytes { get; private set; } = [];

    /// <summary>The lowest sequence number among the contents: a reader still catching up filters rounds that reach below its gap.</summary>
    public long MinSeq => Math.Min(
        Math.Min(Consultation?.LastSeq ?? long.MaxValue, Items.Count > 0 ? Items.Min(i => i.Seq) : long.MaxValue),
        Math.Min(Votes.Count > 0 ? Votes.Min(v => v.Seq) : long.MaxValue, Log.Count > 0 ? Log.Min(e => e.Seq) : long.MaxValue));

    public bool IsEmpty => Consultation is null && Items.Count == 0 && Votes.Count == 0 && Log.Count == 0 && Opinion is null && Topics is null;

    public FeedRound WithSeq(long? seq) => new()
    {
        Consultation = Consultation,
        Items = Items,
        Votes = Votes,
        Log = Log,
        Opinion = Opinion,
        Topics = Topics,
        Seq = seq,
    };

    public FeedRound Seal(JsonSerializerOptions json)
    {
        Bytes = FeedFrames.Write(this, json);
        return this;
    }
}

/// <summary>
/// Server-Sent Events framing. Only the last event of a round carries <c>id:</c> (the round's highest
/// seq): a reader's Last-Event-ID then always names a point before which it has everything. Were every
/// event to carry its own highest seq, a reader cut off between the <c>items</c> and <c>log</c> events of
/// one round would resume after seqs it never got.
/// </summary>
public static class FeedFrames
{
    public static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    public static byte[] Write(FeedRound round, JsonSerializerOptions json)
    {
        var events = new List<(string Name, object Data)>(6);
        if (round.Consultation is not null)
        {
            events.Add(("consultation", round.Consultation));
        }

        if (round.Items.Count > 0)
        {
            events.Add(("items", round.Items));
        }

        if (round.Votes.Count > 0)
        {
            events.Add(("votes", round.Votes));
        }

        if (round.Log.Count > 0)
        {
            events.Add(("log", round.Log));
        }

        if (round.Opinion is not null)
        {
            events.Add(("opinion", round.Opinion));
        }

        if (round.Topics is not null)
        {
            events.Add(("topics", round.Topics));
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        for (var i = 0; i < events.Count; i++)
        {
            var (name, data) = events[i];
            Ascii(buffer, $"event: {name}\n");
            if (i == events.Count - 1 && round.Seq is { } seq)
            {
                Ascii(buffer, $"id: {seq.ToString(CultureInfo.InvariantCulture)}\n");
            }

            Ascii(buffer, "data: ");
            // Compact JSON escapes line breaks inside strings, so the payload is one data line.
            using (var writer = new Utf8JsonWriter(buffer))
            {
                JsonSerializer.Serialize(writer, data, data.GetType(), json);
            }

            Ascii(buffer, "\n\n");
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Ascii(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(text.Length);
        buffer.Advance(Encoding.ASCII.GetBytes(text, span));
    }

    /// <summary>
    /// The topic groups as the public feed shows them: the groups, their words, sizes, vote shares and
    /// typical (published) items, without the tagger's guesses, which are a moderators' working aid.
    /// </summary>
    public static TopicsView PublicTopics(TopicsView view) => view with
    {
        Groups = [.. view.Groups.Select(g => g with { Items = [.. g.Items.Select(i => i with { Suggested = null })] })],
        Tags = [.. view.Tags.Select(t => t with { Suggested = 0, Unsure = 0 })],
        TaggerReady = false,
    };
}

/// <summary>
/// One SSE reader's place in the fan-out: a bounded queue of rounds. The send loop only ever offers
/// (never waits); a reader whose queue is full is dropped, so it can never slow the loop or anyone else.
/// </summary>
public sealed class FeedReader(int capacity, bool staff, Action<string> onDrop)
{
    private readonly Channel<FeedRound> _queue = Channel.CreateBounded<FeedRound>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = false,
    });

    // 0 open, 1 dropped (too slow), 2 completed (the connection ended, or the gateway stops).
    private int _state;

    /// <summary>Staff may read consultations that are not public.</summary>
    public bool Staff { get; } = staff;

    public bool Dropped => Volatile.Read(ref _state) == 1;

    public ChannelReader<FeedRound> Rounds => _queue.Reader;

    /// <summary>Queues the round, or drops the reader when its queue is full.</summary>
    public void Offer(FeedRound round)
    {
        if (!_queue.Writer.TryWrite(round))
        {
            Drop("its queue is full");
        }
    }

    /// <param name="reason">For the log: why the reader was dropped.</param>
    public void Drop(string reason)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            _queue.Writer.TryComplete();
            onDrop(reason);
        }
    }

    public void Complete()
    {
        if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
        {
            _queue.Writer.TryComplete();
        }
    }
}
