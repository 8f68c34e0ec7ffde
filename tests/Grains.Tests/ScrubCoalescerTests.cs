using System.Diagnostics;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Storage;

namespace OpenGov.Dialogue.Tests;

/// <summary>Erasures share scrubs of the grain-state store, started a minimum gap apart (<see cref="ScrubCoalescer"/>).</summary>
[Trait("Category", "unit")]
public sealed class ScrubCoalescerTests
{
    [Fact]
    public async Task Callers_during_a_scrub_share_the_next_one_and_none_returns_before_a_scrub_that_started_after_its_call()
    {
        var store = new GatedScrubber();
        var coalescer = new ScrubCoalescer(store, TimeSpan.Zero, TimeProvider.System);

        var first = coalescer.ScrubGrainStateAsync();
        await store.Started(1);
        var during = Enumerable.Range(0, 5).Select(_ => coalescer.ScrubGrainStateAsync()).ToList();

        store.Release(1);
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await store.Started(2);
        Assert.All(during, t => Assert.False(t.IsCompleted, "a caller that came during the first scrub must wait for a second one"));

        store.Release(2);
        await Task.WhenAll(during).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, store.Calls);
        Assert.Equal(2, coalescer.Runs);
    }

    [Fact]
    public async Task Scrubs_start_at_least_the_gap_apart()
    {
        var store = new GatedScrubber(open: true);
        var coalescer = new ScrubCoalescer(store, TimeSpan.FromMilliseconds(400), TimeProvider.System);

        await coalescer.ScrubGrainStateAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await coalescer.ScrubGrainStateAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, store.Calls);
        var gap = store.StartTimes[1] - store.StartTimes[0];
        Assert.True(gap >= TimeSpan.FromMilliseconds(380), $"the second scrub started {gap.TotalMilliseconds:F0} ms after the first");
    }

    [Fact]
    public async Task A_failed_scrub_fails_its_callers_and_the_next_call_scrubs_again()
    {
        var store = new GatedScrubber(open: true) { FailFirst = true };
        var coalescer = new ScrubCoalescer(store, TimeSpan.Zero, TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => coalescer.ScrubGrainStateAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        await coalescer.ScrubGrainStateAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, store.Calls);
    }

    /// <summary>A store whose scrubs each wait for the test to release them (or pass at once when open).</summary>
    private sealed class GatedScrubber(bool open = false) : IStorageScrubber
    {
        private readonly Dictionary<int, TaskCompletionSource> _release = [];
        private readonly Dictionary<int, TaskCompletionSource> _started = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _calls;

        public bool FailFirst { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public List<TimeSpan> StartTimes { get; } = [];

        public async Task ScrubGrainStateAsync(CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            lock (StartTimes)
            {
                StartTimes.Add(_clock.Elapsed);
            }

            Gate(_started, call).TrySetResult();
            if (!open)
            {
                await Gate(_release, call).Task;
            }

            if (FailFirst && call == 1)
            {
                throw new InvalidOperationException("the store is busy");
            }
        }

        public Task Started(int call) => Gate(_started, call).Task.WaitAsync(TimeSpan.FromSeconds(10));

        public void Release(int call) => Gate(_release, call).TrySetResult();

        private TaskCompletionSource Gate(Dictionary<int, TaskCompletionSource> gates, int call)
        {
            lock (gates)
            {
                if (!gates.TryGetValue(call, out var gate))
                {
                    gates[call] = gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return gate;
            }
        }
    }
}
