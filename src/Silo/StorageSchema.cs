using Microsoft.Extensions.Hosting;
using OpenGov.Dialogue.Storage.Postgres;
using OpenGov.Dialogue.Storage.Sqlite;

namespace OpenGov.Dialogue.Silo;

/// <summary>
/// Brings the storage schema to what this build needs before anything else starts: registered ahead of the
/// Orleans silo or client, whose hosted services start after it (in order of registration). The embedded
/// SQLite files are created when missing; a PostgreSQL database is migrated when <c>Dialogue:MigrateOnStart</c>
/// is set, and otherwise the start is refused on an older schema, with the command that fixes it, instead of
/// failing later inside a provider.
/// </summary>
public sealed class StorageSchema(DialogueHostOptions options, SqliteDatabase? sqlite) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Storage != "postgres")
        {
            sqlite?.EnsureCreated();
            return;
        }

        var connectionString = options.ConnectionString!;
        if (options.MigrateOnStart)
        {
            await PostgresMigrations.ApplyAsync(connectionString);
            return;
        }

        var version = await PostgresMigrations.CurrentVersionAsync(connectionString);
        if (version < PostgresMigrations.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL schema is at version {version}; this build needs {PostgresMigrations.LatestVersion}. " +
                "Run 'dialogue migrate --connection \"<connection string>\"' or set Dialogue:MigrateOnStart=true.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
