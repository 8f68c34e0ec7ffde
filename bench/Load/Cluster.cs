using System.Globalization;
using System.Text.Json;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// The town hall on the deployment of docker/compose.yaml, as processes on this machine: 2 silos and 2 client-only
/// gateways on one PostgreSQL database, participants spread evenly over both gateways. The same load first runs on
/// one process (a gateway co-hosting its silo, on PostgreSQL too, so only the topology differs), and the figures are
/// printed side by side, with each process's CPU and memory: what the cluster costs per gateway and in the silos.
/// </summary>
public static class Cluster
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var server = options.String("postgres") ?? Environment.GetEnvironmentVariable("DIALOGUE_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            Console.Error.WriteLine("cluster needs a PostgreSQL server: --postgres \"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\", or DIALOGUE_TEST_POSTGRES (source tests/postgres-server.sh; start_test_postgres). Each run creates and drops a database of its own.");
            return 2;
        }

        var n = options.Int("connections", 2000);
        var rate = options.Double("rate", 20);
        var voteRate = options.Double("votes", 200);
        var seconds = options.Double("seconds", 15);
        var probes = Math.Min(n, options.Int("probes", 200));
        var silos = options.Int("silos", 2);
        var gateways = options.Int("gateways", 2);
        var protocol = options.Protocol();

        Townhall.Result? single = null;
        if (options.String("single") != "false")
        {
            await using var one = await Deployment.PostgresAsync(server, silos: 0, gateways: 1);
            single = await Townhall.RunOurs(options, one, n, rate, voteRate, seconds, probes, protocol);
        }

        Townhall.Result cluster;
        await using (var many = await Deployment.PostgresAsync(server, silos, gateways))
        {
            cluster = await Townhall.RunOurs(options, many, n, rate, voteRate, seconds, probes, protocol);
        }

        Console.WriteLine($"# cluster: {n} connections on the {protocol.ToString().ToLowerInvariant()} hub protocol spread over {gateways} gateways ({silos} silos, PostgreSQL), {Stats.F(rate)} items/s + {Stats.F(voteRate)} votes/s for {Stats.F(seconds)} s after {Stats.F(options.Double("warmup", 5))} s unmeasured warm-up; the single process runs the same load first; load generator and every server process share {Environment.ProcessorCount} cores");
        Console.WriteLine("| server | delivered updates/s | frames/s | p50 ms | p99 ms | send ack p99 ms | sent events | server RSS MiB | RSS per connection KiB | server CPU s | bytes per WebSocket message | reads per message | generator pool wait p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        if (single is not null)
        {
            Console.WriteLine(single.Row("1 process (gateway co-hosting its silo, PostgreSQL)"));
        }

        Console.WriteLine(cluster.Row($"cluster: {silos} silos + {gateways} gateways (PostgreSQL)"));
        Console.WriteLine();
        Console.WriteLine("| process | CPU s in the measured window | RSS MiB connected | CPU µs per delivered update |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (run, result) in new[] { ("1 process", single), ("cluster", cluster) })
        {
            foreach (var share in result?.Processes ?? [])
            {
                Console.WriteLine($"| {run}: {share.Name} | {Stats.F(share.CpuSeconds)} | {Stats.F(share.RssMiB)} | {Stats.F(result!.CpuMicrosPerUpdate(share.CpuSeconds))} |");
            }
        }

        var gatewayShares = cluster.Processes!.Where(p => p.Name.StartsWith("gateway", StringComparison.Ordinal)).ToList();
        var siloShares = cluster.Processes!.Where(p => p.Name.StartsWith("silo", StringComparison.Ordinal)).ToList();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"connections={n} gateways={gateways} silos={silos} protocol={protocol.ToString().ToLowerInvariant()} delivered_per_s={Stats.F(cluster.DeliveredPerSecond)} p50_ms={Stats.F(cluster.P50)} p99_ms={Stats.F(cluster.P99)} ack_p99_ms={Stats.F(cluster.AckP99)} cpu_us_per_update={Stats.F(cluster.CpuMicrosPerUpdate(cluster.ServerCpuSeconds))} gateway_cpu_s={Stats.F(gatewayShares.Sum(p => p.CpuSeconds) / Math.Max(1, gatewayShares.Count))} silo_cpu_s={Stats.F(siloShares.Sum(p => p.CpuSeconds) / Math.Max(1, siloShares.Count))} rss_mb={Stats.F(cluster.RssMiB)} single_delivered_per_s={Stats.F(single?.DeliveredPerSecond ?? double.NaN)} single_p99_ms={Stats.F(single?.P99 ?? double.NaN)} single_cpu_us_per_update={Stats.F(single?.CpuMicrosPerUpdate(single.ServerCpuSeconds) ?? double.NaN)} single_rss_mb={Stats.F(single?.RssMiB ?? double.NaN)}");
        Directory.CreateDirectory("bench/results");
        await File.WriteAllTextAsync(
            Path.Combine("bench/results", $"cluster-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"),
            JsonSerializer.Serialize(new { n, silos, gateways, protocol = protocol.ToString().ToLowerInvariant(), rate, voteRate, seconds, probes, single, cluster }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine(line);
        return 0;
    }
}
