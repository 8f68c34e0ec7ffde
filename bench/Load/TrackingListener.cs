using System.Net.WebSockets;
using System.Text;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// A cheap listening connection (raw WebSocket, SignalR JSON protocol, no parsing into objects)
/// that, beyond counting updates and frames, remembers the highest <c>"seq":</c> it saw and which
/// item numbers (<c>"id":"i&lt;n&gt;"</c>) reached it — so a run can check that every listener got
/// every published item and the latest change, not only how many bytes arrived. Whole WebSocket
/// messages are reassembled before scanning so that no marker is split across two reads.
/// </summary>
public sealed class TrackingListener : IAsyncDisposable
{
    private const int MaxItemNumber = 10_000_000;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly byte[] SeqMarker = Encoding.UTF8.GetBytes("\"seq\":");
    private static readonly byte[] ItemMarker = Encoding.UTF8.GetBytes("\"id\":\"i");
    private static readonly byte[] FrameMarker = Encoding.UTF8.GetBytes("\"target\":\"");

    // Compact vote counts are bare arrays ["i12",345,up,agree,disagree,pass] inside the frame's last argument.
    private static readonly byte[][] VoteMarkers = [Encoding.UTF8.GetBytes("[[\"i"), Encoding.UTF8.GetBytes("],[\"i")];

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private bool[] _items = new bool[1024];
    private long _maxSeq;
    private Task? _receive;
    private Task? _keepAlive;

    private readonly byte[]? _updateMarker;

    /// <param name="updateMarker">Bytes that occur once per update; default <c>"seq":</c> (our feed). The baseline relay sends its events as escaped strings, so it counts <c>"target":"m"</c>.</param>
    public TrackingListener(string? updateMarker = null)
    {
        _updateMarker = updateMarker is null ? null : Encoding.UTF8.GetBytes(updateMarker);
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    /// <summary>Updates and frames are added here while <see cref="RawListener.Counters.Measuring"/> is set.</summary>
    public required RawListener.Counters Counts { get; init; }

    public long MaxSeq => Interlocked.Read(ref _maxSeq);

    public bool Closed => _receive is { IsCompleted: true };

    /// <summary>How many of <paramref name="itemNumbers"/> never reached this listener.</summary>
    public int Missing(IEnumerable<int> itemNumbers)
    {
        lock (_gate)
        {
            return itemNumbers.Count(n => n >= _items.Length || !_items[n]);
        }
    }

    public async Task ConnectAsync(Uri hubUrl, string? accessToken, string target, params object[] arguments)
    {
        var ws = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == "https" ? "wss" : "ws" };
        if (accessToken is not null)
        {
            ws.Query = $"access_token={Uri.EscapeDataString(accessToken)}";
        }

        await _socket.ConnectAsync(ws.Uri, CancellationToken.None);
        await _socket.SendAsync(Handshake, WebSocketMessageType.Text, true, CancellationToken.None);
        var invocation = System.Text.Json.JsonSerializer.Serialize(new { type = 1, invocationId = "1", target, arguments });
        await _socket.SendAsync(Encoding.UTF8.GetBytes(invocation + "\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        _receive = Receive();
        _keepAlive = KeepAlive();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }

        foreach (var task in new[] { _receive, _keepAlive })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task Receive()
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        try
        {
            // Bounded by the socket: ends on close, error or DisposeAsync.
            while (!_stop.IsCancellationRequested)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    Scan(buffer.AsSpan(0, length));
                    length = 0;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private void Scan(ReadOnlySpan<byte> message)
    {
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
            var frames = 0;
            for (var rest = message; ;)
            {
                var at = rest.IndexOf(FrameMarker);
                if (at < 0)
                {
                    break;
                }

                frames++;
                rest = rest[(at + FrameMarker.Length)..];
            }

            Interlocked.Add(ref Counts.Updates, _updateMarker is null ? updates : Count(message, _updateMarker));
            Interlocked.Add(ref Counts.Frames, frames);
        }
    }

    private static int Count(ReadOnlySpan<byte> data, ReadOnlySpan<byte> marker)
    {
        var count = 0;
        for (int at; (at = data.IndexOf(marker)) >= 0; data = data[(at + marker.Length)..])
        {
            count++;
        }

        return count;
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

    private async Task KeepAlive()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await _socket.SendAsync(Ping, WebSocketMessageType.Text, true, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }
}
