using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The rules by which a gateway's live feed takes a consultation's batches in: a missing stretch is fetched,
/// and nothing goes out twice. The grain is a stand-in here (a pure rule); the cluster fault tests run the
/// same path through real silos.
/// </summary>
[Trait("Category", "unit")]
public sealed class FeedIntakeTests
{
    [Fact]
    public async Task Changes_sent_while_a_gap_could_not_be_fetched_are_not_sent_again_with_the_gap()
    {
        // The grain moved: the first fetch of the gap fails (the old silo is paused), live batches of the new
        // activation go out meanwhile, and the second fetch brings everything after what was covered.
        var clock = new SteppedClock();
        var grain = ChangesOnly.Create(
            _ => throw new TimeoutException("the paused silo does not answer"),
            after => Batch(after, 26, Change("i1", 15), Change("i5", 25), Change("i6", 26)));
        var intake = new FeedIntake(grain, coveredSeq: 10, clock, NullLogger.Instance);
        var backlog = new Backlog();

        await intake.Take(Batch(20, 25, Change("i5", 25)), backlog, "c1");
        clock.Now += TimeSpan.FromSeconds(2);
        await intake.Take(Batch(25, 26, Change("i6", 26)), backlog, "c1");

        var sent = backlog.Since(0).SelectMany(b => b.Items).Select(c => (c.ItemId, c.Seq)).ToList();
        Assert.Equal([("i5", 25L), ("i1", 15L), ("i6", 26L)], sent);
        Assert.Equal(26, intake.Covered);
    }

    [Fact]
    public async Task A_vote_count_sent_during_the_gap_does_not_stand_in_for_the_view_the_gap_brings()
    {
        // i7 was posted in the missing stretch; a vote on it went out live (a count, no view) while the fetch failed.
        // The fetched gap brings i7's full view at that same seq: it must go out, or the listener never sees i7.
        var clock = new SteppedClock();
        var grain = ChangesOnly.Create(
            _ => throw new TimeoutException("the paused silo does not answer"),
            after => Batch(after, 31, Change("i7", 30), Change("i8", 31)));
        var intake = new FeedIntake(grain, coveredSeq: 10, clock, NullLogger.Instance);
        var backlog = new Backlog();

        await intake.Take(Batch(20, 30, VotesOnly("i7", 30)), backlog, "c1");
        clock.Now += TimeSpan.FromSeconds(2);
        await intake.Take(Batch(30, 31, Change("i8", 31)), backlog, "c1");

        var views = backlog.Since(0).SelectMany(b => b.Items).Where(c => c.Votes is null).Select(c => (c.ItemId, c.Seq)).ToList();
        Assert.Equal([("i7", 30L), ("i8", 31L)], views);
    }

    [Fact]
    public async Task A_gap_is_fetched_once_and_what_it_carried_is_dropped_from_later_batches()
    {
        var clock = new SteppedClock();
        var fetches = 0;
        var grain = ChangesOnly.Create(after =>
        {
            fetches++;
            return Batch(after, 30, Change("i2", 22), Change("i3", 30));
        });
        var intake = new FeedIntake(grain, coveredSeq: 20, clock, NullLogger.Instance);
        var backlog = new Backlog();

        await intake.Take(Batch(25, 30, Change("i3", 30)), backlog, "c1");
        await intake.Take(Batch(30, 31, Change("i4", 31)), backlog, "c1");

        var sent = backlog.Since(0).SelectMany(b => b.Items).Select(c => (c.ItemId, c.Seq)).ToList();
        Assert.Equal([("i2", 22L), ("i3", 30L), ("i4", 31L)], sent);
        Assert.Equal(1, fetches);
        Assert.Equal(31, intake.Covered);
    }

    private static ItemChange Change(string item, long seq)
    {
        var view = new ItemView(item, seq, "Warga-A", "Jalan rusak", ItemStatus.Published, new VoteTally(0, 0, 0, 0), DateTimeOffset.UnixEpoch, true);
        return new(item, seq, view, view, view, "author");
    }

    private static ItemChange VotesOnly(string item, long seq) =>
        new(item, seq, null, null, null, "author", new VoteUpdate(item, seq, new VoteTally(1, 0, 0, 0)));

    private static ChangeBatch Batch(long after, long upTo, params ItemChange[] items) =>
        new(items, [], null) { AfterSeq = after, UpToSeq = upTo };

    private sealed class SteppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A consultation grain that answers only <see cref="IConsultationFeed.GetChanges"/>, with one answer per call in turn.</summary>
    public class ChangesOnly : DispatchProxy
    {
        private Func<long, ChangeBatch>[] _answers = [];
        private int _calls;

        public static IConsultationFeed Create(params Func<long, ChangeBatch>[] answers)
        {
            var grain = DispatchProxy.Create<IConsultationFeed, ChangesOnly>();
            ((ChangesOnly)(object)grain)._answers = answers;
            return grain;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IConsultationFeed.GetChanges))
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            var answer = _answers[Math.Min(_calls++, _answers.Length - 1)];
            try
            {
                return Task.FromResult(answer((long)args![0]!));
            }
            catch (Exception ex)
            {
                return Task.FromException<ChangeBatch>(ex);
            }
        }
    }
}
