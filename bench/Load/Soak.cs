using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// Opt-in long run at moderate load (default 30 minutes, 1,000 watching participants, 2
/// submissions/s and 100 votes/s into a deliberation in post-moderation): samples the server's RSS
/// every ~10 s, then checks that nothing acknowledged was lost — every acknowledged item is in the
/// REST listing with the counts its acknowledged votes give, and every observer received every
/// item and the latest change — and whether RSS stays flat (first-quarter vs last-quarter median,
/// least-squares slope).
/// </summary>
public static class Soak
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var n = options.Int("connections", 1000);
        var probes = Math.Min(n, options.Int("probes", 10));
        var seconds = options.Double("seconds", 1800);
        var rate = options.Double("rate", 2);
        var voteRate = options.Double("votes", 100);
        var sampleEvery = TimeSpan.FromSeconds(options.Double("sample", 10));
        var mode = options.String("mode") ?? "deliberation";
        var inFlight = options.Int("in-flight", 256);

        var (api, server) = await options.Server();
        await using var _ = server;
        using var __ = api;
        var admin = await api.StaffToken("admin", "Bench");
        var id = await api.CreateConsultation(admin, mode, "post");
        await using var audience = await Audience.ConnectAsync(api, id, n, probes);
        await Task.Delay(1000);

        // One timeline of both streams: submission k at k / rate, vote j at j / voteRate.
        var schedule = Enumerable.Range(0, (int)(rate * seconds)).Select(k => (At: k / rate, Vote: false, Index: k))
            .Concat(Enumerable.Range(0, (int)(voteRate * seconds)).Select(j => (At: j / voteRate, Vote: true, Index: j)))
            .OrderBy(e => e.At).ToArray();

        var published = new List<string>();
        var votedBy = Enumerable.Range(0, n).Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        var finalVotes = new ConcurrentDictionary<(int Voter, string Item), int>();
        var ackedItems = new ConcurrentBag<string>();
        var ackLatencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var ackedVotes = 0;
        var noItemYet = 0;

        void Error(string what) => errors.AddOrUpdate(what, 1, (_, c) => c + 1);

        async Task Submit(int k)
        {
            try
            {
                var sentAt = Stopwatch.GetTimestamp();
                using var response = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", audience.Tokens[k % n], new { clientId = $"soak-{k}", text = $"Usulan {k}: perbaiki layanan publik di kelurahan {k % 53}, misalnya jadwal bus dan lampu jalan." });
                if (!response.IsSuccessStatusCode)
                {
                    Error($"submit {(int)response.StatusCode}");
                    return;
                }

                var ack = (await response.Content.ReadFromJsonAsync<SubmitItemResponse>(DialogueApi.Json))!;
                ackLatencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                ackedItems.Add(ack.Id);
                audience.Sent(ack.Id, ack.Seq, sentAt);
                lock (published)
                {
                    published.Add(ack.Id);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Error($"submit {ex.GetType().Name}");
            }
        }

        async Task Vote(int j)
        {
            // Voter j mod n; each voter votes at most once per item, on items spread over the list.
            var voter = j % n;
            string? item = null;
            lock (published)
            {
                lock (votedBy[voter])
                {
                    for (var attempt = 0; attempt < 8 && published.Count > 0 && item is null; attempt++)
                    {
                        var candidate = published[(int)(((long)j * 7919 + attempt * 104_729) % published.Count)];
                        if (votedBy[voter].Add(candidate))
                        {
                            item = candidate;
                        }
                    }
                }
            }

            if (item is null)
            {
                Interlocked.Increment(ref noItemYet);
                return;
            }

            var value = mode == "qa" ? 1 : (j % 3) - 1;
            try
            {
                var sentAt = Stopwatch.GetTimestamp();
                using var response = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items/{item}/votes", audience.Tokens[voter], new { value });
                if (!response.IsSuccessStatusCode)
                {
                    Error($"vote {(int)response.StatusCode}");
                    return;
                }

                var ack = (await response.Content.ReadFromJsonAsync<VoteResult>(DialogueApi.Json))!;
                ackLatencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                audience.Sent(item, ack.Seq, sentAt);
                finalVotes[(voter, item)] = value;
                Interlocked.Increment(ref ackedVotes);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Error($"vote {ex.GetType().Name}");
            }
        }

        // RSS every sampleEvery until the run ends (bounded by the planned sample count, plus the drain).
        var samples = new List<(double Minutes, double RssMiB)>();
        using var stopSampling = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(sampleEvery);
            var maxSamples = (int)(seconds * 3 / sampleEvery.TotalSeconds) + 100;
            lock (samples)
            {
                samples.Add((0, server?.RssMiB() ?? double.NaN));
            }

            try
            {
                while (samples.Count < maxSamples && await timer.WaitForNextTickAsync(stopSampling.Token))
                {
                    var rss = server?.RssMiB() ?? double.NaN;
                    lock (samples)
                    {
                        samples.Add((clock.Elapsed.TotalMinutes, rss));
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        var cpuBefore = server is null ? double.NaN : server.CpuTime().TotalSeconds;
        audience.Measuring = true;
        var (_, skipped, _) = await Timeline.RunAsync(
            [.. schedule.Select(e => e.At)], inFlight, TimeSpan.FromSeconds((seconds * 1.5) + 60),
            i => schedule[i].Vote ? Vote(schedule[i].Index) : Submit(schedule[i].Index));
        var runSeconds = clock.Elapsed.TotalSeconds;

        var rest = await Replay.Listing(api, admin, id);
        var settled = await audience.WaitForSeq(rest.Values.Select(v => v.Seq).DefaultIfEmpty(0).Max(), TimeSpan.FromSeconds(60));
        var elapsed = clock.Elapsed.TotalSeconds;
        audience.Measuring = false;
        var cpu = server is null ? double.NaN : server.CpuTime().TotalSeconds - cpuBefore;
        await stopSampling.CancelAsync();
        await sampler;

        var (latencies, latencyMissing) = audience.Latencies();
        var check = audience.Compare(rest);
        var notListed = ackedItems.Count(i => !rest.ContainsKey(i));
        var expected = finalVotes.GroupBy(v => v.Key.Item).ToDictionary(
            g => g.Key,
            g => mode == "qa"
                ? new VoteTally(g.Count(), 0, 0, 0)
                : new VoteTally(0, g.Count(v => v.Value == 1), g.Count(v => v.Value == -1), g.Count(v => v.Value == 0)),
            StringComparer.Ordinal);
        var wrongTallies = rest.Values.Count(v => v.Votes != expected.GetValueOrDefault(v.Id, VoteTally.Empty));
        var lost = notListed + wrongTallies + check.Lost + latencyMissing;

        // The first tenth of the run is warm-up (JIT, pools, caches filling as the load starts) and
        // is left out of the quarters and the slope; start and end are the first and last samples.
        var rss = samples.Select(s => s.RssMiB).ToArray();
        var warmupMinutes = runSeconds / 60 / 10;
        var steady = samples.Where(s => s.Minutes >= warmupMinutes).ToArray();
        var quarter = Math.Max(1, steady.Length / 4);
        var q1 = Median(steady.Take(quarter).Select(s => s.RssMiB));
        var q4 = Median(steady.Skip(steady.Length - quarter).Select(s => s.RssMiB));
        var slope = Slope(steady);
        var flat = q4 - q1 <= Math.Max(32, q1 * 0.10);
        var delivered = Interlocked.Read(ref audience.Counts.Updates);
        var ack = ackLatencies.ToArray();
        var load = ProcStat.LoadAverage();
        var errorCount = errors.Values.Sum();
        var detail = $"settled={settled} max_seq={check.MaxSeq} behind={check.Behind} listener_missing={check.ListenerMissing} probe_mismatch={check.ProbeMismatch} closed={check.Closed} not_listed={notListed} wrong_tallies={wrongTallies} latency_missing={latencyMissing} skipped={skipped} no_item_yet={noItemYet} errors=[{string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}"))}]";
        Console.Error.WriteLine($"soak: {detail}");

        Console.WriteLine($"# soak: {Stats.F(seconds)} s, {n} observers ({probes} probes), {Stats.F(rate)} submissions/s + {Stats.F(voteRate)} votes/s into a {mode} consultation (post-moderation); RSS sampled every {Stats.F(sampleEvery.TotalSeconds)} s ({rss.Length} samples; quarters and slope after {Stats.F(warmupMinutes * 60)} s of warm-up); {Environment.ProcessorCount} cores shared by server and generator, load average {Stats.F(load)}");
        Console.WriteLine("| items acked | votes acked | errors | lost | p50 ms | p99 ms | ack p99 ms | delivered updates/s | CPU µs per delivered | RSS start MiB | RSS end MiB | 1st-quarter median | last-quarter median | slope MiB/min |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {ackedItems.Count} | {ackedVotes} | {errorCount} | {lost} | {Stats.F(Stats.Percentile(latencies, 0.5))} | {Stats.F(Stats.Percentile(latencies, 0.99))} | {Stats.F(Stats.Percentile(ack, 0.99))} | {Stats.F(delivered / elapsed)} | {Stats.F(cpu * 1e6 / Math.Max(1, delivered))} | {Stats.F(rss.FirstOrDefault(double.NaN))} | {Stats.F(rss.LastOrDefault(double.NaN))} | {Stats.F(q1)} | {Stats.F(q4)} | {Stats.F(slope)} |");
        Directory.CreateDirectory("bench/results");
        await File.WriteAllTextAsync(
            Path.Combine("bench/results", $"soak-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"),
            JsonSerializer.Serialize(new { n, probes, seconds, rate, voteRate, mode, runSeconds, elapsed, ackedItems = ackedItems.Count, ackedVotes, errors, lost, detail, load, cpu, delivered, samples = samples.Select(s => new { minutes = s.Minutes, rssMiB = s.RssMiB }), q1, q4, slope }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seconds={Stats.F(runSeconds)} connections={n} items_acked={ackedItems.Count} votes_acked={ackedVotes} errors={errorCount} lost={lost} p50_ms={Stats.F(Stats.Percentile(latencies, 0.5))} p99_ms={Stats.F(Stats.Percentile(latencies, 0.99))} delivered_per_s={Stats.F(delivered / elapsed)} cpu_us_per_delivered={Stats.F(cpu * 1e6 / Math.Max(1, delivered))} rss_start_mb={Stats.F(rss.FirstOrDefault(double.NaN))} rss_end_mb={Stats.F(rss.LastOrDefault(double.NaN))} rss_q1_median_mb={Stats.F(q1)} rss_q4_median_mb={Stats.F(q4)} rss_slope_mb_per_min={Stats.F(slope)} rss_flat={(flat ? "yes" : "no")} load_avg={Stats.F(load)}"));

        // Lost or refused work fails the run; a growing RSS fails only a run long enough to tell growth from warm-up.
        return lost == 0 && errorCount == 0 && (flat || seconds < 600) ? 0 : 1;
    }

    private static double Median(IEnumerable<double> values) => Stats.Percentile([.. values], 0.5);

    /// <summary>Least-squares slope of RSS over time, MiB per minute.</summary>
    private static double Slope(IReadOnlyList<(double Minutes, double RssMiB)> samples)
    {
        if (samples.Count < 2)
        {
            return double.NaN;
        }

        var mx = samples.Average(s => s.Minutes);
        var my = samples.Average(s => s.RssMiB);
        var sxx = samples.Sum(s => (s.Minutes - mx) * (s.Minutes - mx));
        return sxx == 0 ? double.NaN : samples.Sum(s => (s.Minutes - mx) * (s.RssMiB - my)) / sxx;
    }
}
