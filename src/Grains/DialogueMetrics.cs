using System.Diagnostics.Metrics;
using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue;

/// <summary>
/// What the grains and the journal do, for a metrics exporter to read (meter <c>OpenGov.Dialogue</c>; the
/// Prometheus names are in docs/observability.md). Static instruments without consultation or citizen tags:
/// a vote costs one increment, and the number of series stays fixed however many consultations there are.
/// </summary>
public static class DialogueMetrics
{
    public const string MeterName = DialogueMeter.Name;

    private static readonly Meter Meter = new(MeterName);

    /// <summary>New items stored (a repeated client id is answered from the first and not counted again).</summary>
    public static readonly Counter<long> ItemsSubmitted =
        Meter.CreateCounter<long>("dialogue.items.submitted", unit: "{item}", description: "Items submitted and stored.");

    /// <summary>Votes stored; a vote that changes nothing (the same value again) writes nothing and is not counted.</summary>
    public static readonly Counter<long> VotesApplied =
        Meter.CreateCounter<long>("dialogue.votes.applied", unit: "{vote}", description: "Votes stored.");

    /// <summary>Triage of one submitted item: the risk score and the near-duplicate search.</summary>
    public static readonly Histogram<double> ScoringDuration = Seconds(
        "dialogue.scoring.duration", "Time to score a submitted item for the moderation queue (risk and near-duplicates).");

    private static long _moderationQueueLength;

    /// <summary>
    /// Items waiting for review, summed over the consultations active in this process. Observed as the current sum,
    /// not as deltas: a listener that starts while consultations are active still reads the true length.
    /// </summary>
    public static readonly ObservableUpDownCounter<long> ModerationQueueLength = Meter.CreateObservableUpDownCounter(
        "dialogue.moderation.queue.length",
        () => Interlocked.Read(ref _moderationQueueLength),
        unit: "{item}",
        description: "Items waiting for review in the consultations active on this silo.");

    /// <summary>Moves the queue-length sum by one consultation's change.</summary>
    public static void AddToModerationQueue(long delta) => Interlocked.Add(ref _moderationQueueLength, delta);

    /// <summary>A histogram in seconds with <see cref="DialogueMeter.SecondsBuckets"/> (the exporters' default bounds suit milliseconds).</summary>
    public static Histogram<double> Seconds(string name, string description, Meter? meter = null) =>
        DialogueMeter.Seconds(meter ?? Meter, name, description);
}
