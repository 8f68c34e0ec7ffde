using System.ComponentModel.DataAnnotations;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>How the gateway treats hub connections and its subscriptions to consultations (<c>Dialogue:Live</c>, docs/live-feed.md).</summary>
public sealed class LiveOptions
{
    public const string Section = "Dialogue:Live";

    /// <summary>
    /// A connection whose previous frame is still unsent is skipped by the sweeps (it gets the
    /// coalesced state once it has taken its frame); one that stays behind this long is aborted and
    /// resumes with <c>Join(id, lastSeq)</c> when it reconnects.
    /// </summary>
    [Range(0.1, 3600)]
    public double StalledSendSeconds { get; set; } = 10;

    /// <summary>
    /// How often the gateway renews its subscriptions and compares the consultation's last seq with
    /// what it has forwarded: a reactivated grain (silo restart, rebalancing) has lost its observers,
    /// and what it committed since is fetched and sent.
    /// </summary>
    [Range(0.1, 120)]
    public double ResubscribeSeconds { get; set; } = 5;

    /// <summary>
    /// A stopping gateway tells each hub client to reconnect after a random delay up to this many
    /// milliseconds, so thousands of phones do not reach the other gateways in the same instant.
    /// </summary>
    [Range(0, 60_000)]
    public int HandoverSpreadMilliseconds { get; set; } = 2000;

    /// <summary>
    /// The kernel's send buffer for a hub WebSocket (0 leaves it to the kernel). Left to autotuning, a
    /// phone that stops reading lets Linux grow it to 4 MiB: minutes of a hall's frames pinned per
    /// phone before anyone notices. 64 KiB (the kernel doubles it) carries a hall's frames easily.
    /// </summary>
    [Range(0, 16 * 1024 * 1024)]
    public int SocketSendBufferBytes { get; set; } = 64 * 1024;
}
