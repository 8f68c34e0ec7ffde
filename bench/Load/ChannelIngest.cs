using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// The cost of an inbound WhatsApp message: signed Cloud API webhooks at a paced rate (200/s by default), each
/// from one of many joined senders, and the time from sending the webhook to its 200 — which the gateway
/// answers only after the item is committed to the journal. Replies go to a fake Cloud API on 127.0.0.1 that
/// answers as the vendor documents; they are counted, not timed (they leave after the webhook is answered).
/// </summary>
public static class ChannelIngest
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var seconds = options.Double("seconds", 10);
        var rate = options.Double("rate", 200);
        var senders = options.Int("senders", 400);

        var sends = 0;
        await using var provider = Loopback.SlimBuilder().Build();
        provider.MapPost("/{version}/{phone}/messages", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            var to = body.GetProperty("to").GetString();
            return Results.Json(new { messaging_product = "whatsapp", contacts = new[] { new { input = to, wa_id = to } }, messages = new[] { new { id = $"wamid.bench{Interlocked.Increment(ref sends)}" } } });
        });
        await provider.StartAsync();
        var providerUrl = Loopback.Address(provider);

        var appSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var server = await LoadServer.StartAsync(new()
        {
            // As in `ingest`: the per-citizen limit is lifted so the storage path is what is measured.
            ["Dialogue__SubmissionsPerMinute"] = "10000",
            ["Channels__Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Channels__WhatsApp__VerifyToken"] = "bench",
            ["Channels__WhatsApp__AppSecret"] = appSecret,
            ["Channels__WhatsApp__AccessToken"] = "bench-token",
            ["Channels__WhatsApp__PhoneNumberId"] = WhatsAppWebhook.PhoneNumberId,
            ["Channels__WhatsApp__BaseUrl"] = providerUrl,
        });
        await using var _ = server;
        using var api = new DialogueApi(server.Address, LoadServer.AdminKey);
        var admin = await api.StaffToken("admin", "Bench");
        var id = await api.CreateConsultation(admin, "qa", "post");
        var numbers = Enumerable.Range(0, senders).Select(i => "6281" + (100_000_000 + i).ToString(CultureInfo.InvariantCulture)).ToArray();

        var counter = 0;
        async Task<bool> Webhook(string from, string text)
        {
            using var request = WhatsAppWebhook.Request(WhatsAppWebhook.Text(from, $"wamid.bench.{Interlocked.Increment(ref counter)}", text), appSecret);
            using var response = await api.Http.SendAsync(request);
            return response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("handled").GetInt32() == 1;
        }

        // Every sender joins and posts once (grains activated, JIT warm) before anything is timed.
        await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, _) =>
        {
            await Webhook(n, $"GABUNG {id}");
            await Webhook(n, "Pemanasan");
        });

        var channel = await Paced(server, rate, seconds, i => Webhook(numbers[i % numbers.Length], $"Usulan nomor {i} lewat WhatsApp untuk anggaran kelurahan"));
        var (values, refused, skipped, failed, cpu, elapsed) = channel;

        // The same rate through the web API right after, on the same server, as a yardstick for this machine's load now.
        var tokens = new string[senders];
        await Parallel.ForEachAsync(Enumerable.Range(0, senders), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            tokens[i] = await api.ParticipantToken();
            using var warm = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", tokens[i], new { clientId = $"warm-{i}", text = "Pemanasan web" });
        });
        var web = await Paced(server, rate, seconds, async i =>
        {
            using var response = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", tokens[i % senders], new { clientId = $"web-{i}", text = $"Usulan web nomor {i} untuk anggaran kelurahan" });
            return response.IsSuccessStatusCode;
        });

        // Every acknowledged message is an item: count them in the consultation.
        var stored = 0;
        long after = 0;
        while (true)
        {
            using var page = await api.Send(HttpMethod.Get, $"/api/consultations/{id}/items?after={after}&limit=500", admin);
            var json = await page.Content.ReadFromJsonAsync<JsonElement>();
            var items = json.GetProperty("items");
            stored += items.EnumerateArray().Count(i => i.GetProperty("text").GetString()!.StartsWith("Usulan nomor", StringComparison.Ordinal));
            after = json.GetProperty("lastSeq").GetInt64();
            if (!json.GetProperty("hasMore").GetBoolean())
            {
                break;
            }
        }

        var p50 = Stats.Percentile(values, 0.5);
        var p99 = Stats.Percentile(values, 0.99);
        Console.WriteLine($"# channel ingest (embedded SQLite): paced at {rate}/s for {seconds} s from {senders} senders; {Environment.ProcessorCount} cores shared by server, fake provider and load generator; load average {ProcStat.LoadAverage():0.0} at the end");
        Console.WriteLine("| path | acknowledged | items stored | ack p50 ms | ack p99 ms | errors | server CPU ms per message |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| signed WhatsApp webhook | {values.Length} | {stored} | {Stats.F(p50)} | {Stats.F(p99)} | {refused + skipped + failed} | {Stats.F(cpu / Math.Max(1, values.Length))} |");
        Console.WriteLine($"| web API (yardstick, same server, right after) | {web.Values.Length} | – | {Stats.F(Stats.Percentile(web.Values, 0.5))} | {Stats.F(Stats.Percentile(web.Values, 0.99))} | {web.Refused + web.Skipped + web.Failed} | {Stats.F(web.CpuMs / Math.Max(1, web.Values.Length))} |");
        Console.WriteLine($"replies sent to the fake Cloud API: {Volatile.Read(ref sends)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"acknowledged={values.Length} stored={stored} ack_p50_ms={Stats.F(p50)} ack_p99_ms={Stats.F(p99)} errors={refused + skipped + failed} web_ack_p50_ms={Stats.F(Stats.Percentile(web.Values, 0.5))} web_ack_p99_ms={Stats.F(Stats.Percentile(web.Values, 0.99))} rate={Stats.F(rate)} elapsed_s={Stats.F(elapsed)}"));
        await provider.StopAsync();
        return refused + skipped + failed == 0 && stored == values.Length ? 0 : 1;
    }

    private static async Task<(double[] Values, int Refused, int Skipped, int Failed, double CpuMs, double Elapsed)> Paced(LoadServer server, double rate, double seconds, Func<int, Task<bool>> send)
    {
        var latencies = new ConcurrentBag<double>();
        var refused = 0;
        var cpuBefore = server.CpuTime();
        var clock = Stopwatch.StartNew();
        var (_, skipped, failed) = await Timeline.RunAsync(Timeline.Steady(rate, seconds), 4096, TimeSpan.FromSeconds(seconds * 2), async i =>
        {
            var start = Stopwatch.GetTimestamp();
            if (await send(i))
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }
        });
        return ([.. latencies], refused, skipped, failed, (server.CpuTime() - cpuBefore).TotalMilliseconds, clock.Elapsed.TotalSeconds);
    }
}
