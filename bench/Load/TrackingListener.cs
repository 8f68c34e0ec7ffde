using System.Text;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// A listener that, beyond counting updates and frames, remembers the highest <c>"seq":</c> it saw and which
/// item numbers (<c>"id":"i&lt;n&gt;"</c>) reached it — so a run can check that every listener got
/// every published item and the latest change, not only how many bytes arrived.
/// </summary>
public sealed class TrackingListener : HubListener
{
    private const int MaxItemNumber = 10_000_000;
    private static readonly byte[] SeqMarker = Encoding.UTF8.GetBytes("\"seq\":");
    private static readonly byte[] ItemMarker = Encoding.UTF8.GetBytes("\"id\":\"i");
    private static readonly byte[] FrameMarker = Encoding.UTF8.GetBytes("\"target\":\"");

    private static readonly byte[][] VoteMarkers = [.. VoteCountMarkers.Select(Encoding.UTF8.GetBytes)];

    private readonly object _gate = new();
    private bool[] _items = new bool[1024];
    private long _maxSeq;

    private readonly byte[]? _updateMarker;

    /// <param name="updateMarker">Bytes that occur once per update; default <c>"seq":</c> (our feed). The baseline relay sends its events as escaped strings, so it counts <c>"target":"m"</c>.</param>
    public TrackingListener(string? updateMarker = null)
        : base(WireProtocol.Json)
    {
        _updateMarker = updateMarker is null ? null : Encoding.UTF8.GetBytes(updateMarker);
    }

    public long MaxSeq => Interlocked.Read(ref _maxSeq);

    /// <summary>How many of <paramref name="itemNumbers"/> never reached this listener.</summary>
    public int Missing(IEnumerable<int> itemNumbers)
    {
        lock (_gate)
        {
            return itemNumbers.Count(n => n >= _items.Length || !_items[n]);
        }
    }

    protected override void OnMessage(ReadOnlyMemory<byte> whole)
    {
        var message = whole.Span;
        var updates = 0;
        long maxSeq = 0;
        for (var rest = message; ;)
        {
            var at = rest.IndexOf(SeqMarker);
            if (at < 0)
            {
                break;
            }

            rest = rest[(at + SeqMarker.Length)..];
            updates++;
            maxSeq = Math.Max(maxSeq, Number(rest));
        }

        foreach (var marker in VoteMarkers)
        {
            for (var rest = message; ;)
            {
                var at = rest.IndexOf(marker);
                if (at < 0)
                {
                    break;
                }

                // Past the item number and its closing quote and comma: the seq.
                rest = rest[(at + marker.Length)..];
                var digits = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
                if (digits > 0 && rest.Length > digits + 2 && rest[digits] == (byte)'"' && rest[digits + 1] == (byte)',')
                {
                    updates++;
                    maxSeq = Math.Max(maxSeq, Number(rest[(digits + 2)..]));
                }
            }
        }

        lock (_gate)
        {
            for (var rest = message; ;)
            {
                var at = rest.IndexOf(ItemMarker);
                if (at < 0)
                {
                    break;
                }

                rest = rest[(at + ItemMarker.Length)..];
                var n = Number(rest);
                if (n is >= 0 and < MaxItemNumber)
                {
                    if (n >= _items.Length)
                    {
                        Array.Resize(ref _items, (int)Math.Min(MaxItemNumber, Math.Max(n + 1, _items.Length * 2L)));
                    }

                    _items[n] = true;
                }
            }
        }

        if (maxSeq > Interlocked.Read(ref _maxSeq))
        {
            Interlocked.Exchange(ref _maxSeq, maxSeq);
        }

        if (Counts.Measuring)
        {
            Interlocked.Add(ref Counts.Updates, _updateMarker is null ? updates : Count(message, _updateMarker));
            Interlocked.Add(ref Counts.Frames, Count(message, FrameMarker));
        }
    }

    private static long Number(ReadOnlySpan<byte> digits)
    {
        long value = 0;
        for (var i = 0; i < digits.Length && i < 18 && digits[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = (value * 10) + (digits[i] - '0');
        }

        return value;
    }
}
