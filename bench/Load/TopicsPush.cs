using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Analysis.Data;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// How long officials wait for the topic groups after a burst: an official's hub connection watches a fresh
/// consultation; --items posts (LaporGub complaints read from the shared data when found, else made-up
/// ones) arrive at --rate per second; the clock runs from the last acknowledged post to the first pushed
/// <c>topics</c> frame whose regrouping grouped every one of them (and, apart, to the first that counts them
/// all, placed into existing groups). Repeated --rounds times on fresh consultations, with the server's
/// shipped settings (regrouping at most every 10 s).
/// </summary>
public static class TopicsPush
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var items = options.Int("items", 1000);
        var rate = options.Double("rate", 200);
        var rounds = options.Int("rounds", 3);
        var texts = Texts(options.String("data"), items);

        var (api, server) = await options.Server(new() { ["Dialogue__SubmissionsPerMinute"] = "1000" });
        await using var _ = server;
        using var __ = api;
        var admin = await api.StaffToken("admin", "Bench admin");
        var official = await api.StaffToken("official", "Bench official");
        var participants = await Task.WhenAll(Enumerable.Range(0, (items + 3) / 4).Select(_ => api.ParticipantToken()));

        var results = new List<(double Grouped, double Counted, double Burst, int Pushes, double P99Ack)>();
        for (var round = 0; round < rounds; round++)
        {
            var id = await api.CreateConsultation(admin, "qa", "post");
            var pushes = new ConcurrentQueue<(TimeSpan At, int Items, int Grouped)>();
            var clock = Stopwatch.StartNew();
            await using var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(api.Address, "/hubs/dialogue"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(official))
                .AddJsonProtocol(o => Gateway.Hosting.GatewayApp.Configure(o.PayloadSerializerOptions))
                .Build();
            connection.On<TopicsView>("topics", view => pushes.Enqueue((clock.Elapsed, view.Items, view.Grouped)));
            await connection.StartAsync();
            await connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

            var latencies = new ConcurrentBag<double>();
            var lastAck = TimeSpan.Zero;
            var failed = 0;
            var start = clock.Elapsed;
            await Parallel.ForEachAsync(Enumerable.Range(0, items), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            {
                var due = start + TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ct);
                }

                var sent = Stopwatch.GetTimestamp();
                using var response = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", participants[i / 4], new { clientId = $"t{round}-{i}", text = texts[i] });
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }

                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                lock (latencies)
                {
                    lastAck = clock.Elapsed > lastAck ? clock.Elapsed : lastAck;
                }
            });

            if (failed > 0)
            {
                Console.Error.WriteLine($"round {round}: {failed} posts were refused");
                return 1;
            }

            var deadline = Stopwatch.StartNew();
            (TimeSpan At, int Items, int Grouped) grouped = default, counted = default;
            while (deadline.Elapsed < TimeSpan.FromSeconds(120))
            {
                counted = counted.Items >= items ? counted : pushes.FirstOrDefault(p => p.Items >= items);
                grouped = pushes.FirstOrDefault(p => p.Grouped >= items);
                if (grouped.Grouped >= items)
                {
                    break;
                }

                await Task.Delay(50);
            }

            if (grouped.Grouped < items)
            {
                Console.Error.WriteLine($"round {round}: no regrouping of all {items} posts was pushed within 120 s of the last acknowledgement");
                return 1;
            }

            results.Add(((grouped.At - lastAck).TotalSeconds, counted.Items >= items ? (counted.At - lastAck).TotalSeconds : double.NaN, (lastAck - start).TotalSeconds, pushes.Count, Stats.Percentile(latencies.ToArray(), 0.99)));
        }

        Console.WriteLine($"# topics: {rounds} bursts of {items} posts at {Stats.F(rate)}/s ({(texts.Source)}); one official connected; server and load generator share {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("| round | burst s | ack p99 ms | pushes | all counted after s | all regrouped and pushed after s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        for (var r = 0; r < results.Count; r++)
        {
            var x = results[r];
            Console.WriteLine($"| {r + 1} | {Stats.F(x.Burst)} | {Stats.F(x.P99Ack)} | {x.Pushes} | {Stats.F(x.Counted)} | {Stats.F(x.Grouped)} |");
        }

        var worst = results.Max(x => x.Grouped);
        Console.WriteLine($"items={items} rounds={rounds} regrouped_push_s_max={Stats.F(worst)} regrouped_push_s_median={Stats.F(Stats.Percentile(results.Select(x => x.Grouped).ToArray(), 0.5))} counted_push_s_max={Stats.F(results.Max(x => x.Counted))}");
        return worst <= 10 ? 0 : 1;
    }

    private sealed class TextSet(List<string> texts, string source)
    {
        public string Source { get; } = source;

        public string this[int i] => texts[i % texts.Count];
    }

    /// <summary>LaporGub complaints from the shared data (read in place, never copied), or made-up complaints.</summary>
    private static TextSet Texts(string? data, int items)
    {
        string[] candidates = [data ?? string.Empty, Environment.GetEnvironmentVariable("DIALOGUE_SHARED_DATA") ?? string.Empty, "../shared/data", "/work/shared/data"];
        foreach (var root in candidates.Where(c => c.Length > 0))
        {
            var path = Path.Combine(root, "laporgub-complaints", "train.csv");
            if (File.Exists(path))
            {
                using var reader = new StreamReader(path);
                var table = CsvTable.Parse(reader, path);
                var column = table.Column("text");
                var texts = table.Rows.Select(r => r[column]).Where(t => t.Length > 0 && t.Length <= 2000).Take(Math.Max(items, 1)).ToList();
                return new TextSet(texts, $"LaporGub complaints from {path}");
            }
        }

        string[] subjects = ["jalan rusak", "lampu jalan mati", "sampah menumpuk", "guru honorer", "puskesmas antre", "banjir", "bansos terlambat", "pungli di kantor"];
        var random = new Random(7);
        var made = Enumerable.Range(0, items).Select(i => $"{subjects[i % subjects.Length]} di RW {random.Next(1, 20)} {(random.Next(2) == 0 ? "mohon segera ditangani" : "sudah lama belum diperbaiki")} nomor {i}").ToList();
        return new TextSet(made, "made-up complaints");
    }
}
