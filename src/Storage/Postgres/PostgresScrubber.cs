using Npgsql;
using OpenGov.Dialogue.Journal;

namespace OpenGov.Dialogue.Storage.Postgres;

/// <summary>Vacuums the grain-state table so dead versions of an erased citizen's state are freed (docs/data-rights.md).</summary>
public sealed class PostgresScrubber(NpgsqlDataSource dataSource) : IStorageScrubber
{
    public async Task ScrubGrainStateAsync(CancellationToken cancellationToken = default)
    {
        await using var vacuum = dataSource.CreateCommand("VACUUM orleans_grain_state");
        await vacuum.ExecuteNonQueryAsync(cancellationToken);
    }
}
