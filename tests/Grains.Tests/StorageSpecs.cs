using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OpenGov.Dialogue.Journal;
using OpenGov.Dialogue.Storage;
using OpenGov.Dialogue.Storage.Postgres;
using OpenGov.Dialogue.Storage.Sqlite;

namespace OpenGov.Dialogue.Tests;

// One behavioural suite, two storages: each spec runs on the embedded SQLite default and on
// PostgreSQL (a database of its own per test class).

[Trait("Category", "unit")]
public sealed class SqliteConsultationGrainTests : ConsultationGrainTests
{
    protected override Dictionary<string, string?> StorageSettings => [];
}

[Trait("Category", "postgres")]
public sealed class PostgresConsultationGrainTests(PostgresDatabase database) : ConsultationGrainTests, IClassFixture<PostgresDatabase>
{
    protected override Dictionary<string, string?> StorageSettings => database.Settings;
}

[Trait("Category", "unit")]
public sealed class SqliteRestartTests : RestartTests
{
    protected override Dictionary<string, string?> StorageSettings => [];
}

[Trait("Category", "postgres")]
public sealed class PostgresRestartTests(PostgresDatabase database) : RestartTests, IClassFixture<PostgresDatabase>
{
    protected override Dictionary<string, string?> StorageSettings => database.Settings;
}

[Trait("Category", "unit")]
public sealed class SqliteTopicIdRestartTests : TopicIdRestartTests
{
    protected override Dictionary<string, string?> StorageSettings => [];
}

[Trait("Category", "postgres")]
public sealed class PostgresTopicIdRestartTests(PostgresDatabase database) : TopicIdRestartTests, IClassFixture<PostgresDatabase>
{
    protected override Dictionary<string, string?> StorageSettings => database.Settings;
}

[Trait("Category", "unit")]
public sealed class SqliteModerationTests : ModerationTests
{
    protected override Dictionary<string, string?> StorageSettings => [];

    protected override async Task<int> AlterStoredReasonAsync(TestSilo silo, string streamId, string from, string to)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(silo.DataDirectory, "journal.db")}");
        await connection.OpenAsync();
        var update = connection.CreateCommand();
        update.CommandText = "UPDATE journal SET payload = replace(payload, $from, $to) WHERE stream_id = $s AND kind = 'moderated'";
        update.Parameters.AddWithValue("$from", $"\"reason\":\"{from}\"");
        update.Parameters.AddWithValue("$to", $"\"reason\":\"{to}\"");
        update.Parameters.AddWithValue("$s", streamId);
        return await update.ExecuteNonQueryAsync();
    }
}

[Trait("Category", "postgres")]
public sealed class PostgresModerationTests(PostgresDatabase database) : ModerationTests, IClassFixture<PostgresDatabase>
{
    protected override Dictionary<string, string?> StorageSettings => database.Settings;

    protected override async Task<int> AlterStoredReasonAsync(TestSilo silo, string streamId, string from, string to)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand(
            "UPDATE dialogue_journal SET payload = replace(payload, @from, @to) WHERE stream_id = @s AND kind = 'moderated'", connection);
        update.Parameters.AddWithValue("from", $"\"reason\":\"{from}\"");
        update.Parameters.AddWithValue("to", $"\"reason\":\"{to}\"");
        update.Parameters.AddWithValue("s", streamId);
        return await update.ExecuteNonQueryAsync();
    }
}

[Trait("Category", "unit")]
public sealed class SqliteJournalTests : JournalTests
{
    private readonly SqliteDatabase _database = new(Path.Combine(Path.GetTempPath(), "dialogue-tests", Guid.NewGuid().ToString("N")));

    protected override Task<IDialogueJournal> OpenJournalAsync()
    {
        _database.EnsureCreated();
        return Task.FromResult<IDialogueJournal>(new SqliteJournal(_database, StorageRetry.Create(), NullLogger<SqliteJournal>.Instance));
    }

    protected override Task DeleteStorageAsync()
    {
        Directory.Delete(Path.GetDirectoryName(_database.JournalPath)!, recursive: true);
        return Task.CompletedTask;
    }
}

[Trait("Category", "postgres")]
public sealed class PostgresJournalTests(PostgresDatabase database) : JournalTests, IClassFixture<PostgresDatabase>
{
    private readonly List<NpgsqlDataSource> _sources = [];

    protected override Task<IDialogueJournal> OpenJournalAsync()
    {
        var source = NpgsqlDataSource.Create(database.ConnectionString);
        _sources.Add(source);
        return Task.FromResult<IDialogueJournal>(new PostgresJournal(source, StorageRetry.Create(PostgresJournal.IsTransient), NullLogger<PostgresJournal>.Instance));
    }

    protected override async Task DeleteStorageAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }

    [Fact]
    public async Task Appends_are_retried_when_the_server_drops_the_connections()
    {
        await Journal.AppendAsync(Record("drop", 1));

        // The server ends every session of this database: the journal's pooled connections are dead.
        await using (var admin = new NpgsqlConnection(PostgresDatabase.ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", admin);
            kill.Parameters.AddWithValue("db", database.Name);
            Assert.True((long)(await kill.ExecuteScalarAsync())! > 0);
        }

        await Task.WhenAll(Enumerable.Range(2, 20).Select(i => Journal.AppendAsync(Record("drop", i))));
        Assert.Equal(21, (await ReadAll("drop")).Count);
    }
}
