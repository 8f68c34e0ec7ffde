using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
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

    /// <summary>Time for the transports to put the reconnect hints on the wire before the connections are aborted.</summary>
    public static readonly TimeSpan FlushGrace = TimeSpan.FromMilliseconds(300);

    public int Count => _connections.Count;

    /// <summary>Runs once, at the first connection (see <see cref="LiveHandover"/>).</summary>
    public Action? OnFirstConnection
    {
        get => _onFirst;
        set => _onFirst = value;
    }

    private Action? _onFirst;

    public LiveConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = new LiveConnection(connection);
        Interlocked.Exchange(ref _onFirst, null)?.Invoke();
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

    /// <summary>
    /// A gateway that stops hands its clients over: each connection is told to reconnect (after a delay
    /// spread over <paramref name="spreadMilliseconds"/>, so a hall does not arrive at the other gateways
    /// in one instant) and is then closed. Clients join again from their last sequence number.
    /// </summary>
    /// <returns>How many connections were handed over.</returns>
    public async Task<int> HandOverAsync(int spreadMilliseconds, CancellationToken cancellationToken)
    {
        var count = 0;
        var writes = new List<Task>();
        foreach (var live in _connections.Values)
        {
            var hint = new ReconnectHint(Random.Shared.Next(0, Math.Max(1, spreadMilliseconds)));
            writes.Add(live.HandOverAsync(new InvocationMessage(ReconnectHint.Method, [hint])));
            count++;
        }

        // A stalled socket does not hold the stop up: whatever was not written in two seconds is closed anyway.
        // A completed write is in the connection's pipe, not yet on the wire: the transports get a moment to
        // send it before the connections are aborted (an abort drops what the pipe still holds).
        await Task.WhenAny(Task.WhenAll(writes), Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
        await Task.Delay(FlushGrace, cancellationToken);
        foreach (var live in _connections.Values)
        {
            live.Abort();
        }

        return count;
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

    /// <summary>Writes the hint whatever the state of the previous frame (the connection closes next anyway).</summary>
    public async Task HandOverAsync(HubMessage hint)
    {
        try
        {
            await context.WriteAsync(hint);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public void Abort()
    {
        lock (_lock)
        {
            _aborted = true;
        }

        context.Abort();
    }

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

/// <summary>Server → client <c>reconnect(hint)</c>: this gateway is stopping; connect again (to any gateway) after <see cref="DelayMs"/>.</summary>
public sealed record ReconnectHint(int DelayMs)
{
    public const string Method = "reconnect";
}

/// <summary>
/// Hands the hub connections over when the gateway starts stopping. Registered on
/// <c>ApplicationStopping</c> at the first hub connection: cancellation callbacks run newest first, so
/// this runs before what SignalR's connection handling registered earlier (registered at start, the
/// hint was lost in one of two test runs: the connections were already closed).
/// </summary>
public sealed class LiveHandover(LiveConnections connections, IHostApplicationLifetime lifetime, IOptions<LiveOptions> options, ILogger<LiveHandover> logger) : IHostedService
{
    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        connections.OnFirstConnection = () => _registration = lifetime.ApplicationStopping.Register(() =>
        {
            // A stop callback cannot be awaited; HandOverAsync bounds itself to a few seconds.
            var count = connections.HandOverAsync(options.Value.HandoverSpreadMilliseconds, CancellationToken.None).GetAwaiter().GetResult();
            logger.LogInformation("Stopping: handed {Count} hub connections over to the other gateways", count);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }
}
