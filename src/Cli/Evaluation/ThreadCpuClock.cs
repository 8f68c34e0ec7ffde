using System.Runtime.InteropServices;

namespace OpenGov.Dialogue.Cli.Evaluation;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>). Wall-clock latency on
/// a shared machine includes time spent waiting for a core; this measures only the work itself.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>Milliseconds of CPU time used by this thread so far.</summary>
    public static double NowMilliseconds()
    {
        ClockGetTime(ClockThreadCpuTimeId, out var time);
        return time.Seconds * 1000.0 + time.Nanoseconds / 1_000_000.0;
    }

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: the generated marshaller would need unsafe code enabled.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
