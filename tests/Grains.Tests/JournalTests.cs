using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Tests;

/// <summary>The journal contract, run once per storage (StorageSpecs.cs).</summary>
public abstract class JournalTests : IAsyncLifetime
{
    // Streams are prefixed per test: PostgreSQL test classes share one database between their tests.
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8] + "/";

    protected IDialogueJournal Journal { get; set; } = null!;

    /// <summary>A new journal on the same storage as the previous one.</summary>
    protected abstract Task<IDialogueJournal> OpenJournalAsync();

    protected abstract Task DeleteStorageAsync();

    public async Task InitializeAsync() => Journal = await OpenJournalAsync();

    public async Task DisposeAsync()
    {
        await CloseAsync();
        await DeleteStorageAsync();
    }

    protected async Task CloseAsync()
    {
        if (Journal is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    protected JournalRecord Record(string stream, long seq, string? clientKey = null) =>
        new(_prefix + stream, seq, Guid.NewGuid(), "vote-cast", clientKey, DateTimeOffset.UnixEpoch.AddDays(seq), $"{{\"n\":{seq}}}");

    protected async Task<List<JournalRecord>> ReadAll(string stream, long after = 0)
    {
        var list = new List<JournalRecord>();
        await foreach (var r in Journal.ReadAsync(_prefix + stream, after))
        {
            list.Add(r);
        }

        return list;
    }

    [Fact]
    public async Task Appended_rows_read_back_in_sequence_order_per_stream()
    {
        var appends = Enumerable.Range(1, 200).Select(i => Journal.AppendAsync(Record(i % 2 == 0 ? "a" : "b", (i + 1) / 2)));
        await Task.WhenAll(appends);

        var a = await ReadAll("a");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), a.Select(r => r.Seq));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(7), a[6].At);
        Assert.Equal([98L, 99, 100], (await ReadAll("b", 97)).Select(r => r.Seq));
    }

    [Fact]
    public async Task Appends_complete_in_the_order_they_were_made()
    {
        var appends = Enumerable.Range(1, 300).Select(i => Journal.AppendAsync(Record("fifo", i))).ToArray();

        // When an append completes, every earlier append has completed already.
        var checks = appends.Select((append, i) => append.ContinueWith(
            _ => appends.Take(i).All(earlier => earlier.IsCompleted),
            TaskContinuationOptions.ExecuteSynchronously));
        Assert.All(await Task.WhenAll(checks), Assert.True);
    }

    [Fact]
    public async Task Retrying_the_same_event_is_harmless()
    {
        var record = Record("s", 1, "client-1");
        await Journal.AppendAsync(record);
        await Journal.AppendAsync(record);
        await Task.WhenAll(Journal.AppendAsync(record), Journal.AppendAsync(record));

        var stored = Assert.Single(await ReadAll("s"));
        Assert.Equal(record, stored);
    }

    [Fact]
    public async Task A_different_event_at_a_taken_seq_is_a_conflict_and_changes_nothing()
    {
        var first = Record("s", 1);
        await Journal.AppendAsync(first);

        await Assert.ThrowsAsync<JournalConflictException>(() => Journal.AppendAsync(Record("s", 1)));
        Assert.Equal(first.EventId, Assert.Single(await ReadAll("s")).EventId);
    }

    [Fact]
    public async Task A_client_key_is_stored_once_per_stream()
    {
        await Journal.AppendAsync(Record("s", 1, "alice:c1"));
        await Assert.ThrowsAsync<JournalConflictException>(() => Journal.AppendAsync(Record("s", 2, "alice:c1")));
        await Journal.AppendAsync(Record("t", 1, "alice:c1"));

        Assert.Single(await ReadAll("s"));
        Assert.Single(await ReadAll("t"));
    }

    [Fact]
    public async Task A_conflict_in_a_batch_does_not_fail_its_neighbours()
    {
        await Journal.AppendAsync(Record("s", 1));
        var good = Enumerable.Range(2, 50).Select(i => Journal.AppendAsync(Record("s", i))).ToList();
        var bad = Journal.AppendAsync(Record("s", 1));
        await Task.WhenAll(good);
        await Assert.ThrowsAsync<JournalConflictException>(() => bad);
        Assert.Equal(51, (await ReadAll("s")).Count);
    }

    [Fact]
    public async Task Rows_survive_a_new_journal_on_the_same_storage()
    {
        await Journal.AppendAsync(Record("s", 1));
        await CloseAsync();
        Journal = await OpenJournalAsync();

        Assert.Single(await ReadAll("s"));
    }
}
