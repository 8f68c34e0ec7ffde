using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Storage.Sqlite;

/// <summary>
/// Rebuilds the grain-state file: Orleans' own connections write it without secure deletion, so an old
/// state row (a citizen's salt before erasure) may survive in a freed page until VACUUM rewrites the
/// file with live rows only, and a checkpoint copies the rebuilt pages over the old ones. The file
/// holds small states, so this takes milliseconds.
/// </summary>
public sealed class SqliteScrubber(SqliteDatabase database) : IStorageScrubber
{
    public async Task ScrubGrainStateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = SqliteDatabase.Open(database.GrainsConnectionString);
        await using (var vacuum = connection.CreateCommand())
        {
            vacuum.CommandText = "PRAGMA secure_delete=ON; VACUUM;";
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        await SqliteDatabase.CheckpointAsync(connection, cancellationToken);
    }
}
