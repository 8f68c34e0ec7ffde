namespace OpenGov.Dialogue.Journal;

/// <summary>
/// One row of the append-only journal. <see cref="Seq"/> is the consultation's sequence number;
/// <see cref="EventId"/> makes a retried append recognisable; <see cref="ClientKey"/> (when set)
/// is unique per stream, so a client's repeated submission can never be stored twice.
/// </summary>
public sealed record JournalRecord(
    string StreamId,
    long Seq,
    Guid EventId,
    string Kind,
    string? ClientKey,
    DateTimeOffset At,
    string Payload);

/// <summary>
/// The durable journal. An append completes only after the row is committed; appends are
/// completed in the order they were made, so a stream's rows become durable in sequence order.
/// </summary>
public interface IDialogueJournal
{
    Task AppendAsync(JournalRecord record, CancellationToken cancellationToken = default);

    /// <summary>Rows of one stream with <c>Seq &gt; afterSeq</c>, in sequence order.</summary>
    IAsyncEnumerable<JournalRecord> ReadAsync(string streamId, long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the payload and client key of stored rows, matched by stream, seq and event id, in one
    /// transaction, and asks the store to drop the old versions from its files. The one exception to
    /// append-only, for erasure and anonymisation (docs/data-rights.md): sequence numbers, event ids,
    /// kinds and times never change, and the public moderation log's hashes do not cover what changes.
    /// </summary>
    /// <returns>How many rows were rewritten.</returns>
    Task<int> RewriteAsync(IReadOnlyList<JournalRecord> rows, CancellationToken cancellationToken = default);
}

/// <summary>The row's sequence number or client key is taken by a different event: another writer got there first.</summary>
public sealed class JournalConflictException(string message) : Exception(message);
