using System.Diagnostics.Metrics;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>The live fan-out's counters, for a metrics exporter to read (meter <c>OpenGov.Dialogue.Live</c>).</summary>
public static class LiveMetrics
{
    public const string MeterName = "OpenGov.Dialogue.Live";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Frames not written to a connection because its previous frame was still unsent; it gets the newer state later.</summary>
    public static readonly Counter<long> FramesSkipped =
        Meter.CreateCounter<long>("dialogue.live.frames_skipped", description: "Frames skipped for a connection whose previous frame was still unsent.");

    /// <summary>Connections aborted because they stayed behind longer than <see cref="LiveOptions.StalledSendSeconds"/>.</summary>
    public static readonly Counter<long> ConnectionsAborted =
        Meter.CreateCounter<long>("dialogue.live.connections_aborted", description: "Hub connections aborted for staying behind.");

    /// <summary>Gaps in a consultation's changes (a reactivated grain, a lost notification) fetched from the grain and sent.</summary>
    public static readonly Counter<long> GapsResent =
        Meter.CreateCounter<long>("dialogue.live.gaps_resent", description: "Gaps in the changes of a consultation fetched and resent.");
}
