using Microsoft.Extensions.Logging.Abstractions;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Storage;
using OpenGov.Dialogue.Storage.Sqlite;

namespace OpenGov.Dialogue.Tests;

public sealed class SqliteJournalTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N"));
    private SqliteDatabase _database = null!;
    private SqliteJournal _journal = null!;

    public Task InitializeAsync()
    {
        _database = new SqliteDatabase(_dir);
        _database.EnsureCreated();
        _journal = NewJournal();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _journal.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private SqliteJournal NewJournal() => new(_database, StorageRetry.Create(), NullLogger<SqliteJournal>.Instance);

    private static JournalRecord Record(string stream, long seq, string? clientKey = null) =>
        new(stream, seq, Guid.NewGuid(), "vote-cast", clientKey, DateTimeOffset.UnixEpoch.AddDays(seq), $"{{\"n\":{seq}}}");

    private async Task<List<JournalRecord>> ReadAll(string stream, long after = 0)
    {
        var list = new List<JournalRecord>();
        await foreach (var r in _journal.ReadAsync(stream, after))
        {
            list.Add(r);
        }

        return list;
    }

    [Fact]
    public async Task Appended_rows_read_back_in_sequence_order_per_stream()
    {
        var appends = Enumerable.Range(1, 200).Select(i => _journal.AppendAsync(Record(i % 2 == 0 ? "a" : "b", (i + 1) / 2)));
        await Task.WhenAll(appends);

        var a = await ReadAll("a");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), a.Select(r => r.Seq));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(7), a[6].At);
        Assert.Equal([98L, 99, 100], (await ReadAll("b", 97)).Select(r => r.Seq));
    }

    [Fact]
    public async Task Retrying_the_same_event_is_harmless()
    {
        var record = Record("s", 1, "client-1");
        await _journal.AppendAsync(record);
        await _journal.AppendAsync(record);

        var stored = Assert.Single(await ReadAll("s"));
        Assert.Equal(record, stored);
    }

    [Fact]
    public async Task A_different_event_at_a_taken_seq_is_a_conflict_and_changes_nothing()
    {
        var first = Record("s", 1);
        await _journal.AppendAsync(first);

        await Assert.ThrowsAsync<JournalConflictException>(() => _journal.AppendAsync(Record("s", 1)));
        Assert.Equal(first.EventId, Assert.Single(await ReadAll("s")).EventId);
    }

    [Fact]
    public async Task A_client_key_is_stored_once_per_stream()
    {
        await _journal.AppendAsync(Record("s", 1, "alice:c1"));
        await Assert.ThrowsAsync<JournalConflictException>(() => _journal.AppendAsync(Record("s", 2, "alice:c1")));
        await _journal.AppendAsync(Record("t", 1, "alice:c1"));

        Assert.Single(await ReadAll("s"));
        Assert.Single(await ReadAll("t"));
    }

    [Fact]
    public async Task A_conflict_in_a_batch_does_not_fail_its_neighbours()
    {
        await _journal.AppendAsync(Record("s", 1));
        var good = Enumerable.Range(2, 50).Select(i => _journal.AppendAsync(Record("s", i))).ToList();
        var bad = _journal.AppendAsync(Record("s", 1));
        await Task.WhenAll(good);
        await Assert.ThrowsAsync<JournalConflictException>(() => bad);
        Assert.Equal(51, (await ReadAll("s")).Count);
    }

    [Fact]
    public async Task Rows_survive_a_new_journal_on_the_same_file()
    {
        await _journal.AppendAsync(Record("s", 1));
        await _journal.DisposeAsync();
        _journal = NewJournal();

        Assert.Single(await ReadAll("s"));
    }
}
