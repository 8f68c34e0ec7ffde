using Npgsql;
using OpenGov.Dialogue.Storage.Postgres;

namespace OpenGov.Dialogue.Tests;

/// <summary>
/// A fresh, migrated PostgreSQL database on the test server, one per test class, so classes run
/// in parallel without seeing each other's rows or cluster members. The server comes from
/// <c>DIALOGUE_TEST_POSTGRES</c> (set by ./test.sh); without it every PostgreSQL test fails.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string ServerVariable = "DIALOGUE_TEST_POSTGRES";

    public string Name { get; } = "dialogue_test_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Configuration that puts a silo or gateway on this database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Dialogue:Storage"] = "postgres",
        ["ConnectionStrings:Dialogue"] = ConnectionString,
    };

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"The PostgreSQL tests need a server, and {ServerVariable} is not set. Run ./test.sh: it installs PostgreSQL " +
                "from the Debian packages when missing and starts a throw-away server on 127.0.0.1 for the run.");

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateEmptyAsync(Name);
        await PostgresMigrations.ApplyAsync(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            return;
        }

        await using var server = new NpgsqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Creates an empty database (no schema) and returns its connection string.</summary>
    public static async Task<string> CreateEmptyAsync(string name)
    {
        var server = ServerConnectionString;
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}
