using System.Diagnostics.Metrics;

namespace OpenGov.Dialogue;

/// <summary>
/// What the grains and the journal do, for a metrics exporter to read (meter <c>OpenGov.Dialogue</c>; the
/// Prometheus names are in docs/observability.md). Static instruments without consultation or citizen tags:
/// a vote costs one increment, and the number of series stays fixed however many consultations there are.
/// </summary>
public static class DialogueMetrics
{
    public const string MeterName = "OpenGov.Dialogue";

    /// <summary>Bucket bounds in seconds, from 0.1 ms (a sweep of a small room) to 10 s (a stalled database).</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

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

    /// <summary>From an append's arrival at the journal to its commit: the wait for the batch plus the batch's transaction.</summary>
    public static readonly Histogram<double> JournalAppendDuration = Seconds(
        "dialogue.journal.append.duration", "Time from a journal append to its durable commit.");

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

    /// <summary>A histogram in seconds with <see cref="SecondsBuckets"/> (the exporters' default bounds suit milliseconds).</summary>
    public static Histogram<double> Seconds(string name, string description, Meter? meter = null) =>
        (meter ?? Meter).CreateHistogram(name, unit: "s", description: description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
}
