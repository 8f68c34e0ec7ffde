using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Journal;
using Polly;

namespace OpenGov.Dialogue.Storage.Sqlite;

/// <summary>
/// The journal in the embedded SQLite file. One writer loop commits whatever appends are waiting
/// in one transaction (group commit), then completes them in the order they arrived. A retried
/// batch is safe: a row that is already there with the same event id counts as written.
/// </summary>
public sealed class SqliteJournal : IDialogueJournal, IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly string _connectionString;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly Channel<Append> _queue = Channel.CreateUnbounded<Append>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public SqliteJournal(SqliteDatabase database, ResiliencePipeline retry, ILogger<SqliteJournal> logger)
    {
        _connectionString = database.JournalConnectionString;
        _retry = retry;
        _logger = logger;
        _writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public Task AppendAsync(JournalRecord record, CancellationToken cancellationToken = default)
    {
        var append = new Append(record);
        if (!_queue.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(SqliteJournal));
        }

        return append.Done.Task;
    }

    public async IAsyncEnumerable<JournalRecord> ReadAsync(string streamId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = SqliteDatabase.Open(_connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, event_id, kind, client_key, at_ticks, payload FROM journal
            WHERE stream_id = $stream AND seq > $after ORDER BY seq
            """;
        command.Parameters.AddWithValue("$stream", streamId);
        command.Parameters.AddWithValue("$after", afterSeq);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new JournalRecord(
                streamId,
                reader.GetInt64(0),
                Guid.Parse(reader.GetString(1)),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                reader.GetString(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoop()
    {
        var batch = new List<Append>(MaxBatch);
        using var connection = SqliteDatabase.Open(_connectionString);
        using (var pragma = connection.CreateCommand())
        {
            // An acknowledged append must survive power loss, not only a process crash: sync the WAL on every commit.
            pragma.CommandText = "PRAGMA synchronous=FULL;";
            pragma.ExecuteNonQuery();
        }

        using var writer = new BatchWriter(connection);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var append))
            {
                batch.Add(append);
            }

            try
            {
                var conflicts = _retry.Execute(static (state) => state.writer.Write(state.batch), (writer, batch));
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

    private sealed class Append(JournalRecord record)
    {
        public JournalRecord Record { get; } = record;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Prepared statements on the writer's own connection.</summary>
    private sealed class BatchWriter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _existing;

        public BatchWriter(SqliteConnection connection)
        {
            _connection = connection;
            _insert = connection.CreateCommand();
            _insert.CommandText = """
                INSERT INTO journal (stream_id, seq, event_id, kind, client_key, at_ticks, payload)
                VALUES ($stream, $seq, $event, $kind, $client, $at, $payload)
                ON CONFLICT DO NOTHING
                """;
            foreach (var name in new[] { "$stream", "$seq", "$event", "$kind", "$client", "$at", "$payload" })
            {
                _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _existing = connection.CreateCommand();
            _existing.CommandText = "SELECT 1 FROM journal WHERE stream_id = $stream AND seq = $seq AND event_id = $event";
            foreach (var name in new[] { "$stream", "$seq", "$event" })
            {
                _existing.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        /// <returns>The appends whose row was taken by a different event.</returns>
        public HashSet<Append> Write(List<Append> batch)
        {
            var conflicts = new HashSet<Append>();
            using var transaction = _connection.BeginTransaction();
            _insert.Transaction = transaction;
            _existing.Transaction = transaction;
            foreach (var append in batch)
            {
                var r = append.Record;
                _insert.Parameters["$stream"].Value = r.StreamId;
                _insert.Parameters["$seq"].Value = r.Seq;
                _insert.Parameters["$event"].Value = r.EventId.ToString("N");
                _insert.Parameters["$kind"].Value = r.Kind;
                _insert.Parameters["$client"].Value = (object?)r.ClientKey ?? DBNull.Value;
                _insert.Parameters["$at"].Value = r.At.UtcTicks;
                _insert.Parameters["$payload"].Value = r.Payload;
                if (_insert.ExecuteNonQuery() == 1)
                {
                    continue;
                }

                // Nothing inserted: either this very event is there (an earlier attempt committed) or another one is.
                _existing.Parameters["$stream"].Value = r.StreamId;
                _existing.Parameters["$seq"].Value = r.Seq;
                _existing.Parameters["$event"].Value = r.EventId.ToString("N");
                if (_existing.ExecuteScalar() is null)
                {
                    conflicts.Add(append);
                }
            }

            transaction.Commit();
            return conflicts;
        }

        public void Dispose()
        {
            _insert.Dispose();
            _existing.Dispose();
        }
    }
}
