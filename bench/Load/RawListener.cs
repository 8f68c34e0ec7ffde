using System.Net.WebSockets;
using System.Text;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// A listening connection that speaks just enough of the SignalR JSON protocol over a WebSocket to
/// join and then count what arrives — by scanning bytes, not parsing — so that thousands of
/// listeners cost the load generator little and the server, not the generator, is what is measured.
/// Probe connections use the real SignalR client instead.
/// </summary>
public sealed class RawListener : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[][] _updateMarkers;
    private readonly byte[] _frameMarker;
    private Task? _receive;
    private Task? _keepAlive;

    /// <param name="updateMarkers">Bytes of which one occurs once per update (e.g. <c>"seq":</c> in a full view, <c>["i</c> in a compact vote count).</param>
    /// <param name="frameMarker">Bytes that occur once per pushed message (e.g. <c>"target":"</c>).</param>
    public RawListener(string[] updateMarkers, string frameMarker)
    {
        _updateMarkers = [.. updateMarkers.Select(Encoding.UTF8.GetBytes)];
        _frameMarker = Encoding.UTF8.GetBytes(frameMarker);
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    /// <summary>Counts go here once measuring starts.</summary>
    public required Counters Counts { get; init; }

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
        var buffer = new byte[64 * 1024];
        var length = 0;
        try
        {
            // Bounded by the socket: ends on close, error or DisposeAsync. Whole messages are scanned,
            // so no marker is missed where one read ends and the next begins.
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
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (Counts.Measuring)
                {
                    var span = buffer.AsSpan(0, length);
                    var updates = 0;
                    foreach (var marker in _updateMarkers)
                    {
                        updates += Count(span, marker);
                    }

                    Interlocked.Add(ref Counts.Updates, updates);
                    Interlocked.Add(ref Counts.Frames, Count(span, _frameMarker));
                }

                length = 0;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
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

    private static int Count(ReadOnlySpan<byte> data, ReadOnlySpan<byte> marker)
    {
        var count = 0;
        int at;
        while ((at = data.IndexOf(marker)) >= 0)
        {
            count++;
            data = data[(at + marker.Length)..];
        }

        return count;
    }

    /// <summary>Shared by all listeners of one run.</summary>
    public sealed class Counters
    {
        public long Updates;
        public long Frames;
        public volatile bool Measuring;
    }
}
