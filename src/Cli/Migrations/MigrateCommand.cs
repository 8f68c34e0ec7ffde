using OpenGov.Dialogue.Storage.Postgres;

namespace OpenGov.Dialogue.Cli.Migrations;

/// <summary>
/// <c>dialogue migrate --connection "&lt;connection string&gt;"</c>: brings a PostgreSQL database to
/// this build's schema. Safe to repeat and to run from several places at once.
/// </summary>
public static class MigrateCommand
{
    public const string Help = "apply the PostgreSQL schema migrations (--connection \"<connection string>\")";

    public static async Task<int> RunAsync(CliArgs args)
    {
        var connection = args.Optional("connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Dialogue")
            ?? throw new CliException("missing option --connection (or the environment variable ConnectionStrings__Dialogue)");
        MigrationReport report;
        try
        {
            report = await PostgresMigrations.ApplyAsync(connection);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or ArgumentException)
        {
            throw new CliException($"migration failed: {ex.Message}");
        }

        foreach (var name in report.Applied)
        {
            Console.WriteLine($"applied {name}");
        }

        Console.WriteLine($"schema_version_before={report.VersionBefore} schema_version={report.VersionAfter} applied={report.Applied.Count}");
        return 0;
    }
}
