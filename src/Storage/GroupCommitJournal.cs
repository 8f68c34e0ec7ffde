using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Journal;
using Polly;

namespace OpenGov.Dialogue.Storage;

/// <summary>
/// What both journals share: one writer loop takes every append that is waiting, has the store
/// commit them in one transaction (group commit), and completes them in the order they arrived —
/// which the consultation grain relies on. A failed batch is retried whole on transient errors:
/// rows carry their event id, so a row an earlier attempt committed counts as written.
/// </summary>
public abstract class GroupCommitJournal : IDialogueJournal, IAsyncDisposable
{
    protected const int MaxBatch = 512;

    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly Channel<Append> _queue = Channel.CreateUnbounded<Append>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writer;

    protected GroupCommitJournal(ResiliencePipeline retry, ILogger logger)
    {
        _retry = retry;
        _logger = logger;
    }

    public Task AppendAsync(JournalRecord record, CancellationToken cancellationToken = default)
    {
        var append = new Append(record);
        if (!_queue.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(GetType().Name);
        }

        return append.Done.Task;
    }

    public abstract Task<int> RewriteAsync(IReadOnlyList<JournalRecord> rows, CancellationToken cancellationToken = default);

    public abstract IAsyncEnumerable<JournalRecord> ReadAsync(string streamId, long afterSeq, CancellationToken cancellationToken = default);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer;
        }

        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the writer loop; called once by the subclass when it is ready to write.</summary>
    protected void StartWriting() => _writer = Task.Run(WriteLoop);

    /// <summary>Commits the batch in one transaction.</summary>
    /// <returns>The records whose sequence number or client key is taken by a different event.</returns>
    protected abstract ValueTask<IReadOnlySet<JournalRecord>> WriteBatchAsync(IReadOnlyList<JournalRecord> batch, CancellationToken cancellationToken);

    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    private async Task WriteLoop()
    {
        var batch = new List<Append>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var append))
            {
                batch.Add(append);
            }

            var records = batch.Select(a => a.Record).ToArray();
            try
            {
                var conflicts = await _retry.ExecuteAsync(
                    static (state, ct) => state.Journal.WriteBatchAsync(state.Records, ct),
                    (Journal: this, Records: records));
                var committed = Stopwatch.GetTimestamp();
                foreach (var append in batch)
                {
                    if (conflicts.Contains(append.Record))
                    {
                        append.Done.TrySetException(new JournalConflictException(
                            $"Journal row {append.Record.StreamId}#{append.Record.Seq} or its client key belongs to another event."));
                    }
                    else
                    {
                        JournalMetrics.AppendDuration.Record(Stopwatch.GetElapsedTime(append.Arrived, committed).TotalSeconds);
                        append.Done.TrySetResult();
                    }
                }
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Journal batch of {Count} appends failed", batch.Count);
                foreach (var append in batch)
                {
                    append.Done.TrySetException(ex);
                }
            }
        }
    }

    private sealed class Append(JournalRecord record)
    {
        public JournalRecord Record { get; } = record;

        /// <summary>When the append reached the journal (<see cref="Stopwatch.GetTimestamp"/>), for the append latency.</summary>
        public long Arrived { get; } = Stopwatch.GetTimestamp();

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
