using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Storage;

/// <summary>
/// Shares one scrub of the grain-state store (a VACUUM) among every erasure that asks while it waits, and starts
/// scrubs at least <paramref name="minimumGap"/> apart. A scrub rewrites the whole store and holds back its writers,
/// and any participant can ask for an erasure; without this, erasures in a loop would keep the store vacuuming.
/// Each caller still returns only after a scrub that started after its call, so what it erased is gone from the
/// store's free pages when it returns. A failed scrub fails the callers it served; the next call starts a new one.
/// </summary>
public sealed class ScrubCoalescer(IStorageScrubber inner, TimeSpan minimumGap, TimeProvider clock) : IStorageScrubber
{
    private readonly object _gate = new();
    private TaskCompletionSource? _waiting;
    private bool _looping;
    private long _lastStart = long.MinValue;

    /// <summary>Scrubs started so far (for tests and metrics).</summary>
    public int Runs { get; private set; }

    public Task ScrubGrainStateAsync(CancellationToken cancellationToken = default)
    {
        Task next;
        lock (_gate)
        {
            _waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            next = _waiting.Task;
            if (!_looping)
            {
                _looping = true;
                _ = Task.Run(LoopAsync, CancellationToken.None);
            }
        }

        return next.WaitAsync(cancellationToken);
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            if (_lastStart != long.MinValue)
            {
                var wait = minimumGap - clock.GetElapsedTime(_lastStart);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock);
                }
            }

            TaskCompletionSource batch;
            lock (_gate)
            {
                if (_waiting is null)
                {
                    _looping = false;
                    return;
                }

                // Every caller so far is served by this scrub; later ones wait for the next.
                batch = _waiting;
                _waiting = null;
            }

            _lastStart = clock.GetTimestamp();
            Runs++;
            try
            {
                await inner.ScrubGrainStateAsync(CancellationToken.None);
                batch.SetResult();
            }
            catch (Exception e)
            {
                batch.SetException(e);
            }
        }
    }
}
