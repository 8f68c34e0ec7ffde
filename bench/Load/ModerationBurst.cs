using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// A burst of submissions into a pre-moderated consultation with several moderators connected:
/// every acknowledged submission must be in the queue exactly once, and each moderator's live
/// view must equal the REST view (same items, same latest seq).
/// </summary>
public static class ModerationBurst
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var submissions = options.Int("submissions", 2000);
        var seconds = options.Double("seconds", 10);
        var moderatorCount = options.Int("moderators", 3);
        const int perParticipant = 4;

        var (api, server) = await options.Server();
        await using var _ = server;
        using var __ = api;
        var admin = await api.StaffToken("admin", "Bench admin");
        var id = await api.CreateConsultation(admin, "qa", "pre");

        var moderators = new List<(HubConnection Connection, ConcurrentDictionary<string, ItemView> Seen)>();
        for (var m = 0; m < moderatorCount; m++)
        {
            var token = await api.StaffToken("moderator", $"Moderator {m + 1}");
            var seen = new ConcurrentDictionary<string, ItemView>();
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(api.Address, "/hubs/dialogue"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .AddJsonProtocol(o => Gateway.Hosting.GatewayApp.Configure(o.PayloadSerializerOptions))
                .Build();
            connection.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
            {
                foreach (var item in items)
                {
                    seen.AddOrUpdate(item.Id, item, (_, old) => item.Seq > old.Seq ? item : old);
                }
            });
            await connection.StartAsync();
            await connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);
            moderators.Add((connection, seen));
        }

        var participants = await Task.WhenAll(Enumerable.Range(0, (submissions + perParticipant - 1) / perParticipant).Select(_ => api.ParticipantToken()));
        var acks = new ConcurrentBag<SubmitItemResponse>();
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var serverCpuBefore = server?.CpuTime() ?? TimeSpan.Zero;
        var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, submissions), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        {
            // Paced: submission i leaves at i / rate seconds after the start.
            var due = TimeSpan.FromSeconds(seconds * i / submissions) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct);
            }

            var start = Stopwatch.GetTimestamp();
            using var response = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", participants[i / perParticipant], new { clientId = $"burst-{i}", text = $"Pertanyaan nomor {i}: bagaimana rencana kota untuk wilayah {i % 37}?" });
            if (response.IsSuccessStatusCode)
            {
                acks.Add((await response.Content.ReadFromJsonAsync<SubmitItemResponse>(DialogueApi.Json, ct))!);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            else
            {
                Interlocked.Increment(ref errors);
            }
        });
        var burstSeconds = clock.Elapsed.TotalSeconds;
        var serverCpu = ((server?.CpuTime() ?? TimeSpan.Zero) - serverCpuBefore).TotalSeconds;
        var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds;

        // The REST view of the queue, paged.
        var staff = await api.StaffToken("moderator", "Auditor");
        var rest = new Dictionary<string, ItemView>();
        long after = 0;
        while (true)
        {
            using var response = await api.Send(HttpMethod.Get, $"/api/consultations/{id}/items?after={after}&limit=1000", staff);
            var page = (await response.Content.ReadFromJsonAsync<ItemsResponse>(DialogueApi.Json))!;
            foreach (var item in page.Items)
            {
                rest[item.Id] = item;
            }

            after = page.LastSeq;
            if (!page.HasMore)
            {
                break;
            }
        }

        // Live views settle within a few seconds; compare each with the REST view.
        var settle = Stopwatch.StartNew();
        bool Consistent((HubConnection Connection, ConcurrentDictionary<string, ItemView> Seen) m) =>
            m.Seen.Count == rest.Count && rest.All(r => m.Seen.TryGetValue(r.Key, out var v) && v.Seq == r.Value.Seq && v.Review?.NeedsReview == true);
        while (settle.Elapsed < TimeSpan.FromSeconds(30) && !moderators.All(Consistent))
        {
            await Task.Delay(100);
        }

        var consistent = moderators.Count(Consistent);
        var queued = rest.Values.Count(v => v.Review?.NeedsReview == true);
        var distinctAcked = acks.Select(a => a.Id).Distinct().Count();
        foreach (var (connection, _) in moderators)
        {
            await connection.DisposeAsync();
        }

        var lat = latencies.ToArray();
        Console.WriteLine($"# moderation-burst: {submissions} submissions over {Stats.F(seconds)} s, {moderatorCount} moderators; server and load generator share {Environment.ProcessorCount} cores");
        Console.WriteLine("| submitted | acknowledged | distinct items | in queue (REST) | moderators consistent | ack p50 ms | ack p99 ms | burst s | settle s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {submissions} | {acks.Count} | {distinctAcked} | {queued} | {consistent}/{moderatorCount} | {Stats.F(Stats.Percentile(lat, 0.5))} | {Stats.F(Stats.Percentile(lat, 0.99))} | {Stats.F(burstSeconds)} | {Stats.F(settle.Elapsed.TotalSeconds)} |");
        Console.WriteLine($"submissions={submissions} acknowledged={acks.Count} errors={errors} distinct={distinctAcked} queue={queued} rest_items={rest.Count} consistent_moderators={consistent}/{moderatorCount} ack_p50_ms={Stats.F(Stats.Percentile(lat, 0.5))} ack_p99_ms={Stats.F(Stats.Percentile(lat, 0.99))} server_cpu_s={Stats.F(serverCpu)} load_cpu_s={Stats.F(ownCpu)} burst_s={Stats.F(burstSeconds)}");
        return acks.Count == submissions && distinctAcked == submissions && queued == submissions && rest.Count == submissions && consistent == moderatorCount ? 0 : 1;
    }
}
