using System.Diagnostics.Metrics;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>The live fan-out's instruments, for a metrics exporter to read (meter <c>OpenGov.Dialogue.Live</c>; docs/observability.md).</summary>
public static class LiveMetrics
{
    public const string MeterName = "OpenGov.Dialogue.Live";

    private static readonly Meter Meter = new(MeterName);

    // Tag values of Connections: the two ways a live reader is connected.
    private static readonly KeyValuePair<string, object?> Hub = new("transport", "hub");
    private static readonly KeyValuePair<string, object?> Sse = new("transport", "sse");

    /// <summary>Frames written to a hub connection (one per connection and sweep that had something for it).</summary>
    public static readonly Counter<long> FramesSent =
        Meter.CreateCounter<long>("dialogue.live.frames_sent", unit: "{frame}", description: "Frames written to hub connections.");

    /// <summary>Frames not written to a connection because its previous frame was still unsent; it gets the newer state later.</summary>
    public static readonly Counter<long> FramesSkipped =
        Meter.CreateCounter<long>("dialogue.live.frames_skipped", description: "Frames skipped for a connection whose previous frame was still unsent.");

    /// <summary>Connections aborted because they stayed behind longer than <see cref="LiveOptions.StalledSendSeconds"/>.</summary>
    public static readonly Counter<long> ConnectionsAborted =
        Meter.CreateCounter<long>("dialogue.live.connections_aborted", description: "Hub connections aborted for staying behind.");

    /// <summary>Gaps in a consultation's changes (a reactivated grain, a lost notification) fetched from the grain and sent.</summary>
    public static readonly Counter<long> GapsResent =
        Meter.CreateCounter<long>("dialogue.live.gaps_resent", description: "Gaps in the changes of a consultation fetched and resent.");

    /// <summary>One sweep of a consultation's send loop over all its audiences (it paces the next sweep by this).</summary>
    public static readonly Histogram<double> SweepDuration = DialogueMetrics.Seconds(
        "dialogue.live.sweep.duration", "Time one send-loop sweep takes over a consultation's audiences.", Meter);

    private static long _hubConnections;
    private static long _feedReaders;

    /// <summary>
    /// Open live connections: SignalR hub connections and readers of the public live feed (server-sent events).
    /// Observed as the current count, not as +1/−1 deltas: a metrics listener that starts while connections are
    /// open (a restarted exporter, a second host in one process) still reads the true number.
    /// </summary>
    public static readonly ObservableUpDownCounter<long> Connections = Meter.CreateObservableUpDownCounter(
        "dialogue.live.connections",
        () => new[] { new Measurement<long>(Interlocked.Read(ref _hubConnections), Hub), new Measurement<long>(Interlocked.Read(ref _feedReaders), Sse) },
        unit: "{connection}",
        description: "Open hub connections and live-feed (SSE) readers.");

    public static void HubConnected() => Interlocked.Increment(ref _hubConnections);

    public static void HubDisconnected() => Interlocked.Decrement(ref _hubConnections);

    public static void FeedReaderConnected() => Interlocked.Increment(ref _feedReaders);

    public static void FeedReaderDisconnected() => Interlocked.Decrement(ref _feedReaders);
}
