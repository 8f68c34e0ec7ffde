using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// How long work waits in the load generator's own thread pool: every 10 ms a thread outside the
/// pool queues a timestamped item and the item records how late it ran. Every receipt the generator
/// times passes through that queue at least once (socket completion, then the client's handler), so
/// this is the part of a measured latency that is the generator's queue, not the server.
/// </summary>
public sealed class PoolWait : IDisposable
{
    private readonly ConcurrentBag<double> _waits = [];
    private readonly Thread _thread;
    private volatile bool _stop;

    public PoolWait()
    {
        _thread = new Thread(Sample) { IsBackground = true, Name = "pool-wait sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public double P50 => Stats.Percentile([.. _waits], 0.5);

    public double P99 => Stats.Percentile([.. _waits], 0.99);

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    private void Sample()
    {
        // Bounded: at most one sample per 10 ms for as long as the measured window lasts.
        while (!_stop)
        {
            var queued = Stopwatch.GetTimestamp();
            ThreadPool.UnsafeQueueUserWorkItem(at => _waits.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds), queued, preferLocal: false);
            Thread.Sleep(10);
        }
    }
}
