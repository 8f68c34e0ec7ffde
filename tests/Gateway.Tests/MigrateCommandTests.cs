using System.Diagnostics;
using OpenGov.Dialogue.Storage.Postgres;
using OpenGov.Dialogue.Tests;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The <c>dialogue migrate</c> command as operators run it: real processes, several at once.</summary>
[Trait("Category", "postgres")]
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task Migrate_from_three_processes_at_once_then_again_leaves_one_current_schema()
    {
        var connection = await PostgresDatabase.CreateEmptyAsync("dialogue_test_cli" + Guid.NewGuid().ToString("N")[..12]);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Migrate(connection)));
        var again = await Migrate(connection);

        Assert.All(concurrent, r => Assert.Equal(0, r.ExitCode));
        Assert.Single(concurrent, r => r.Output.Contains($"applied={PostgresMigrations.All.Count}", StringComparison.Ordinal));
        Assert.Equal(2, concurrent.Count(r => r.Output.Contains("applied=0", StringComparison.Ordinal)));
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"schema_version_before={PostgresMigrations.LatestVersion} schema_version={PostgresMigrations.LatestVersion} applied=0", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_without_a_connection_string_says_what_is_missing()
    {
        var result = await Run(["migrate"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--connection", result.Output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> Migrate(string connection) => Run(["migrate", "--connection", connection]);

    private static async Task<(int ExitCode, string Output)> Run(string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [CliAssembly(), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("ConnectionStrings__Dialogue");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string CliAssembly()
    {
        var here = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dir = new DirectoryInfo(here);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenGov.Dialogue.sln")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("Repository root not found."), "src", "Cli", "bin", configuration, "net10.0", "dialogue.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the Cli first.", path);
    }
}
