using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OpenGov.Dialogue.Journal;
using Polly;

namespace OpenGov.Dialogue.Storage.Postgres;

/// <summary>
/// The journal in PostgreSQL. One writer loop takes every append that is waiting, inserts them
/// with one statement in one transaction (group commit), and completes them in the order they
/// arrived once the commit returns. A batch is retried whole on transient errors: rows carry their
/// event id, so a row an earlier attempt committed counts as written, not as a conflict.
/// </summary>
public sealed class PostgresJournal : IDialogueJournal, IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly Channel<Append> _queue = Channel.CreateUnbounded<Append>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public PostgresJournal(NpgsqlDataSource dataSource, ResiliencePipeline retry, ILogger<PostgresJournal> logger)
    {
        _dataSource = dataSource;
        _retry = retry;
        _logger = logger;
        _writer = Task.Run(WriteLoop);
    }

    public Task AppendAsync(JournalRecord record, CancellationToken cancellationToken = default)
    {
        var append = new Append(record);
        if (!_queue.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(PostgresJournal));
        }

        return append.Done.Task;
    }

    public async IAsyncEnumerable<JournalRecord> ReadAsync(string streamId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT seq, event_id, kind, client_key, at, payload FROM dialogue_journal
            WHERE stream_id = @stream AND seq > @after ORDER BY seq
            """);
        command.Parameters.AddWithValue("stream", streamId);
        command.Parameters.AddWithValue("after", afterSeq);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new JournalRecord(
                streamId,
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    /// <summary>Transient for Npgsql: the connection, the server going away, or serialization and deadlock aborts.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => false,
    };

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

            try
            {
                var conflicts = await _retry.ExecuteAsync(
                    static (state, ct) => new ValueTask<HashSet<Append>>(state.Journal.WriteAsync(state.Batch, ct)),
                    (Journal: this, Batch: batch));
                foreach (var append in batch)
                {
                    if (conflicts.Contains(append))
                    {
                        append.Done.TrySetException(new JournalConflictException(
                            $"Journal row {append.Record.StreamId}#{append.Record.Seq} or its client key belongs to another event."));
                    }
                    else
                    {
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

    /// <returns>The appends whose row or client key was taken by a different event.</returns>
    private async Task<HashSet<Append>> WriteAsync(List<Append> batch, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One statement for the whole batch; unnest keeps the arrival order, so when two events
        // claim one seq in a batch the earlier one wins, as it would one by one.
        await using var insert = new NpgsqlCommand("""
            INSERT INTO dialogue_journal (stream_id, seq, event_id, kind, client_key, at, payload)
            SELECT * FROM unnest(@streams, @seqs, @events, @kinds, @clients, @ats, @payloads)
            ON CONFLICT DO NOTHING
            RETURNING stream_id, seq, event_id
            """, connection, transaction);
        insert.Parameters.Add(Array("streams", NpgsqlDbType.Text, batch.Select(a => a.Record.StreamId)));
        insert.Parameters.Add(Array("seqs", NpgsqlDbType.Bigint, batch.Select(a => a.Record.Seq)));
        insert.Parameters.Add(Array("events", NpgsqlDbType.Uuid, batch.Select(a => a.Record.EventId)));
        insert.Parameters.Add(Array("kinds", NpgsqlDbType.Text, batch.Select(a => a.Record.Kind)));
        insert.Parameters.Add(Array("clients", NpgsqlDbType.Text, batch.Select(a => a.Record.ClientKey)));
        insert.Parameters.Add(Array("ats", NpgsqlDbType.TimestampTz, batch.Select(a => a.Record.At.UtcDateTime)));
        insert.Parameters.Add(Array("payloads", NpgsqlDbType.Text, batch.Select(a => a.Record.Payload)));

        var written = new HashSet<(string, long, Guid)>();
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Add((reader.GetString(0), reader.GetInt64(1), reader.GetGuid(2)));
            }
        }

        var conflicts = new HashSet<Append>();
        var skipped = batch.Where(a => !written.Contains((a.Record.StreamId, a.Record.Seq, a.Record.EventId))).ToList();
        if (skipped.Count > 0)
        {
            // Nothing inserted for these: either this very event is there (an earlier attempt or a
            // repeat in this batch) or another event holds the seq or the client key.
            await using var existing = new NpgsqlCommand("""
                SELECT j.stream_id, j.seq, j.event_id FROM dialogue_journal j
                JOIN unnest(@streams, @seqs) AS k(stream_id, seq) ON j.stream_id = k.stream_id AND j.seq = k.seq
                """, connection, transaction);
            existing.Parameters.Add(Array("streams", NpgsqlDbType.Text, skipped.Select(a => a.Record.StreamId)));
            existing.Parameters.Add(Array("seqs", NpgsqlDbType.Bigint, skipped.Select(a => a.Record.Seq)));
            var stored = new HashSet<(string, long, Guid)>();
            await using (var reader = await existing.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    stored.Add((reader.GetString(0), reader.GetInt64(1), reader.GetGuid(2)));
                }
            }

            conflicts.UnionWith(skipped.Where(a => !stored.Contains((a.Record.StreamId, a.Record.Seq, a.Record.EventId))));
        }

        await transaction.CommitAsync(cancellationToken);
        return conflicts;
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };

    private sealed class Append(JournalRecord record)
    {
        public JournalRecord Record { get; } = record;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
