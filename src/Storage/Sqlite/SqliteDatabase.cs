using System.Reflection;
using Microsoft.Data.Sqlite;

namespace OpenGov.Dialogue.Storage.Sqlite;

/// <summary>
/// The embedded database files under the data directory: <c>journal.db</c> for the dialogue
/// journal and <c>grains.db</c> for Orleans grain state. Separate files so journal appends and
/// grain-state writes never wait on each other's write lock. Both run in WAL mode.
/// </summary>
public sealed class SqliteDatabase(string dataDirectory)
{
    public string JournalPath { get; } = Path.GetFullPath(Path.Combine(dataDirectory, "journal.db"));

    public string GrainsPath { get; } = Path.GetFullPath(Path.Combine(dataDirectory, "grains.db"));

    public string JournalConnectionString => ConnectionString(JournalPath);

    public string GrainsConnectionString => ConnectionString(GrainsPath);

    /// <summary>Creates the files and schema when missing; safe to call on every start.</summary>
    public void EnsureCreated()
    {
        DataFolder.Ensure(Path.GetDirectoryName(JournalPath)!);
        Apply(JournalConnectionString, "journal.sql");
        Apply(GrainsConnectionString, "orleans-persistence.sql");
    }

    /// <summary>
    /// Copies the write-ahead log into the file and truncates it, so pages replaced since (an erased
    /// row's old version) are overwritten; refused while another connection reads, so retried.
    /// </summary>
    /// <returns>False when it never got through.</returns>
    public static async Task<bool> CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var result = await checkpoint.ExecuteReaderAsync(cancellationToken);
            if (await result.ReadAsync(cancellationToken) && result.GetInt32(0) == 0)
            {
                return true;
            }

            await Task.Delay(20, cancellationToken);
        }

        return false;
    }

    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,

        // Seconds a statement waits on another connection's write lock before failing.
        DefaultTimeout = 30,
    }.ToString();

    private static void Apply(string connectionString, string script)
    {
        using var connection = Open(connectionString);
        using (var wal = connection.CreateCommand())
        {
            // WAL is a property of the file: set once, it stays for every later connection.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = ReadScript(script);
        command.ExecuteNonQuery();
    }

    private static string ReadScript(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
