using Npgsql;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The Orleans ADO.NET membership table as the cluster tests read it (status 3 = active, 6 = dead).</summary>
public static class Membership
{
    public const int Active = 3;
    public const int Dead = 6;

    public static Task<long> ActiveSilos(string connectionString) =>
        Scalar<long>(connectionString, "SELECT count(*) FROM orleans_membership WHERE status = 3", port: null);

    /// <summary>Rows of active silos on this Orleans silo port (1 once the silo there has joined).</summary>
    public static Task<long> ActiveAt(string connectionString, int siloPort) =>
        Scalar<long>(connectionString, "SELECT count(*) FROM orleans_membership WHERE status = 3 AND port = @port", siloPort);

    /// <summary>The status of the newest generation on this silo port, or null when it has no row.</summary>
    public static async Task<int?> LatestStatus(string connectionString, int siloPort) =>
        await Scalar<int?>(connectionString, "SELECT status FROM orleans_membership WHERE port = @port ORDER BY generation DESC LIMIT 1", siloPort);

    private static async Task<T> Scalar<T>(string connectionString, string sql, int? port)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (port is { } value)
        {
            command.Parameters.AddWithValue("port", value);
        }

        return await command.ExecuteScalarAsync() is T result ? result : default!;
    }
}
