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
}

/// <summary>The row's sequence number or client key is taken by a different event: another writer got there first.</summary>
public sealed class JournalConflictException(string message) : Exception(message);
