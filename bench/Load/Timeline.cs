using System.Diagnostics;
using System.Globalization;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// The one pacing loop of the load tool: starts event <c>i</c> at <c>offsets[i]</c> seconds after
/// the start, with at most <c>maxInFlight</c> running; events not started by the deadline are
/// skipped (counted), so a server that falls behind makes a run longer by a bounded amount, never
/// endless. An event that throws is counted as failed and never stops the timeline; scenarios count
/// their own errors (a refused request) as well.
/// </summary>
public static class Timeline
{
    /// <summary>A steady rate: event <c>i</c> at <c>i / perSecond</c>, for <paramref name="seconds"/>.</summary>
    public static double[] Steady(double perSecond, double seconds) =>
        perSecond <= 0 ? [] : [.. Enumerable.Range(0, (int)(perSecond * seconds)).Select(i => i / perSecond)];

    public static async Task<(int Started, int Skipped, int Failed)> RunAsync(IReadOnlyList<double> offsets, int maxInFlight, TimeSpan deadline, Func<int, Task> run)
    {
        using var slots = new SemaphoreSlim(maxInFlight);
        var clock = Stopwatch.StartNew();
        var started = 0;
        var failed = 0;
        for (var i = 0; i < offsets.Count; i++)
        {
            var due = TimeSpan.FromSeconds(offsets[i]) - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due);
            }

            var left = deadline - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await slots.WaitAsync(left))
            {
                break;
            }

            started++;
            // Called here, in order: whatever the event does before its first await (e.g. queueing
            // behind the same participant's previous event) happens in timeline order.
            _ = Run(i);
        }

        // Drain: every started event has finished once all slots are free again (each call is bounded by the HTTP timeout).
        for (var i = 0; i < maxInFlight; i++)
        {
            await slots.WaitAsync();
        }

        return (started, offsets.Count - started, failed);

        async Task Run(int index)
        {
            try
            {
                await run(index);
            }
            catch (Exception)
            {
                // Nothing here may stop the timeline.
                Interlocked.Increment(ref failed);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}

/// <summary>Reads the load average from /proc (Linux); a server's CPU time is <see cref="LoadServer.CpuTime"/>.</summary>
public static class ProcStat
{
    /// <summary>The 1-minute load average of the machine (NaN when unknown).</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }
}
