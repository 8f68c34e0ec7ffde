using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace OpenGov.Dialogue;

/// <summary>
/// Analysis that takes up to a second of CPU at a time (regrouping a consultation's topics) runs here:
/// on one dedicated thread at the lowest scheduling priority a process may give itself (on Linux,
/// nice 19 for this thread alone), so on a busy gateway it gets the CPU time that requests leave over
/// and a vote or a question never waits behind it. Work items run one after the other, oldest first.
/// </summary>
public static class BackgroundWork
{
    private static readonly BlockingCollection<Action> Queue = [];
    private static readonly Lazy<Thread> Worker = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs <paramref name="work"/> on the background thread; the task completes with its result or exception.</summary>
    public static Task<T> Run<T>(Func<T> work)
    {
        _ = Worker.Value;
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    private static Thread Start()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "dialogue-background-analysis" };
        thread.Start();
        return thread;
    }

    private static void Loop()
    {
        // Where the OS refuses or lacks it, the work still runs, at normal priority.
        _ = Lower();
        foreach (var work in Queue.GetConsumingEnumerable())
        {
            work();
        }
    }

    private static bool Lower()
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
            return true;
        }

        try
        {
            // setpriority(PRIO_PROCESS, tid, 19): on Linux a thread id names just this thread. Raising one's own nice value needs no privilege.
            return Native.setpriority(0, Native.gettid(), 19) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int setpriority(int which, int who, int prio);

        [DllImport("libc")]
        public static extern int gettid();
    }
}
