using System.Diagnostics;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// Keeps the load tool working: a small town hall against the real server and the baseline relay,
/// both as their own processes. The figures are printed, not asserted (bench/ is for speed).
/// </summary>
public sealed class LoadToolSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Townhall_scenario_runs_end_to_end_and_prints_its_figures()
    {
        var (exit, stdout) = await RunLoadTool("townhall", "--connections", "200", "--seconds", "4", "--votes", "100", "--rate", "10");
        output.WriteLine(stdout);

        Assert.Equal(0, exit);
        var last = stdout.TrimEnd().Split('\n')[^1];
        var figures = last.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("200", figures["connections"]);
        Assert.True(double.Parse(figures["delivered_per_s"], System.Globalization.CultureInfo.InvariantCulture) > 0, last);
        Assert.True(double.Parse(figures["baseline_delivered_per_s"], System.Globalization.CultureInfo.InvariantCulture) > 0, last);
        Assert.Contains("| OpenGov.Dialogue (embedded) |", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunLoadTool(params string[] args)
    {
        var here = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = new DirectoryInfo(here);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OpenGov.Dialogue.sln")))
        {
            root = root.Parent;
        }

        var tool = Path.Combine(root!.FullName, "bench", "Load", "bin", configuration, "net10.0", "dialogue-load.dll");
        Assert.True(File.Exists(tool), $"Build the load tool first: {tool}");
        var start = new ProcessStartInfo("dotnet", [tool, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(Path.GetTempPath(), "dialogue-tests"),
        };
        Directory.CreateDirectory(start.WorkingDirectory);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The load tool did not finish within 3 minutes:\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
