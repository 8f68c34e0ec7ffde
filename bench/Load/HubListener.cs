using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Load;

/// <summary>The SignalR hub protocol a run's connections pick in the handshake (<c>--protocol json|messagepack</c>).</summary>
public enum WireProtocol
{
    Json,
    MessagePack,
}

/// <summary>
/// A listening connection that speaks just enough of the SignalR JSON or MessagePack protocol over a
/// WebSocket to join and then look at what arrives — JSON by scanning bytes, not parsing; MessagePack
/// by a shallow walk to each invocation's target and argument array lengths — so that thousands of
/// listeners cost the load generator little and the server, not the generator, is what is measured.
/// Whole WebSocket messages are handed to <see cref="OnMessage"/>, so no marker is split between
/// two reads. Probe connections use the real SignalR client instead.
/// </summary>
public abstract class HubListener : IAsyncDisposable
{
    /// <summary>The hub protocols' own writers frame what a listener sends (its join and pings), with the gateway's settings.</summary>
    private static readonly IHubProtocol Json = new JsonHubProtocol();
    private static readonly IHubProtocol MessagePack = new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions { SerializerOptions = HubMessagePack.Options }));

    /// <summary>SignalR's message type of an invocation, the first element of its MessagePack array.</summary>
    protected const int InvocationType = 1;

    private const byte RecordSeparator = 0x1e;

    /// <summary>
    /// Where a compact vote count starts in our feed's JSON frames: the counts are bare arrays
    /// <c>["i12",345,up,agree,disagree,pass]</c> in the frame's last argument, the first after <c>[[</c>,
    /// the others after <c>],</c>.
    /// </summary>
    public static readonly string[] VoteCountMarkers = ["[[\"i", "],[\"i"];

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receive;
    private Task? _keepAlive;

    protected HubListener(WireProtocol protocol)
    {
        Protocol = protocol;
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public WireProtocol Protocol { get; }

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
        var handshake = Encoding.UTF8.GetBytes($"{{\"protocol\":\"{HubProtocol.Name}\",\"version\":1}}\u001e");
        await _socket.SendAsync(handshake, WebSocketMessageType.Text, true, CancellationToken.None);
        await _socket.SendAsync(HubProtocol.GetMessageBytes(new InvocationMessage("1", target, arguments)), MessageType, true, CancellationToken.None);

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

    /// <summary>One whole WebSocket message (one or more SignalR messages; never the handshake response).</summary>
    protected abstract void OnMessage(ReadOnlyMemory<byte> message);

    /// <summary>
    /// The next SignalR message of a MessagePack WebSocket message: its length comes first, 7 bits a
    /// byte, low bits first (at most 5 bytes), then that many bytes of MessagePack.
    /// </summary>
    protected static bool TryNextMessagePack(ref ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> message)
    {
        var span = data.Span;
        var length = 0;
        var at = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (at == span.Length || at == 5)
            {
                message = default;
                return false;
            }

            var b = span[at++];
            length |= (b & 0x7f) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (length > span.Length - at)
        {
            message = default;
            return false;
        }

        message = data.Slice(at, length);
        data = data[(at + length)..];
        return true;
    }

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
        var handshake = true;
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

                    var message = buffer.AsMemory(0, length);
                    if (handshake)
                    {
                        // The handshake response is JSON in either protocol ("{}" and a record separator); what follows is the hub's.
                        var end = message.Span.IndexOf(RecordSeparator);
                        handshake = end < 0;
                        message = handshake ? default : message[(end + 1)..];
                    }

                    if (!message.IsEmpty)
                    {
                        OnMessage(message);
                    }

                    length = 0;
                    reads = 0;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private IHubProtocol HubProtocol => Protocol == WireProtocol.MessagePack ? MessagePack : Json;

    private WebSocketMessageType MessageType =>
        HubProtocol.TransferFormat == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;

    private async Task KeepAlive()
    {
        var ping = HubProtocol.GetMessageBytes(PingMessage.Instance);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await _socket.SendAsync(ping, MessageType, true, _stop.Token);
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
