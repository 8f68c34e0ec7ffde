using Microsoft.AspNetCore.SignalR;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// Durable submissions without fan-out (nobody watches): the most the server accepts per second
/// with a fixed number in flight, and the acknowledgement latency at a paced rate, over HTTP and
/// over the hub. Every acknowledgement means the item is committed to the journal.
/// </summary>
public static class Ingest
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var seconds = options.Double("seconds", 10);
        var rate = options.Double("rate", 500);
        var inFlight = options.Int("concurrency", 64);
        var participants = options.Int("participants", 2000);

        // A citizen may submit 5 a minute by default; here the limit is lifted so the storage path is what is measured.
        var (api, server) = await options.Server(new() { ["Dialogue__SubmissionsPerMinute"] = "10000" });
        await using var _ = server;
        using var __ = api;
        var admin = await api.StaffToken("admin", "Bench");
        var id = await api.CreateConsultation(admin, "qa", "post");
        var tokens = new string[participants];
        await Parallel.ForEachAsync(Enumerable.Range(0, participants), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => tokens[i] = await api.ParticipantToken());

        // Warm up: every citizen grain activated once, JIT done.
        await Parallel.ForEachAsync(Enumerable.Range(0, participants), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (i, _) =>
        {
            using var r = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", tokens[i], new { clientId = $"warm-{i}", text = $"Pemanasan {i}" });
        });

        var counter = 0;
        Func<Task<bool>> http = async () =>
        {
            var n = Interlocked.Increment(ref counter);
            using var response = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", tokens[n % participants], new { clientId = $"h-{n}", text = $"Usulan nomor {n} untuk anggaran kelurahan" });
            return response.IsSuccessStatusCode;
        };

        var hubs = await Task.WhenAll(Enumerable.Range(0, Math.Min(inFlight, participants)).Select(async i =>
        {
            var token = tokens[i];
            var connection = DialogueApi.Hub(new Uri(api.Address, "/hubs/dialogue"), token);
            await connection.StartAsync();
            return connection;
        }));
        Func<Task<bool>> hub = async () =>
        {
            var n = Interlocked.Increment(ref counter);
            await hubs[n % hubs.Length].InvokeAsync<SubmitItemResponse>(nameof(DialogueHub.Submit), id, $"s-{n}", $"Usulan nomor {n} lewat hub");
            return true;
        };

        var results = new List<(string Transport, double MaxPerSecond, double P50, double P99, int Errors)>();
        foreach (var (transport, submit) in new[] { ("http", http), ("hub", hub) })
        {
            var max = await ClosedLoop(submit, inFlight, seconds);
            var (p50, p99, errors) = await PacedLatency(submit, rate, seconds);
            results.Add((transport, max, p50, p99, errors));
        }

        foreach (var connection in hubs)
        {
            await connection.DisposeAsync();
        }

        var storage = options.String("target") is null ? "embedded SQLite" : "target";
        Console.WriteLine($"# ingest ({storage}): {seconds} s per phase; max = {inFlight} in flight; latency paced at {rate}/s; {Environment.ProcessorCount} cores shared by server and load generator");
        Console.WriteLine("| transport | accepted/s (max) | ack p50 ms | ack p99 ms | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Transport} | {Stats.F(r.MaxPerSecond)} | {Stats.F(r.P50)} | {Stats.F(r.P99)} | {r.Errors} |");
        }

        var h = results[0];
        var b = results[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"accepted_per_s={Stats.F(h.MaxPerSecond)} ack_p50_ms={Stats.F(h.P50)} ack_p99_ms={Stats.F(h.P99)} hub_accepted_per_s={Stats.F(b.MaxPerSecond)} hub_ack_p50_ms={Stats.F(b.P50)} hub_ack_p99_ms={Stats.F(b.P99)} paced_rate={Stats.F(rate)}"));
        return results.All(r => r.Errors == 0) ? 0 : 1;
    }

    private static async Task<double> ClosedLoop(Func<Task<bool>> submit, int inFlight, double seconds)
    {
        var accepted = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                if (await submit())
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        }));
        return accepted / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double P50, double P99, int Errors)> PacedLatency(Func<Task<bool>> submit, double rate, double seconds)
    {
        var latencies = new ConcurrentBag<double>();
        var refused = 0;
        var (_, skipped, failed) = await Timeline.RunAsync(Timeline.Steady(rate, seconds), 4096, TimeSpan.FromSeconds(seconds * 2), async _ =>
        {
            var start = Stopwatch.GetTimestamp();
            if (await submit())
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }
        });
        var values = latencies.ToArray();
        return (Stats.Percentile(values, 0.5), Stats.Percentile(values, 0.99), refused + skipped + failed);
    }
}
