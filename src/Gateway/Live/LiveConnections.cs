using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// SignalR's own connection bookkeeping, plus a <see cref="LiveConnection"/> per hub connection so the
/// feed can write to it directly and see whether its last frame went out.
/// </summary>
public sealed class LiveConnections(IOptions<LiveOptions> options, ILogger<DefaultHubLifetimeManager<DialogueHub>> logger)
    : DefaultHubLifetimeManager<DialogueHub>(logger)
{
    private readonly ConcurrentDictionary<string, LiveConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public LiveConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = new LiveConnection(connection);
        LiveMetrics.HubConnected();
        LimitSendBuffer(connection);
        return base.OnConnectedAsync(connection);
    }

    /// <summary>A WebSocket over HTTP/1.1 has its socket to itself: its send buffer is bounded (<see cref="LiveOptions.SocketSendBufferBytes"/>).</summary>
    private void LimitSendBuffer(HubConnectionContext connection)
    {
        if (options.Value.SocketSendBufferBytes > 0
            && connection.Features.Get<IHttpTransportFeature>()?.TransportType == HttpTransportType.WebSockets
            && connection.Features.Get<IHttpContextFeature>()?.HttpContext is { } http
            && HttpProtocol.IsHttp11(http.Request.Protocol)
            && http.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            socket.SendBufferSize = options.Value.SocketSendBufferBytes;
        }
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_connections.TryRemove(connection.ConnectionId, out _))
        {
            LiveMetrics.HubDisconnected();
        }

        return base.OnDisconnectedAsync(connection);
    }
}

public enum SendOutcome
{
    Sent,

    /// <summary>The previous frame is still unsent: nothing was written.</summary>
    Skipped,

    /// <summary>Behind for too long: the connection was aborted.</summary>
    Aborted,
}

/// <summary>
/// One hub connection as the send loops see it: the write that has not completed yet, and since when
/// the connection has been skipped. A write "completes" when SignalR's buffer for the connection is
/// below its limit, so a pending write means the socket is not taking what it was given.
/// </summary>
public sealed class LiveConnection(HubConnectionContext context)
{
    private readonly Lock _lock = new();
    private Task? _pending;
    private long _behindSince;
    private bool _aborted;

    public string Id => context.ConnectionId;

    /// <summary>
    /// Writes the messages unless the previous write is still pending; never waits. A connection that
    /// has been skipped for <paramref name="abortAfter"/> is aborted.
    /// </summary>
    /// <param name="now">A <see cref="TimeProvider.GetTimestamp"/> of the sweep.</param>
    public SendOutcome TrySend(IReadOnlyList<SerializedHubMessage> messages, long now, long abortAfter)
    {
        lock (_lock)
        {
            if (_aborted)
            {
                return SendOutcome.Aborted;
            }

            if (_pending is { IsCompleted: false })
            {
                if (_behindSince == 0)
                {
                    _behindSince = now;
                }
                else if (now - _behindSince >= abortAfter)
                {
                    _aborted = true;
                    context.Abort();
                    LiveMetrics.ConnectionsAborted.Add(1);
                    return SendOutcome.Aborted;
                }

                LiveMetrics.FramesSkipped.Add(1);
                return SendOutcome.Skipped;
            }

            _behindSince = 0;
            _pending = null;
            foreach (var message in messages)
            {
                var write = context.WriteAsync(message);
                if (write.IsCompletedSuccessfully)
                {
                    write.GetAwaiter().GetResult();
                }
                else
                {
                    // SignalR writes one message at a time in call order: the last pending write completes last.
                    _pending = write.AsTask().ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.ExecuteSynchronously);
                }
            }

            LiveMetrics.FramesSent.Add(1);
            return SendOutcome.Sent;
        }
    }
}
