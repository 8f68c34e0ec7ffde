using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OpenGov.Dialogue.Journal;
using Polly;

namespace OpenGov.Dialogue.Storage.Sqlite;

/// <summary>
/// The journal in the embedded SQLite file: each group-committed batch is one transaction on the
/// writer's own connection, with prepared statements (SQLite has one writer at a time anyway).
/// </summary>
public sealed class SqliteJournal : GroupCommitJournal
{
    private readonly string _connectionString;
    private readonly SqliteConnection _connection;
    private readonly BatchWriter _writer;

    public SqliteJournal(SqliteDatabase database, ResiliencePipeline retry, ILogger<SqliteJournal> logger)
        : base(retry, logger)
    {
        _connectionString = database.JournalConnectionString;
        _connection = SqliteDatabase.Open(_connectionString);
        using (var pragma = _connection.CreateCommand())
        {
            // An acknowledged append must survive power loss, not only a process crash: sync the WAL on every commit.
            // Freed space is zeroed: an erased text (docs/data-rights.md) must not linger in a page a split or rewrite left behind.
            pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;";
            pragma.ExecuteNonQuery();
        }

        _writer = new BatchWriter(_connection);
        StartWriting();
    }

    public override async IAsyncEnumerable<JournalRecord> ReadAsync(string streamId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
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

    public override async Task<int> RewriteAsync(IReadOnlyList<JournalRecord> rows, CancellationToken cancellationToken = default)
    {
        await using var connection = SqliteDatabase.Open(_connectionString);
        await using (var secure = connection.CreateCommand())
        {
            // Freed space is zeroed, so the old texts do not linger in unused pages of the file.
            secure.CommandText = "PRAGMA secure_delete=ON;";
            await secure.ExecuteNonQueryAsync(cancellationToken);
        }

        var count = 0;
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE journal SET payload = $payload, client_key = $client
                WHERE stream_id = $stream AND seq = $seq AND event_id = $event
                """;
            foreach (var name in new[] { "$payload", "$client", "$stream", "$seq", "$event" })
            {
                update.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            foreach (var row in rows)
            {
                update.Parameters["$payload"].Value = row.Payload;
                update.Parameters["$client"].Value = (object?)row.ClientKey ?? DBNull.Value;
                update.Parameters["$stream"].Value = row.StreamId;
                update.Parameters["$seq"].Value = row.Seq;
                update.Parameters["$event"].Value = row.EventId.ToString("N");
                count += await update.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        // The write-ahead log still holds frames with the old rows until a checkpoint copies the new pages over them.
        await SqliteDatabase.CheckpointAsync(connection, cancellationToken);

        return count;
    }

    // The writer loop runs one batch at a time, so the one connection is never shared.
    protected override ValueTask<IReadOnlySet<JournalRecord>> WriteBatchAsync(IReadOnlyList<JournalRecord> batch, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlySet<JournalRecord>>(_writer.Write(batch));

    protected override ValueTask DisposeStoreAsync()
    {
        _writer.Dispose();
        _connection.Dispose();
        return ValueTask.CompletedTask;
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

        /// <returns>The records whose row was taken by a different event.</returns>
        public HashSet<JournalRecord> Write(IReadOnlyList<JournalRecord> batch)
        {
            var conflicts = new HashSet<JournalRecord>();
            using var transaction = _connection.BeginTransaction();
            _insert.Transaction = transaction;
            _existing.Transaction = transaction;
            foreach (var r in batch)
            {
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
                    conflicts.Add(r);
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
