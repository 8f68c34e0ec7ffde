using System.Net.WebSockets;
using System.Text;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// A listening connection that speaks just enough of the SignalR JSON protocol over a WebSocket to
/// join and then look at what arrives — by scanning bytes, not parsing — so that thousands of
/// listeners cost the load generator little and the server, not the generator, is what is measured.
/// Whole WebSocket messages are handed to <see cref="OnMessage"/>, so no marker is split between
/// two reads. Probe connections use the real SignalR client instead.
/// </summary>
public abstract class HubListener : IAsyncDisposable
{
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    /// <summary>
    /// Where a compact vote count starts in our feed's frames: the counts are bare arrays
    /// <c>["i12",345,up,agree,disagree,pass]</c> in the frame's last argument, the first after <c>[[</c>,
    /// the others after <c>],</c>.
    /// </summary>
    public static readonly string[] VoteCountMarkers = ["[[\"i", "],[\"i"];

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receive;
    private Task? _keepAlive;

    protected HubListener() => _socket.Options.KeepAliveInterval = TimeSpan.Zero;

    /// <summary>Counts go here while <see cref="Counters.Measuring"/> is set; shared by the listeners of a run.</summary>
    public required Counters Counts { get; init; }

    /// <summary>The server closed the connection (or it failed).</summary>
    public bool Closed => _receive is { IsCompleted: true };

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
        GC.SuppressFinalize(this);
    }

    /// <summary>One whole WebSocket message (one or more SignalR messages).</summary>
    protected abstract void OnMessage(ReadOnlySpan<byte> message);

    protected static int Count(ReadOnlySpan<byte> data, ReadOnlySpan<byte> marker)
    {
        var count = 0;
        for (int at; (at = data.IndexOf(marker)) >= 0; data = data[(at + marker.Length)..])
        {
            count++;
        }

        return count;
    }

    private async Task Receive()
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        var reads = 0;
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
                reads++;
                if (result.EndOfMessage)
                {
                    if (Counts.Measuring)
                    {
                        Interlocked.Increment(ref Counts.Messages);
                        Interlocked.Add(ref Counts.Bytes, length);
                        Interlocked.Add(ref Counts.Reads, reads);
                    }

                    OnMessage(buffer.AsSpan(0, length));
                    length = 0;
                    reads = 0;
                }
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

    /// <summary>Shared by all listeners of one run.</summary>
    public sealed class Counters
    {
        public long Updates;
        public long Frames;

        /// <summary>Whole WebSocket messages, their bytes, and the reads they took (a read ends at a WebSocket frame's end at the latest, so more reads than messages means messages were sent in several frames).</summary>
        public long Messages;
        public long Bytes;
        public long Reads;
        public volatile bool Measuring;

        public double BytesPerMessage => Messages == 0 ? double.NaN : (double)Bytes / Messages;

        public double ReadsPerMessage => Messages == 0 ? double.NaN : (double)Reads / Messages;
    }
}
