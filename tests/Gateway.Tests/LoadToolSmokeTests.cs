using System.Diagnostics;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// Keeps the load tool working: a small town hall against the real server and the baseline relay,
/// both as their own processes. The figures are printed, not asserted (bench/ is for speed).
/// </summary>
[Trait("Category", "cluster")]
public sealed class LoadToolSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Townhall_scenario_runs_end_to_end_and_prints_its_figures()
    {
        var (exit, stdout) = await RunLoadTool("townhall", "--connections", "200", "--seconds", "4", "--warmup", "1", "--votes", "100", "--rate", "10");
        output.WriteLine(stdout);

        Assert.Equal(0, exit);
        var last = stdout.TrimEnd().Split('\n')[^1];
        var figures = last.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("200", figures["connections"]);
        Assert.True(double.Parse(figures["delivered_per_s"], System.Globalization.CultureInfo.InvariantCulture) > 0, last);
        Assert.True(double.Parse(figures["baseline_delivered_per_s"], System.Globalization.CultureInfo.InvariantCulture) > 0, last);
        Assert.Contains("| OpenGov.Dialogue (embedded) |", stdout, StringComparison.Ordinal);
    }

    /// <summary>The channels scenario at a tiny size: signed webhooks against the real server, replies to its fake Cloud API.</summary>
    [Fact]
    public async Task Channel_scenario_acknowledges_every_signed_webhook_and_stores_every_item()
    {
        var (exit, stdout) = await RunLoadTool("channels", "--seconds", "2", "--rate", "20", "--senders", "10");
        output.WriteLine(stdout);

        Assert.Equal(0, exit);
        var last = stdout.TrimEnd().Split('\n')[^1];
        var figures = last.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("40", figures["acknowledged"]);
        Assert.Equal("40", figures["stored"]);
        Assert.Equal("0", figures["errors"]);
        Assert.Contains("replies sent to the fake Cloud API: 60", stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same over MessagePack, with most connections raw listeners (20 probes), so that their
    /// handshake, join, shallow walk and byte count run for both servers.
    /// </summary>
    [Fact]
    public async Task Townhall_scenario_runs_over_MessagePack_and_counts_the_listeners_bytes()
    {
        var (exit, stdout) = await RunLoadTool("townhall", "--protocol", "messagepack", "--connections", "200", "--probes", "20", "--seconds", "4", "--warmup", "1", "--votes", "100", "--rate", "10");
        output.WriteLine(stdout);

        Assert.Equal(0, exit);
        var last = stdout.TrimEnd().Split('\n')[^1];
        var figures = last.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.TryParse(p[1], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN);
        Assert.Contains("protocol=messagepack", last, StringComparison.Ordinal);
        Assert.True(figures["delivered_per_s"] > 0, last);
        Assert.True(figures["baseline_delivered_per_s"] > 0, last);

        // NaN when no listener counted a message.
        Assert.True(figures["bytes_per_message"] > 0, last);
        Assert.True(figures["baseline_bytes_per_message"] > 0, last);
    }

    /// <summary>
    /// The cluster scenario at a tiny size on the test PostgreSQL server: one process, then 2 silos and 2 gateways,
    /// and both gateways did work (their CPU in the measured window), so the participants were really spread.
    /// </summary>
    [Fact]
    public async Task Cluster_scenario_runs_one_process_then_two_silos_and_two_gateways_and_prints_both()
    {
        var (exit, stdout) = await RunLoadTool("cluster", "--connections", "100", "--probes", "20", "--seconds", "3", "--warmup", "1", "--votes", "40", "--rate", "5", "--idle", "1");
        output.WriteLine(stdout);

        Assert.Equal(0, exit);
        var last = stdout.Split('\n').Last(l => l.StartsWith("connections=", StringComparison.Ordinal));
        var figures = last.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.TryParse(p[1], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN);
        Assert.Equal(100, figures["connections"]);
        Assert.Equal(2, figures["gateways"]);
        Assert.True(figures["delivered_per_s"] > 0, last);
        Assert.True(figures["single_delivered_per_s"] > 0, last);
        double Cpu(string process) => double.Parse(
            stdout.Split('\n').Single(l => l.StartsWith($"| {process} |", StringComparison.Ordinal)).Split('|')[2],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Cpu("1 process: gateway+silo") > 0);
        Assert.True(Cpu("cluster: silo1") + Cpu("cluster: silo2") > 0);

        // Half the hall on each gateway: neither idles while the other works.
        var share = Cpu("cluster: gateway1") / (Cpu("cluster: gateway1") + Cpu("cluster: gateway2"));
        Assert.InRange(share, 0.2, 0.8);
    }

    /// <summary>
    /// The replay scenario on a tiny conversation this test writes itself in the Pol.is open-data
    /// format (the shared data folder is not in the repository and need not exist on a CI machine).
    /// </summary>
    [Fact]
    public async Task Replay_scenario_replays_a_polis_conversation_and_every_observer_gets_every_event()
    {
        var folder = Path.Combine(Path.GetTempPath(), "dialogue-tests", $"polis-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var events = WriteTinyConversation(folder);
            var (exit, stdout) = await RunLoadTool("replay", "--data", folder, "--connections", "50", "--seconds", "4");
            output.WriteLine(stdout);

            Assert.Equal(0, exit);
            // The tool's output is stdout then stderr: the figures are stdout's last line.
            var last = stdout.Split('\n').Last(l => l.StartsWith("conversation=", StringComparison.Ordinal));
            var figures = last.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
            Assert.Equal(events.ToString(System.Globalization.CultureInfo.InvariantCulture), figures["events"]);
            Assert.Equal(figures["events"], figures["acked"]);
            Assert.Equal("0", figures["lost"]);
            Assert.Equal("50", figures["connections"]);
            Assert.Contains("| OpenGov.Dialogue (embedded) |", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// 8 comments by 4 authors (one rejected in Pol.is, one with a comma, quotes and a line break)
    /// and votes by 12 voters over two hours, with changes of mind and one repeat of a current
    /// vote (left out by the tool). Returns the number of events the tool replays.
    /// </summary>
    private static int WriteTinyConversation(string folder)
    {
        const long start = 1_700_000_000_000;
        var comments = new System.Text.StringBuilder("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n");
        for (var c = 0; c < 8; c++)
        {
            var body = c == 3 ? "\"Buses, not cars; say \"\"yes\"\"\nto the plan\"" : $"Statement number {c} about the park";
            comments.Append($"{start + (c * 600_000)},x,{c},{c % 4},0,0,{(c == 5 ? -1 : 1)},{body}\n");
        }

        var votes = new System.Text.StringBuilder("timestamp,datetime,comment-id,voter-id,vote\n");
        var events = 8;
        for (var v = 0; v < 12; v++)
        {
            for (var c = 0; c < 8; c++)
            {
                if ((v + c) % 3 == 0)
                {
                    continue;
                }

                votes.Append($"{start + (c * 600_000) + 1000 + (v * 7_000)},x,{c},{v + 10},{((v + c) % 3) - 1}\n");
                events++;
            }
        }

        // A change of mind (replayed) and a repeat of the current vote (left out).
        votes.Append($"{start + 7_200_000},x,1,10,-1\n");
        votes.Append($"{start + 7_300_000},x,1,10,-1\n");
        events++;
        File.WriteAllText(Path.Combine(folder, "comments.csv"), comments.ToString());
        File.WriteAllText(Path.Combine(folder, "votes.csv"), votes.ToString());
        return events;
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
