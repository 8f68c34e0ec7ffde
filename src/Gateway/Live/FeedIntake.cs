using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Live;

/// <summary>
/// Where a consultation's changes enter the send loop, in order and without holes: it knows the seq up
/// to which this gateway has everything, fetches what is missing when a batch (or a renewed lease) shows
/// that the grain got further — a reactivated grain has lost its observers and published to nobody —
/// and drops from later batches what the fetched gap already carried, so nothing goes out twice or
/// older after newer.
/// </summary>
internal sealed class FeedIntake(IConsultationFeed grain, long coveredSeq, TimeProvider clock, ILogger logger)
{
    private const int GapPage = 1000;
    private static readonly TimeSpan RetryGapAfter = TimeSpan.FromSeconds(1);

    private long _covered = coveredSeq;
    private bool _hole;

    // While a gap is still missing, later live batches go out as they come (covered does not move):
    // what they carried is remembered here, so the fetched gap leaves it out instead of sending it twice.
    private readonly HashSet<(string Item, long Seq)> _sentItems = [];
    private readonly HashSet<long> _sentLogSeqs = [];
    private DateTimeOffset _retryGapAt;

    /// <summary>Every change up to this seq is in the backlog (or was before it was sent).</summary>
    public long Covered => _covered;

    /// <summary>A batch for the send loop: a live batch, or an empty one whose <see cref="ChangeBatch.AfterSeq"/> is a lease's last seq.</summary>
    public async ValueTask Take(ChangeBatch batch, Backlog backlog, string consultationId)
    {
        if (batch.AfterSeq > _covered && clock.GetUtcNow() >= _retryGapAt)
        {
            await FillGap(backlog, consultationId);
        }

        var fresh = Unseen(batch);
        if (!_hole)
        {
            _covered = Math.Max(_covered, batch.UpToSeq);
        }

        if (!IsEmpty(fresh))
        {
            if (_hole)
            {
                // Only full views: a vote count at the same seq is no substitute for the view the gap brings
                // (an item posted in the missing stretch and voted on since would never be shown).
                _sentItems.UnionWith(fresh.Items.Where(c => c.Votes is null).Select(c => (c.ItemId, c.Seq)));
                _sentLogSeqs.UnionWith(fresh.Log.Select(e => e.Seq));
            }

            backlog.Add(fresh);
        }
    }

    private async Task FillGap(Backlog backlog, string consultationId)
    {
        try
        {
            var after = _covered;
            while (true)
            {
                var gap = await grain.GetChanges(after, GapPage);
                backlog.Add(NotSentYet(gap));
                var end = gap.Consultation?.LastSeq ?? gap.UpToSeq;
                if (gap.UpToSeq >= end || gap.UpToSeq <= after)
                {
                    after = Math.Max(after, gap.UpToSeq);
                    break;
                }

                after = gap.UpToSeq;
            }

            logger.LogInformation("Resent the changes of {Consultation} after seq {From} up to {To}", consultationId, _covered, after);
            _covered = Math.Max(_covered, after);
            _hole = false;
            _sentItems.Clear();
            _sentLogSeqs.Clear();
            LiveMetrics.GapsResent.Add(1);
        }
        catch (Exception ex)
        {
            // Keep what is covered: the next batch or renewal asks again, and the gap is sent then.
            _hole = true;
            _retryGapAt = clock.GetUtcNow() + RetryGapAfter;
            logger.LogWarning(ex, "Fetching the changes of {Consultation} after seq {Seq} failed; trying again", consultationId, _covered);
        }
    }

    /// <summary>The batch without the items and log entries a fetched gap carried already.</summary>
    private ChangeBatch Unseen(ChangeBatch batch)
    {
        var covered = _covered;
        if (batch.Items.All(c => c.Seq > covered) && batch.Log.All(e => e.Seq > covered))
        {
            return batch;
        }

        return batch with
        {
            Items = [.. batch.Items.Where(c => c.Seq > covered)],
            Log = [.. batch.Log.Where(e => e.Seq > covered)],
        };
    }

    /// <summary>A fetched gap without what live batches already sent while the gap was missing.</summary>
    private ChangeBatch NotSentYet(ChangeBatch gap) =>
        _sentItems.Count == 0 && _sentLogSeqs.Count == 0
            ? gap
            : gap with
            {
                Items = [.. gap.Items.Where(c => !_sentItems.Contains((c.ItemId, c.Seq)))],
                Log = [.. gap.Log.Where(e => !_sentLogSeqs.Contains(e.Seq))],
            };

    private static bool IsEmpty(ChangeBatch batch) =>
        batch.Items.Count == 0 && batch.Notifications.Count == 0 && batch.Presenter is null && batch.Opinion is null
        && batch.Topics is null && batch.Consultation is null && batch.Log.Count == 0;
}
