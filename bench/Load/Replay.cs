using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// Replays a real Pol.is conversation (comments and votes in timestamp order, time compressed)
/// into a deliberation consultation in post-moderation while N observers watch the live feed.
/// Every Pol.is author/voter gets its own participant token, created on its first event; a
/// participant's votes on one comment are sent in order (a change of mind stays one). All comments are submitted, including those the Pol.is
/// moderators rejected: post-moderation publishes them at once, so every observer receives every
/// comment and every vote (the heaviest fan-out the data allows; the pre-moderation path is what
/// moderation-burst measures). Then, where it applies, the same timeline against the baseline relay hub.
/// </summary>
public static class Replay
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var n = options.Int("connections", 1000);
        var probes = Math.Min(n, options.Int("probes", 20));
        var seconds = options.Double("seconds", 60);
        var maxGap = options.Double("max-gap", 1);
        var inFlight = options.Int("in-flight", 256);
        var name = options.String("conversation") ?? PolisTimeline.DefaultConversation;
        var conversation = PolisTimeline.Load(PolisTimeline.Locate(options.String("data"), name));
        var speedup = options.String("speedup") is null ? conversation.SpeedupFor(seconds, maxGap) : options.Double("speedup", 1);
        var offsets = conversation.Offsets(speedup, maxGap);
        var planned = offsets.Length == 0 ? 0 : offsets[^1];
        var peak = offsets.GroupBy(o => (int)o).Select(g => g.Count()).DefaultIfEmpty(0).Max();

        // A server that falls behind may take longer than planned, but not without end.
        var deadline = TimeSpan.FromSeconds((planned * 2) + 60);
        var plan = new Plan(conversation, offsets, n, probes, inFlight, deadline);

        Console.Error.WriteLine($"replay: {conversation.Folder}: {conversation.Events.Count} events ({conversation.Comments} comments, {conversation.Votes} votes, {conversation.Participants} participants) over {Stats.F(planned)} s at speedup {Stats.F(speedup)}, peak {peak} events/s");
        var ours = await RunOurs(options, plan);

        string? baselineSkipped = null;
        Result? baseline = null;
        if (options.String("target") is not null)
        {
            baselineSkipped = "a --target server is loaded; the baseline relay runs only beside a server this tool starts";
        }
        else if (options.String("baseline") is "off" or "false" or "0")
        {
            baselineSkipped = "--baseline off";
        }
        else
        {
            baseline = await RunBaseline(plan);
        }

        var load = ProcStat.LoadAverage();
        Console.WriteLine($"# replay: {Path.GetFileName(conversation.Folder)} — {conversation.Comments} comments ({conversation.ModeratedOut} moderated out in Pol.is, submitted too), {conversation.Votes} vote events ({conversation.RepeatVotesSkipped} repeats of the voter's current vote left out), {conversation.Participants} participants; speedup {Stats.F(speedup)} (gaps ≤ {Stats.F(maxGap)} s), planned {Stats.F(planned)} s, peak {peak} events/s; {n} observers ({probes} probes); deliberation, post-moderation; generator and servers share {Environment.ProcessorCount} cores, load average {Stats.F(load)}");
        Console.WriteLine("| server | events acked | errors | replay s | delivered updates/s | event deliveries/s | frames/s | p50 ms | p99 ms | ack p99 ms | server CPU s | CPU µs per delivered update | lost |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(ours.Row("OpenGov.Dialogue (embedded)"));
        if (baseline is not null)
        {
            Console.WriteLine(baseline.Row("baseline relay hub"));
        }
        else
        {
            Console.WriteLine($"baseline relay hub skipped: {baselineSkipped}");
        }

        Directory.CreateDirectory("bench/results");
        await File.WriteAllTextAsync(
            Path.Combine("bench/results", $"replay-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"),
            JsonSerializer.Serialize(new { conversation = conversation.Folder, events = conversation.Events.Count, conversation.Comments, conversation.Votes, conversation.Participants, conversation.ModeratedOut, conversation.RepeatVotesSkipped, n, probes, speedup, maxGap, planned, peak, load, ours, baseline, baselineSkipped }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conversation={Path.GetFileName(conversation.Folder)} events={conversation.Events.Count} connections={n} speedup={Stats.F(speedup)} replay_s={Stats.F(ours.ReplaySeconds)} acked={ours.Acked} errors={ours.Errors} skipped={ours.Skipped} delivered_per_s={Stats.F(ours.DeliveredPerSecond)} event_deliveries_per_s={Stats.F(ours.EventDeliveriesPerSecond)} p50_ms={Stats.F(ours.P50)} p99_ms={Stats.F(ours.P99)} server_cpu_s={Stats.F(ours.ServerCpuSeconds)} cpu_us_per_delivered={Stats.F(ours.CpuMicrosPerDelivered)} lost={ours.Lost} baseline_delivered_per_s={Stats.F(baseline?.DeliveredPerSecond ?? double.NaN)} baseline_p99_ms={Stats.F(baseline?.P99 ?? double.NaN)} baseline_cpu_us_per_delivered={Stats.F(baseline?.CpuMicrosPerDelivered ?? double.NaN)} baseline_lost={(baseline is null ? "NaN" : baseline.Lost.ToString(CultureInfo.InvariantCulture))} load_avg={Stats.F(load)}"));
        return ours.Acked == conversation.Events.Count && ours.Lost == 0 ? 0 : 1;
    }

    /// <param name="Lost">Acknowledged events some observer (or the REST listing) does not show.</param>
    public sealed record Result(
        int Acked, int Errors, int Skipped, double ReplaySeconds, double ElapsedSeconds, double DeliveredPerSecond, double EventDeliveriesPerSecond, double FramesPerSecond,
        double P50, double P99, double AckP50, double AckP99, double ServerCpuSeconds, double CpuMicrosPerDelivered, long Lost, string Detail)
    {
        public string Row(string name) =>
            $"| {name} | {Acked} | {Errors} | {Stats.F(ReplaySeconds)} | {Stats.F(DeliveredPerSecond)} | {Stats.F(EventDeliveriesPerSecond)} | {Stats.F(FramesPerSecond)} | {Stats.F(P50)} | {Stats.F(P99)} | {Stats.F(AckP99)} | {Stats.F(ServerCpuSeconds)} | {Stats.F(CpuMicrosPerDelivered)} | {Lost} |";
    }

    private sealed record Plan(PolisTimeline Conversation, double[] Offsets, int Connections, int Probes, int InFlight, TimeSpan Deadline);

    private static async Task<Result> RunOurs(LoadOptions options, Plan plan)
    {
        var events = plan.Conversation.Events;

        // Time is compressed: a Pol.is author's comments of an evening arrive within a second here, so the per-citizen limit is lifted.
        var (api, server) = await options.Server(new() { ["Dialogue__SubmissionsPerMinute"] = "10000" });
        await using var _ = server;
        using var __ = api;
        var admin = await api.StaffToken("admin", "Bench");
        var id = await api.CreateConsultation(admin, "deliberation", "post");
        await using var audience = await Audience.ConnectAsync(api, id, plan.Connections, plan.Probes);
        await Task.Delay(1000);

        var tokens = new ConcurrentDictionary<string, Lazy<Task<string>>>(StringComparer.Ordinal);
        var items = plan.Conversation.Events.Where(e => e.Kind == PolisEventKind.Comment)
            .ToDictionary(e => e.CommentId, _ => new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously));
        var tails = new Dictionary<(string Participant, int Comment), Task>();
        var finalVotes = new ConcurrentDictionary<(string Participant, string Item), int>();
        var ackedItems = new ConcurrentBag<string>();
        var ackLatencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var acked = 0;

        Task<string> Token(string participant) => tokens.GetOrAdd(participant, _ => new Lazy<Task<string>>(api.ParticipantToken)).Value;

        void Error(string what) => errors.AddOrUpdate(what, 1, (_, c) => c + 1);

        async Task Execute(PolisEvent e, Task previous)
        {
            await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (e.Kind == PolisEventKind.Comment)
            {
                string? itemId = null;
                try
                {
                    var token = await Token(e.Participant);
                    var sentAt = Stopwatch.GetTimestamp();
                    using var response = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items", token, new { clientId = $"polis-{e.CommentId}", text = e.Text });
                    if (!response.IsSuccessStatusCode)
                    {
                        Error($"comment {(int)response.StatusCode}");
                        return;
                    }

                    var ack = (await response.Content.ReadFromJsonAsync<SubmitItemResponse>(DialogueApi.Json))!;
                    ackLatencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                    itemId = ack.Id;
                    ackedItems.Add(ack.Id);
                    audience.Sent(ack.Id, ack.Seq, sentAt);
                    Interlocked.Increment(ref acked);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Error($"comment {ex.GetType().Name}");
                }
                finally
                {
                    items[e.CommentId].TrySetResult(itemId);
                }

                return;
            }

            if (await items[e.CommentId].Task is not { } item)
            {
                Error("vote on a comment that failed");
                return;
            }

            try
            {
                var token = await Token(e.Participant);
                var sentAt = Stopwatch.GetTimestamp();
                using var response = await api.Send(HttpMethod.Post, $"/api/consultations/{id}/items/{item}/votes", token, new { value = e.Vote });
                if (!response.IsSuccessStatusCode)
                {
                    Error($"vote {(int)response.StatusCode}");
                    return;
                }

                var ack = (await response.Content.ReadFromJsonAsync<VoteResult>(DialogueApi.Json))!;
                ackLatencies.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                audience.Sent(item, ack.Seq, sentAt);
                finalVotes[(e.Participant, item)] = e.Vote;
                Interlocked.Increment(ref acked);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Error($"vote {ex.GetType().Name}");
            }
        }

        var cpuBefore = server is null ? double.NaN : server.CpuTime().TotalSeconds;
        audience.Measuring = true;
        var clock = Stopwatch.StartNew();
        var (_, skipped, _) = await Timeline.RunAsync(plan.Offsets, plan.InFlight, plan.Deadline, i =>
        {
            // Runs in timeline order: a participant's change of mind on a comment queues behind their
            // earlier vote on it (votes on different comments need no order; a vote waits for its comment's id).
            var e = events[i];
            var key = (e.Participant, e.CommentId);
            var task = Execute(e, tails.GetValueOrDefault(key) ?? Task.CompletedTask);
            tails[key] = task;
            return task;
        });
        var replaySeconds = clock.Elapsed.TotalSeconds;

        var rest = await Listing(api, admin, id);
        var settled = await audience.WaitForSeq(rest.Values.Select(v => v.Seq).DefaultIfEmpty(0).Max(), TimeSpan.FromSeconds(60));
        var elapsed = clock.Elapsed.TotalSeconds;
        audience.Measuring = false;
        var cpu = server is null ? double.NaN : server.CpuTime().TotalSeconds - cpuBefore;

        var (latencies, missing) = audience.Latencies();
        var check = audience.Compare(rest);
        var notListed = ackedItems.Count(i => !rest.ContainsKey(i));
        var expectedTallies = Tallies(finalVotes);
        var wrongTallies = rest.Values.Count(v => v.Votes != expectedTallies.GetValueOrDefault(v.Id, VoteTally.Empty));
        var lost = check.Lost + notListed + wrongTallies + missing;
        var delivered = Interlocked.Read(ref audience.Counts.Updates);
        var ack = ackLatencies.ToArray();
        var detail = $"settled={settled} max_seq={check.MaxSeq} behind={check.Behind} listener_missing={check.ListenerMissing} probe_mismatch={check.ProbeMismatch} closed={check.Closed} not_listed={notListed} wrong_tallies={wrongTallies} latency_missing={missing} errors=[{string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}"))}]";
        Console.Error.WriteLine($"replay (ours): {detail}");
        return new Result(
            acked, errors.Values.Sum(), skipped, replaySeconds, elapsed,
            delivered / elapsed, (double)acked * audience.Size / elapsed, Interlocked.Read(ref audience.Counts.Frames) / elapsed,
            Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.99), Stats.Percentile(ack, 0.5), Stats.Percentile(ack, 0.99),
            cpu, cpu * 1e6 / Math.Max(1, delivered), lost, detail);
    }

    /// <summary>Agree / disagree / pass per item from each participant's last acknowledged vote.</summary>
    private static Dictionary<string, VoteTally> Tallies(IEnumerable<KeyValuePair<(string Participant, string Item), int>> votes) =>
        votes.GroupBy(v => v.Key.Item).ToDictionary(
            g => g.Key,
            g => new VoteTally(0, g.Count(v => v.Value == 1), g.Count(v => v.Value == -1), g.Count(v => v.Value == 0)),
            StringComparer.Ordinal);

    /// <summary>Every item of the consultation through REST, paged (bounded by the item count).</summary>
    public static async Task<Dictionary<string, ItemView>> Listing(DialogueApi api, string token, string consultationId)
    {
        var items = new Dictionary<string, ItemView>(StringComparer.Ordinal);
        long after = 0;
        for (var page = 0; page < 100_000; page++)
        {
            using var response = await api.Send(HttpMethod.Get, $"/api/consultations/{consultationId}/items?after={after}&limit=1000", token);
            response.EnsureSuccessStatusCode();
            var body = (await response.Content.ReadFromJsonAsync<ItemsResponse>(DialogueApi.Json))!;
            foreach (var item in body.Items)
            {
                items[item.Id] = item;
            }

            after = body.LastSeq;
            if (!body.HasMore)
            {
                break;
            }
        }

        return items;
    }

    /// <summary>
    /// The same timeline against the bare relay hub: each event one message to the group, a comment
    /// with its text and counts, a vote with the item's new counts (the size of our compact vote
    /// update), sent by one hub connection as Townhall's baseline does.
    /// </summary>
    private static async Task<Result> RunBaseline(Plan plan)
    {
        var events = plan.Conversation.Events;
        await using var server = await LoadServer.StartBaselineAsync();
        var counts = new HubListener.Counters();
        var latencies = new ConcurrentBag<double>();
        var hubUrl = new Uri(server.Address, "/hubs/relay");
        var probes = new ConcurrentBag<HubConnection>();
        var listeners = new ConcurrentBag<TrackingListener>();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, plan.Connections), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
            {
                if (i >= plan.Probes)
                {
                    // Scans whole WebSocket messages: a marker split across two reads is not missed.
                    var listener = new TrackingListener("\"target\":\"m\"") { Counts = counts };
                    listeners.Add(listener);
                    await listener.ConnectAsync(hubUrl, null, "Join", "replay");
                    return;
                }

                var connection = new HubConnectionBuilder().WithUrl(hubUrl, HttpTransportType.WebSockets, o => o.SkipNegotiation = true).Build();
                probes.Add(connection);
                connection.On<string>("m", payload =>
                {
                    if (counts.Measuring)
                    {
                        Interlocked.Increment(ref counts.Updates);
                        Interlocked.Increment(ref counts.Frames);
                        latencies.Add(Stopwatch.GetElapsedTime(long.Parse(payload.AsSpan(0, payload.IndexOf('|')), CultureInfo.InvariantCulture)).TotalMilliseconds);
                    }
                });
                await connection.StartAsync();
                await connection.InvokeAsync("Join", "replay");
            });
            await Task.Delay(1000);

            await using var sender = new HubConnectionBuilder().WithUrl(hubUrl, HttpTransportType.WebSockets, o => o.SkipNegotiation = true).Build();
            await sender.StartAsync();

            // Counts per comment as our server would show them after each event (computed up front, in order).
            var tally = new Dictionary<int, int[]>();
            var current = new Dictionary<(string, int), int>();
            var bodies = new string[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var t = tally.TryGetValue(e.CommentId, out var c) ? c : tally[e.CommentId] = new int[3];
                if (e.Kind == PolisEventKind.Vote)
                {
                    if (current.TryGetValue((e.Participant, e.CommentId), out var old))
                    {
                        t[old + 1]--;
                    }

                    current[(e.Participant, e.CommentId)] = e.Vote;
                    t[e.Vote + 1]++;
                }

                // The size of what our feed sends for the same event: a view, or a compact vote array.
                bodies[i] = e.Kind == PolisEventKind.Comment
                    ? $"{{\"id\":\"c{e.CommentId}\",\"seq\":{i + 1},\"author\":\"Warga-000000\",\"text\":{JsonSerializer.Serialize(e.Text)},\"status\":\"published\",\"votes\":{{\"up\":0,\"agree\":{t[2]},\"disagree\":{t[0]},\"pass\":{t[1]}}},\"visible\":true}}"
                    : $"[\"c{e.CommentId}\",{i + 1},0,{t[2]},{t[0]},{t[1]}]";
            }

            var sent = 0;
            var failed = 0;
            var cpuBefore = server.CpuTime().TotalSeconds;
            counts.Measuring = true;
            var clock = Stopwatch.StartNew();
            var (_, skipped, _) = await Timeline.RunAsync(plan.Offsets, plan.InFlight, plan.Deadline, async i =>
            {
                try
                {
                    await sender.InvokeAsync("Broadcast", "replay", $"{Stopwatch.GetTimestamp()}|{bodies[i]}");
                    Interlocked.Increment(ref sent);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failed);
                }
            });
            var replaySeconds = clock.Elapsed.TotalSeconds;
            var expected = (long)sent * plan.Connections;
            for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(60) && Interlocked.Read(ref counts.Updates) < expected;)
            {
                await Task.Delay(100);
            }

            var elapsed = clock.Elapsed.TotalSeconds;
            counts.Measuring = false;
            var cpu = server.CpuTime().TotalSeconds - cpuBefore;
            var delivered = Interlocked.Read(ref counts.Updates);
            var values = latencies.ToArray();
            var detail = $"expected={expected} delivered={delivered} failed={failed}";
            Console.Error.WriteLine($"replay (baseline): {detail}");
            return new Result(
                sent, failed, skipped, replaySeconds, elapsed,
                delivered / elapsed, (double)sent * plan.Connections / elapsed, Interlocked.Read(ref counts.Frames) / elapsed,
                Stats.Percentile(values, 0.5), Stats.Percentile(values, 0.99), double.NaN, double.NaN,
                cpu, cpu * 1e6 / Math.Max(1, delivered), Math.Max(0, expected - delivered), detail);
        }
        finally
        {
            await Task.WhenAll(probes.Select(p => p.DisposeAsync().AsTask()).Concat(listeners.Select(l => l.DisposeAsync().AsTask())));
        }
    }
}
