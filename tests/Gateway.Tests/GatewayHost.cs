namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The real gateway (<see cref="TestGateway"/>: Kestrel on 127.0.0.1, co-hosted silo, SQLite files in a temporary
/// folder), one per test class, as an xunit fixture.
/// </summary>
public class GatewayHost : TestGateway, IAsyncLifetime;

/// <summary>The same gateway on a PostgreSQL database of its own.</summary>
public sealed class PostgresGatewayHost : GatewayHost
{
    private readonly OpenGov.Dialogue.Tests.PostgresDatabase _database = new();

    public OpenGov.Dialogue.Tests.PostgresDatabase Database => _database;

    protected override Dictionary<string, string?> StorageSettings => _database.Settings;

    public override async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    public override async Task<string> JournalTextAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT coalesce(string_agg(payload || ' ' || coalesce(client_key, ''), E'\\n'), '') FROM dialogue_journal", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public override async Task<string> StoredTextAsync() => await JournalTextAsync() + await base.StoredTextAsync();
}

/// <summary>A gateway with the default rate limit (5 a minute).</summary>
public sealed class RateLimitedGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = [];
}
