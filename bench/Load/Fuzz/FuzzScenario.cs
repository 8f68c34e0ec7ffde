using System.Diagnostics;

namespace OpenGov.Dialogue.Load.Fuzz;

/// <summary>
/// The long fuzz run against the real server as its own process: by default 10,000 REST cases, 2,000 hub
/// cases and 1,000 raw MessagePack frames. Prints the statuses seen and every broken rule; exit code 1 if any.
/// </summary>
public static class FuzzScenario
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var rest = options.Int("cases", 10_000);
        var hub = options.Int("hub", 2_000);
        var raw = options.Int("raw", 1_000);
        var seed = options.Int("seed", 1);
        await using var server = await LoadServer.StartAsync();
        using var api = new DialogueApi(server.Address, LoadServer.AdminKey);
        var target = await FuzzTarget.PrepareAsync(
            server.Address,
            await api.StaffToken("admin", "Fuzz admin"),
            await api.StaffToken("moderator", "Fuzz moderator"),
            await api.StaffToken("official", "Fuzz official"),
            await api.ParticipantToken());

        var clock = Stopwatch.StartNew();
        var report = await new ApiFuzzer(target, seed).RunAsync(rest, hub, raw);
        Console.WriteLine("| REST cases | hub cases | raw frames | 5xx | broken rules | hub connections closed for size | seconds |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {report.Cases} | {report.HubCases} | {report.RawFrames} | {report.ServerErrors} | {report.Failures.Count} | {report.ClosedForSize} | {clock.Elapsed.TotalSeconds:F0} |");
        Console.WriteLine();
        Console.WriteLine("Statuses: " + string.Join(", ", report.ByStatus.OrderBy(p => p.Key).Select(p => $"{(p.Key == 0 ? "closed mid-upload" : p.Key.ToString())}×{p.Value}")));
        foreach (var failure in report.Failures.Take(50))
        {
            Console.WriteLine($"- {failure.Case}: {failure.Problem}");
        }

        Console.WriteLine($"cases={report.Cases} hub_cases={report.HubCases} raw_frames={report.RawFrames} server_errors={report.ServerErrors} failures={report.Failures.Count}");
        return report.Failures.Count == 0 && report.ServerErrors == 0 ? 0 : 1;
    }
}
