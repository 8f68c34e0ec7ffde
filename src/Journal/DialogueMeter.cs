using System.Diagnostics.Metrics;

namespace OpenGov.Dialogue.Journal;

/// <summary>The meter the grains and the journal record on (<c>OpenGov.Dialogue</c>), and its histograms in seconds.</summary>
public static class DialogueMeter
{
    public const string Name = "OpenGov.Dialogue";

    /// <summary>Bucket bounds in seconds, from 0.1 ms (a sweep of a small room) to 10 s (a stalled database).</summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>A histogram in seconds with <see cref="SecondsBuckets"/> (the exporters' default bounds suit milliseconds).</summary>
    public static Histogram<double> Seconds(Meter meter, string name, string description) =>
        meter.CreateHistogram(name, unit: "s", description: description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
}

/// <summary>What the journal does, on <see cref="DialogueMeter.Name"/> beside the grains' instruments (docs/observability.md).</summary>
public static class JournalMetrics
{
    private static readonly Meter Meter = new(DialogueMeter.Name);

    /// <summary>From an append's arrival at the journal to its commit: the wait for the batch plus the batch's transaction.</summary>
    public static readonly Histogram<double> AppendDuration = DialogueMeter.Seconds(
        Meter, "dialogue.journal.append.duration", "Time from a journal append to its durable commit.");
}
