using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using OpenGov.Dialogue.Journal;
using Polly;

namespace OpenGov.Dialogue.Storage.Postgres;

/// <summary>
/// The journal in PostgreSQL: each group-committed batch is one insert statement in one transaction.
/// </summary>
public sealed class PostgresJournal : GroupCommitJournal
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresJournal(NpgsqlDataSource dataSource, ResiliencePipeline retry, ILogger<PostgresJournal> logger)
        : base(retry, logger)
    {
        _dataSource = dataSource;
        StartWriting();
    }

    public override async IAsyncEnumerable<JournalRecord> ReadAsync(string streamId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
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

    public override async Task<int> RewriteAsync(IReadOnlyList<JournalRecord> rows, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var update = new NpgsqlCommand("""
            UPDATE dialogue_journal j SET payload = r.payload, client_key = r.client_key
            FROM unnest(@streams, @seqs, @events, @payloads, @clients) AS r(stream_id, seq, event_id, payload, client_key)
            WHERE j.stream_id = r.stream_id AND j.seq = r.seq AND j.event_id = r.event_id
            """, connection);
        update.Parameters.Add(Array("streams", NpgsqlDbType.Text, rows.Select(r => r.StreamId)));
        update.Parameters.Add(Array("seqs", NpgsqlDbType.Bigint, rows.Select(r => r.Seq)));
        update.Parameters.Add(Array("events", NpgsqlDbType.Uuid, rows.Select(r => r.EventId)));
        update.Parameters.Add(Array("payloads", NpgsqlDbType.Text, rows.Select(r => r.Payload)));
        update.Parameters.Add(Array("clients", NpgsqlDbType.Text, rows.Select(r => r.ClientKey)));
        var count = await update.ExecuteNonQueryAsync(cancellationToken);

        // Dead row versions stay in the table's pages until a vacuum frees them (docs/data-rights.md).
        await using var vacuum = new NpgsqlCommand("VACUUM dialogue_journal", connection);
        await vacuum.ExecuteNonQueryAsync(cancellationToken);
        return count;
    }

    /// <summary>Transient for Npgsql: the connection, the server going away, or serialization and deadlock aborts.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.IsTransient || pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => false,
    };

    protected override async ValueTask<IReadOnlySet<JournalRecord>> WriteBatchAsync(IReadOnlyList<JournalRecord> batch, CancellationToken cancellationToken)
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
        insert.Parameters.Add(Array("streams", NpgsqlDbType.Text, batch.Select(a => a.StreamId)));
        insert.Parameters.Add(Array("seqs", NpgsqlDbType.Bigint, batch.Select(a => a.Seq)));
        insert.Parameters.Add(Array("events", NpgsqlDbType.Uuid, batch.Select(a => a.EventId)));
        insert.Parameters.Add(Array("kinds", NpgsqlDbType.Text, batch.Select(a => a.Kind)));
        insert.Parameters.Add(Array("clients", NpgsqlDbType.Text, batch.Select(a => a.ClientKey)));
        insert.Parameters.Add(Array("ats", NpgsqlDbType.TimestampTz, batch.Select(a => a.At.UtcDateTime)));
        insert.Parameters.Add(Array("payloads", NpgsqlDbType.Text, batch.Select(a => a.Payload)));

        var written = new HashSet<(string, long, Guid)>();
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Add((reader.GetString(0), reader.GetInt64(1), reader.GetGuid(2)));
            }
        }

        var conflicts = new HashSet<JournalRecord>();
        var skipped = batch.Where(a => !written.Contains((a.StreamId, a.Seq, a.EventId))).ToList();
        if (skipped.Count > 0)
        {
            // Nothing inserted for these: either this very event is there (an earlier attempt or a
            // repeat in this batch) or another event holds the seq or the client key.
            await using var existing = new NpgsqlCommand("""
                SELECT j.stream_id, j.seq, j.event_id FROM dialogue_journal j
                JOIN unnest(@streams, @seqs) AS k(stream_id, seq) ON j.stream_id = k.stream_id AND j.seq = k.seq
                """, connection, transaction);
            existing.Parameters.Add(Array("streams", NpgsqlDbType.Text, skipped.Select(a => a.StreamId)));
            existing.Parameters.Add(Array("seqs", NpgsqlDbType.Bigint, skipped.Select(a => a.Seq)));
            var stored = new HashSet<(string, long, Guid)>();
            await using (var reader = await existing.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    stored.Add((reader.GetString(0), reader.GetInt64(1), reader.GetGuid(2)));
                }
            }

            conflicts.UnionWith(skipped.Where(a => !stored.Contains((a.StreamId, a.Seq, a.EventId))));
        }

        await transaction.CommitAsync(cancellationToken);
        return conflicts;
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };
}
