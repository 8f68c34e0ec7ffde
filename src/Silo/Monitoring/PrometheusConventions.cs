using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace OpenGov.Dialogue.Silo.Monitoring;

/// <summary>
/// Other libraries' instruments as Prometheus' conventions (and <c>promtool check metrics</c>) want them. Orleans
/// reports latencies in milliseconds and memory in megabytes and leaves most instruments without a description; the
/// runtime names a few gauges <c>*.count</c>, a suffix Prometheus keeps for histograms. Orleans' millisecond
/// histograms are recorded again in seconds under their own names (meter <see cref="MeterName"/>) and the originals
/// dropped; its megabyte gauges are dropped (machine memory, not the process's); the rest get a description.
/// </summary>
public static class PrometheusConventions
{
    public const string MeterName = "OpenGov.Dialogue.Orleans";

    public const string OrleansMeter = "Microsoft.Orleans";

    public const string RuntimeMeter = "System.Runtime";

    private static readonly Meter Meter = new(MeterName);

    private static readonly ConcurrentDictionary<string, Histogram<double>> InSeconds = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> RuntimeNames = new(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers",
    };

    // One listener for the process: Orleans' instruments are static, so a second one would count every measurement twice.
    private static readonly Lazy<MeterListener> Listener = new(StartListener);

    /// <summary>Starts re-recording Orleans' millisecond histograms in seconds (once per process).</summary>
    public static void EnsureStarted() => _ = Listener.Value;

    /// <summary>The OpenTelemetry view that renames, drops or describes the instruments above; null leaves one as it is.</summary>
    public static MetricStreamConfiguration? View(Instrument instrument)
    {
        if (instrument.Meter.Name == OrleansMeter)
        {
            if (instrument.Unit is "ms" or "MB")
            {
                return MetricStreamConfiguration.Drop;
            }

            return string.IsNullOrEmpty(instrument.Description) ? new MetricStreamConfiguration { Description = Described(instrument) } : null;
        }

        if (instrument.Meter.Name == RuntimeMeter && instrument.Name.EndsWith(".count", StringComparison.Ordinal) && !IsOf(instrument, typeof(Counter<>), typeof(ObservableCounter<>), typeof(Histogram<>)))
        {
            return RuntimeNames.TryGetValue(instrument.Name, out var name) ? new MetricStreamConfiguration { Name = name } : MetricStreamConfiguration.Drop;
        }

        return null;
    }

    private static MeterListener StartListener()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == OrleansMeter && instrument.Unit == "ms" && IsOf(instrument, typeof(Histogram<>)))
                {
                    var seconds = InSeconds.GetOrAdd(instrument.Name, name => DialogueMetrics.Seconds(name, Described(instrument) + " In seconds.", Meter));
                    listener.EnableMeasurementEvents(instrument, seconds);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Histogram<double>)state!).Record(value / 1000.0, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Histogram<double>)state!).Record(value / 1000.0, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Histogram<double>)state!).Record(value / 1000.0, tags));
        listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((Histogram<double>)state!).Record(value / 1000.0, tags));
        listener.Start();
        return listener;
    }

    private static string Described(Instrument instrument) =>
        string.IsNullOrEmpty(instrument.Description) ? $"Orleans' {instrument.Name}." : instrument.Description;

    private static bool IsOf(Instrument instrument, params Type[] kinds) =>
        instrument.GetType() is { IsGenericType: true } type && kinds.Contains(type.GetGenericTypeDefinition());
}
