using System.Globalization;
using System.Reflection;
using Npgsql;

namespace OpenGov.Dialogue.Storage.Postgres;

/// <summary>One embedded schema step: <c>NNNN_name.sql</c>, applied once, in number order.</summary>
public sealed record PostgresMigration(int Version, string Name, string Sql);

/// <summary>What a migration run found and did.</summary>
public sealed record MigrationReport(int VersionBefore, int VersionAfter, IReadOnlyList<string> Applied);

/// <summary>
/// The project's own PostgreSQL schema (journal, Orleans grain state, Orleans membership) as
/// versioned steps embedded in this assembly. Applying is idempotent and safe from several
/// processes at once: a session advisory lock lets one process migrate while the others wait,
/// then find nothing left to do. Each step commits together with its row in
/// <c>dialogue_schema_migrations</c>, so a failed step leaves no half-applied schema.
/// </summary>
public static class PostgresMigrations
{
    // Any constant works; this one is "dialogue" in ASCII, so it is recognisable in pg_locks.
    private const long AdvisoryLockKey = 0x6469616c6f677565;

    public static IReadOnlyList<PostgresMigration> All { get; } = Load();

    public static int LatestVersion => All[^1].Version;

    public static async Task<MigrationReport> ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS dialogue_schema_migrations (
                  version    integer     NOT NULL PRIMARY KEY,
                  name       text        NOT NULL,
                  applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);
            var before = await CurrentVersionAsync(connection, cancellationToken);
            var applied = new List<string>();
            foreach (var migration in All.Where(m => m.Version > before))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO dialogue_schema_migrations (version, name) VALUES (@version, @name)", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                applied.Add(migration.Name);
            }

            return new MigrationReport(before, Math.Max(before, LatestVersion), applied);
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The highest applied step; 0 for a database this project never migrated.</summary>
    public static async Task<int> CurrentVersionAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('dialogue_schema_migrations') IS NOT NULL", connection);
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken))! ? await CurrentVersionAsync(connection, cancellationToken) : 0;
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM dialogue_schema_migrations", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<PostgresMigration> Load()
    {
        const string prefix = "postgres-migrations/";
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<PostgresMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = Path.GetFileNameWithoutExtension(resource[prefix.Length..]);
            var version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new PostgresMigration(version, name, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        if (migrations.Count == 0 || migrations.Select(m => m.Version).Distinct().Count() != migrations.Count)
        {
            throw new InvalidOperationException("The embedded PostgreSQL migrations are missing or share a version number.");
        }

        return migrations;
    }
}
