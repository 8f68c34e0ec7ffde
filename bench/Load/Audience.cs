using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// N participants watching one consultation's live feed: a few probes on the real SignalR client
/// that time every event, the rest <see cref="TrackingListener"/>s. Latency of an event = from the
/// moment just before it was sent to the first frame a probe received that shows the item at that
/// event's sequence number or later (a later frame that coalesced it counts as its delivery). The
/// receipts are matched with the acknowledged sequence numbers after the run, so a frame that
/// overtakes the HTTP acknowledgement is still timed.
/// </summary>
public sealed class Audience : IAsyncDisposable
{
    private readonly List<Probe> _probes = [];
    private readonly List<TrackingListener> _listeners = [];
    private readonly ConcurrentQueue<(string ItemId, long Seq, long SentAt)> _sent = new();

    private Audience(string[] tokens)
    {
        Tokens = tokens;
    }

    public HubListener.Counters Counts { get; } = new();

    /// <summary>The participants' tokens (listeners may also act, e.g. vote, with them).</summary>
    public string[] Tokens { get; }

    public int Size => _probes.Count + _listeners.Count;

    public int SentCount => _sent.Count;

    public bool Measuring
    {
        get => Counts.Measuring;
        set => Counts.Measuring = value;
    }

    public static async Task<Audience> ConnectAsync(DialogueApi api, string consultationId, int connections, int probes)
    {
        var tokens = new string[connections];
        await Parallel.ForEachAsync(Enumerable.Range(0, connections), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => tokens[i] = await api.ParticipantToken());
        var audience = new Audience(tokens);
        var hubUrl = new Uri(api.Address, DialogueHub.Path);
        probes = Math.Min(probes, connections);
        var made = new ConcurrentBag<object>();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, connections), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
            {
                if (i < probes)
                {
                    var probe = new Probe(audience.Counts);
                    made.Add(probe);
                    await probe.ConnectAsync(hubUrl, tokens[i], consultationId);
                }
                else
                {
                    var listener = new TrackingListener { Counts = audience.Counts };
                    made.Add(listener);
                    await listener.ConnectAsync(hubUrl, tokens[i], nameof(DialogueHub.Join), consultationId, 0L);
                }
            });
        }
        finally
        {
            audience._probes.AddRange(made.OfType<Probe>());
            audience._listeners.AddRange(made.OfType<TrackingListener>());
        }

        return audience;
    }

    /// <summary>An event was acknowledged with <paramref name="seq"/> on <paramref name="itemId"/>; it left at <paramref name="sentAt"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void Sent(string itemId, long seq, long sentAt) => _sent.Enqueue((itemId, seq, sentAt));

    /// <summary>Lowest "latest seq" any observer holds: every observer has seen everything up to it.</summary>
    public long SlowestSeq() =>
        _listeners.Select(l => l.MaxSeq).Concat(_probes.Select(p => p.MaxSeq)).DefaultIfEmpty(0).Min();

    /// <summary>Waits (at most <paramref name="timeout"/>) until every observer has seen <paramref name="seq"/>.</summary>
    public async Task<bool> WaitForSeq(long seq, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (SlowestSeq() >= seq)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return SlowestSeq() >= seq;
    }

    /// <summary>Latency samples in ms (one per acknowledged event per probe) and how many event×probe pairs never arrived.</summary>
    public (double[] Milliseconds, long Missing) Latencies()
    {
        var samples = new List<double>();
        long missing = 0;
        var events = _sent.ToArray();
        foreach (var probe in _probes)
        {
            var receipts = probe.ReceiptIndex();
            foreach (var (itemId, seq, sentAt) in events)
            {
                if (receipts.TryGetValue(itemId, out var r) && r.FirstAtOrAfter(seq) is { } at)
                {
                    samples.Add(Stopwatch.GetElapsedTime(sentAt, at).TotalMilliseconds);
                }
                else
                {
                    missing++;
                }
            }
        }

        return ([.. samples], missing);
    }

    /// <summary>Compares what every observer received with the consultation's REST listing.</summary>
    public Check Compare(IReadOnlyDictionary<string, ItemView> rest)
    {
        var maxSeq = rest.Values.Select(v => v.Seq).DefaultIfEmpty(0).Max();
        var numbers = rest.Keys.Select(ItemNumber).Where(n => n >= 0).ToArray();
        var listenersBehind = _listeners.Count(l => l.MaxSeq < maxSeq);
        var listenerMissing = _listeners.Sum(l => (long)l.Missing(numbers));
        var probesBehind = _probes.Count(p => p.MaxSeq < maxSeq);
        long probeMismatch = 0;
        foreach (var probe in _probes)
        {
            foreach (var (id, view) in rest)
            {
                // The newest version a probe holds: same seq and same counts as the REST view.
                if (!probe.Latest.TryGetValue(id, out var latest) || latest.Seq != view.Seq || latest.Votes != view.Votes)
                {
                    probeMismatch++;
                }
            }
        }

        return new Check(maxSeq, listenersBehind + probesBehind, listenerMissing, probeMismatch, _listeners.Count(l => l.Closed));
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_probes.Select(p => p.DisposeAsync().AsTask()).Concat(_listeners.Select(l => l.DisposeAsync().AsTask())));
    }

    public static int ItemNumber(string itemId) =>
        itemId.Length > 1 && itemId[0] == 'i' && int.TryParse(itemId.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;

    /// <param name="Behind">Observers whose newest seq is below the consultation's.</param>
    /// <param name="ListenerMissing">Listener × item pairs never received.</param>
    /// <param name="ProbeMismatch">Probe × item pairs whose newest version differs from REST.</param>
    /// <param name="Closed">Listeners whose connection ended during the run.</param>
    public sealed record Check(long MaxSeq, int Behind, long ListenerMissing, long ProbeMismatch, int Closed)
    {
        public long Lost => Behind + ListenerMissing + ProbeMismatch;
    }

    /// <summary>A real SignalR client that keeps, per item, every (seq, receipt time) and the newest version.</summary>
    private sealed class Probe(HubListener.Counters counts) : IAsyncDisposable
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, List<(long Seq, long At)>> _receipts = new(StringComparer.Ordinal);
        private HubConnection? _connection;
        private long _maxSeq;

        public ConcurrentDictionary<string, (long Seq, VoteTally Votes)> Latest { get; } = new(StringComparer.Ordinal);

        public long MaxSeq => Interlocked.Read(ref _maxSeq);

        public async Task ConnectAsync(Uri hubUrl, string token, string consultationId)
        {
            _connection = DialogueApi.Hub(hubUrl, token);
            _connection.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, updates) =>
                Receive([.. items.Select(i => (i.Id, i.Seq, i.Votes)), .. updates.Select(u => (u.Id, u.Seq, u.Votes))]));
            _connection.On<JsonElement>("opinion", _ => Frame(0));
            await _connection.StartAsync();
            var joined = await _connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), consultationId, 0L);
            Receive([.. joined.Items.Select(i => (i.Id, i.Seq, i.Votes))], counted: false);
        }

        public Dictionary<string, ReceiptIndex> ReceiptIndex()
        {
            lock (_gate)
            {
                return _receipts.ToDictionary(r => r.Key, r => new ReceiptIndex(r.Value), StringComparer.Ordinal);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }

        private void Receive((string Id, long Seq, VoteTally Votes)[] updates, bool counted = true)
        {
            var at = Stopwatch.GetTimestamp();
            if (counted)
            {
                Frame(updates.Length);
            }

            lock (_gate)
            {
                foreach (var (id, seq, votes) in updates)
                {
                    if (!_receipts.TryGetValue(id, out var list))
                    {
                        _receipts[id] = list = [];
                    }

                    list.Add((seq, at));
                    Latest.AddOrUpdate(id, (seq, votes), (_, old) => seq > old.Seq ? (seq, votes) : old);
                    if (seq > _maxSeq)
                    {
                        Interlocked.Exchange(ref _maxSeq, seq);
                    }
                }
            }
        }

        private void Frame(int updates)
        {
            if (counts.Measuring)
            {
                Interlocked.Increment(ref counts.Frames);
                Interlocked.Add(ref counts.Updates, updates);
            }
        }
    }

    /// <summary>Receipts of one item on one probe, sorted by seq, with the earliest receipt at or after each seq.</summary>
    private sealed class ReceiptIndex
    {
        private readonly long[] _seqs;
        private readonly long[] _earliestFrom;

        public ReceiptIndex(List<(long Seq, long At)> receipts)
        {
            var sorted = receipts.OrderBy(r => r.Seq).ToArray();
            _seqs = [.. sorted.Select(r => r.Seq)];
            _earliestFrom = new long[sorted.Length];
            var earliest = long.MaxValue;
            for (var i = sorted.Length - 1; i >= 0; i--)
            {
                earliest = Math.Min(earliest, sorted[i].At);
                _earliestFrom[i] = earliest;
            }
        }

        public long? FirstAtOrAfter(long seq)
        {
            var i = Array.BinarySearch(_seqs, seq);
            if (i < 0)
            {
                i = ~i;
            }
            else
            {
                // Equal seqs may repeat (a view sent twice): the first of them.
                while (i > 0 && _seqs[i - 1] == seq)
                {
                    i--;
                }
            }

            return i < _seqs.Length ? _earliestFrom[i] : null;
        }
    }
}
