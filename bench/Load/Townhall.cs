using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Load;

/// <summary>
/// A town hall: N participants watch one Q&amp;A consultation in post-moderation while a subset
/// submits R items/s and votes V/s; every participant receives every published item and vote
/// update. Then the same connection count, event rate and measurement against the baseline relay
/// hub. Latency is from the send (submit or vote) to the receipt, measured on probe connections.
/// With <c>--protocol messagepack</c> every connection to either server, probe or listener, picks
/// MessagePack in the handshake instead of JSON.
/// </summary>
public static class Townhall
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        var n = options.Int("connections", 10_000);
        var rate = options.Double("rate", 20);
        var voteRate = options.Double("votes", 500);
        var seconds = options.Double("seconds", 20);
        var probes = Math.Min(n, options.Int("probes", 200));
        var protocol = options.Protocol();

        Result ours;
        await using (var deployment = await Deployment.SingleAsync(options))
        {
            ours = await RunOurs(options, deployment, n, rate, voteRate, seconds, probes, protocol);
        }

        var baseline = options.String("target") is null && options.String("baseline") != "false" ? await RunBaseline(n, rate + voteRate, options.Double("warmup", 5), seconds, probes, protocol) : null;

        var ratio = baseline is null ? double.NaN : ours.DeliveredPerSecond / baseline.DeliveredPerSecond;
        Console.WriteLine($"# townhall: {n} connections on the {ProtocolName(protocol)} hub protocol, {Stats.F(rate)} items/s + {Stats.F(voteRate)} votes/s for {Stats.F(seconds)} s after {Stats.F(options.Double("warmup", 5))} s unmeasured warm-up; load generator and server are separate processes sharing {Environment.ProcessorCount} cores");
        Console.WriteLine("| server | delivered updates/s | frames/s | p50 ms | p99 ms | send ack p99 ms | sent events | server RSS MiB | RSS per connection KiB | server CPU s | bytes per WebSocket message | reads per message | generator pool wait p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(ours.Row("OpenGov.Dialogue (embedded)"));
        if (baseline is not null)
        {
            Console.WriteLine(baseline.Row("baseline relay hub"));
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"connections={n} protocol={ProtocolName(protocol)} delivered_per_s={Stats.F(ours.DeliveredPerSecond)} p50_ms={Stats.F(ours.P50)} p99_ms={Stats.F(ours.P99)} ack_p99_ms={Stats.F(ours.AckP99)} baseline_delivered_per_s={Stats.F(baseline?.DeliveredPerSecond ?? double.NaN)} baseline_p99_ms={Stats.F(baseline?.P99 ?? double.NaN)} ratio={Stats.F(ratio)} server_rss_mb={Stats.F(ours.RssMiB)} rss_per_connection_kb={Stats.F(ours.RssPerConnectionKiB)} generator_wait_p99_ms={Stats.F(ours.GeneratorWaitP99)} bytes_per_message={Stats.F(ours.MessageBytes)} baseline_bytes_per_message={Stats.F(baseline?.MessageBytes ?? double.NaN)}");
        Directory.CreateDirectory("bench/results");
        await File.WriteAllTextAsync(
            Path.Combine("bench/results", $"townhall-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"),
            JsonSerializer.Serialize(new { n, protocol = ProtocolName(protocol), rate, voteRate, seconds, probes, ours, baseline, ratio }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine(line);
        return 0;
    }

    /// <param name="MessageBytes">Mean size of a WebSocket message at the listening connections.</param>
    /// <param name="ReadsPerMessage">Receive calls per WebSocket message there: above 1 when the server split messages into several WebSocket frames.</param>
    /// <param name="GeneratorWaitP99">How late work ran in the load generator's own thread pool (<see cref="PoolWait"/>): part of every latency measured here.</param>
    /// <param name="Seconds">The measured window.</param>
    /// <param name="Processes">Each server process's share (a cluster's silos and gateways): CPU seconds in the measured window, memory once connected.</param>
    public sealed record Result(double DeliveredPerSecond, double FramesPerSecond, double P50, double P99, double AckP99, long Sent, double RssMiB, double RssPerConnectionKiB, double ServerCpuSeconds, double MessageBytes, double ReadsPerMessage, double GeneratorWaitP99, IReadOnlyList<ProcessShare>? Processes = null, double Seconds = double.NaN)
    {
        /// <summary>Server CPU per delivered update, in microseconds: what each listener's update costs the deployment.</summary>
        public double CpuMicrosPerUpdate(double cpuSeconds) => cpuSeconds * 1e6 / (DeliveredPerSecond * Seconds);

        public string Row(string name) =>
            $"| {name} | {Stats.F(DeliveredPerSecond)} | {Stats.F(FramesPerSecond)} | {Stats.F(P50)} | {Stats.F(P99)} | {Stats.F(AckP99)} | {Sent} | {Stats.F(RssMiB)} | {Stats.F(RssPerConnectionKiB)} | {Stats.F(ServerCpuSeconds)} | {Stats.F(MessageBytes)} | {Stats.F(ReadsPerMessage)} | {Stats.F(GeneratorWaitP99)} |";
    }

    /// <summary>What every listening connection counts, and what the probes time.</summary>
    private sealed class Receipts
    {
        public readonly HubListener.Counters Counts = new();
        public readonly ConcurrentBag<double> Latencies = [];

        /// <summary>From the send until the server acknowledged it (HTTP response, hub invocation result).</summary>
        public readonly ConcurrentBag<double> Acks = [];
        public readonly ConcurrentDictionary<string, long> SubmitSent = new(StringComparer.Ordinal);
        /// <summary>When the vote that took an item to k up-votes was sent, by (item, k) from the vote's own response.</summary>
        public readonly ConcurrentDictionary<(string Item, int Up), long> VoteSent = new();

        /// <summary>When a probe first saw an item at k up-votes.</summary>
        public readonly ConcurrentQueue<(string Item, int Up, long SeenAt)> VoteSeen = new();

        /// <summary>Vote receipts paired with the send they belong to, once the run is over.</summary>
        public void PairVotes()
        {
            foreach (var (item, up, seenAt) in VoteSeen)
            {
                if (VoteSent.TryGetValue((item, up), out var sentAt) && sentAt >= _measureFrom)
                {
                    Latencies.Add(Stopwatch.GetElapsedTime(sentAt, seenAt).TotalMilliseconds);
                }
            }
        }

        /// <summary>Events sent before this (the warm-up) are delivered and counted, but not timed.</summary>
        private long _measureFrom = long.MaxValue;

        public bool Measuring => Counts.Measuring;

        /// <summary>The generator's own thread-pool wait over the measured window.</summary>
        private PoolWait? _poolWait;

        public void StartMeasuring()
        {
            _measureFrom = Stopwatch.GetTimestamp();
            Counts.Measuring = true;
            _poolWait = new PoolWait();
        }

        public void StopMeasuring()
        {
            Counts.Measuring = false;
            _poolWait?.Dispose();
        }

        private long _sent;

        /// <summary>Counts an acknowledged event sent while measuring.</summary>
        public void Sent(long sentTimestamp)
        {
            if (sentTimestamp >= _measureFrom)
            {
                Interlocked.Increment(ref _sent);
            }
        }

        public void Count(int updates)
        {
            if (Measuring)
            {
                Interlocked.Increment(ref Counts.Frames);
                Interlocked.Add(ref Counts.Updates, updates);
            }
        }

        /// <summary>The figures of one run: rates over the measured time, latency percentiles, memory per connection.</summary>
        /// <param name="warmRss">The server's memory with the first few connections (see <see cref="Connect"/>).</param>
        /// <param name="connections">The connections made after that reading.</param>
        public Result Result(double elapsed, double warmRss, double connectedRss, int connections, double cpu) => new(
            Counts.Updates / elapsed,
            Counts.Frames / elapsed,
            Stats.Percentile([.. Latencies], 0.5),
            Stats.Percentile([.. Latencies], 0.99),
            Stats.Percentile([.. Acks], 0.99),
            Interlocked.Read(ref _sent),
            connectedRss,
            (connectedRss - warmRss) * 1024 / connections,
            cpu,
            Counts.BytesPerMessage,
            Counts.ReadsPerMessage,
            _poolWait?.P99 ?? double.NaN);

        public void Latency(long sentTimestamp)
        {
            if (Measuring && sentTimestamp >= _measureFrom)
            {
                Latencies.Add(Stopwatch.GetElapsedTime(sentTimestamp).TotalMilliseconds);
            }
        }

        public void Ack(long sentTimestamp)
        {
            if (Measuring && sentTimestamp >= _measureFrom)
            {
                Acks.Add(Stopwatch.GetElapsedTime(sentTimestamp).TotalMilliseconds);
            }
        }
    }

    /// <summary>
    /// The town hall against a deployment: participant <c>i</c> gets its token from, listens on and sends through
    /// gateway <c>i mod gateways</c>, so a cluster's gateways share the hall evenly.
    /// </summary>
    public static async Task<Result> RunOurs(LoadOptions options, Deployment deployment, int n, double rate, double voteRate, double seconds, int probes, WireProtocol protocol)
    {
        var api = deployment.Gateways[0];
        var admin = await api.StaffToken("admin", "Bench");
        var id = await api.CreateConsultation(admin, "qa", "post");
        var tokens = new string[n];
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => tokens[i] = await deployment.Gateway(i).ParticipantToken());

        var receipts = new Receipts();
        var connections = new HubConnection[probes];
        var listeners = new RawListener[n - probes];
        var (warmRss, warm) = await Connect(n, deployment.RssMiB, async (i, _) =>
        {
            var hubUrl = new Uri(deployment.Gateway(i).Address, "/hubs/dialogue");
            if (i >= probes)
            {
                var listener = RawListener.Feed(protocol, receipts.Counts);
                await listener.ConnectAsync(hubUrl, tokens[i], nameof(DialogueHub.Join), id, 0L);
                listeners[i - probes] = listener;
                return;
            }

            var seenVotes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var seenItems = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            var token = tokens[i];
            var connection = DialogueApi.Hub(hubUrl, token, protocol);
            connection.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, updates) =>
            {
                receipts.Count(items.Length + updates.Length);
                foreach (var item in items)
                {
                    if (seenItems.TryAdd(item.Id, true) && receipts.SubmitSent.TryGetValue(item.Text, out var sent))
                    {
                        receipts.Latency(sent);
                    }
                }

                foreach (var update in updates)
                {
                    // Paired with the send after the run: the vote whose response reported k up-votes.
                    var before = seenVotes.GetValueOrDefault(update.Id);
                    if (update.Votes.Up > before)
                    {
                        var now = Stopwatch.GetTimestamp();
                        for (var k = before + 1; k <= update.Votes.Up && receipts.Measuring; k++)
                        {
                            receipts.VoteSeen.Enqueue((update.Id, k, now));
                        }

                        seenVotes[update.Id] = update.Votes.Up;
                    }
                }
            });
            await connection.StartAsync();
            await connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);
            connections[i] = connection;
        });
        // Idle connections settle (--idle seconds) before their memory is read.
        await Task.Delay(TimeSpan.FromSeconds(options.Double("idle", 2)));
        var connectedRss = deployment.RssMiB();
        var rssByProcess = deployment.Processes.Select(p => p.Process.RssMiB()).ToArray();

        var published = new ConcurrentQueue<string>();
        var votesPerItem = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var submitted = 0;
        var cast = 0;

        async Task Submit()
        {
            var i = Interlocked.Increment(ref submitted);
            var text = $"Pertanyaan {i}: bagaimana rencana transportasi umum di wilayah {i % 40}?";
            var at = Stopwatch.GetTimestamp();
            receipts.SubmitSent[text] = at;
            var author = i % Math.Max(1, n / 10);
            using var response = await deployment.Gateway(author).Send(HttpMethod.Post, $"/api/consultations/{id}/items", tokens[author], new { clientId = $"t{i}", text });
            if (response.IsSuccessStatusCode)
            {
                receipts.Ack(at);
                published.Enqueue((await response.Content.ReadFromJsonAsync<SubmitItemResponse>(DialogueApi.Json))!.Id);
                receipts.Sent(at);
            }
        }

        async Task Vote()
        {
            var items = published.ToArray();
            if (items.Length == 0)
            {
                return;
            }

            // Distinct voters per item (each vote adds one), so the response's count names this vote.
            var item = items[Interlocked.Increment(ref cast) % items.Length];
            var voter = (int)((uint)(item.GetHashCode() + votesPerItem.AddOrUpdate(item, 1, (_, c) => c + 1)) % (uint)n);
            var at = Stopwatch.GetTimestamp();
            using var response = await deployment.Gateway(voter).Send(HttpMethod.Post, $"/api/consultations/{id}/items/{item}/votes", tokens[voter], new { value = 1 });
            if (response.IsSuccessStatusCode)
            {
                receipts.Ack(at);
                var result = (await response.Content.ReadFromJsonAsync<VoteResult>(DialogueApi.Json))!;
                receipts.VoteSent.TryAdd((item, result.Tally.Up), at);
                receipts.Sent(at);
            }
        }

        // The same load unmeasured first (--warmup seconds): the server's code reaches its optimised
        // form (tiered JIT) as it would in a hall that has been running for a while.
        var warmup = options.Double("warmup", 5);
        await Task.WhenAll(Paced(rate, warmup, _ => Submit()), Paced(voteRate, warmup, _ => Vote()));
        var cpuBefore = deployment.CpuTime();
        var cpuByProcess = deployment.Processes.Select(p => p.Process.CpuTime()).ToArray();
        receipts.StartMeasuring();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Paced(rate, seconds, _ => Submit()), Paced(voteRate, seconds, _ => Vote()));
        await Task.Delay(3000);
        var elapsed = clock.Elapsed.TotalSeconds;
        receipts.StopMeasuring();
        var cpu = (deployment.CpuTime() - cpuBefore).TotalSeconds;
        var shares = deployment.Processes.Select((p, k) => new ProcessShare(p.Name, (p.Process.CpuTime() - cpuByProcess[k]).TotalSeconds, rssByProcess[k])).ToList();
        receipts.PairVotes();
        var result = receipts.Result(elapsed, warmRss, connectedRss, n - warm, cpu) with { Processes = shares, Seconds = elapsed };
        await CloseAll(connections, listeners);
        return result;
    }

    private static async Task<Result> RunBaseline(int n, double eventsPerSecond, double warmup, double seconds, int probes, WireProtocol protocol)
    {
        await using var server = await LoadServer.StartBaselineAsync();
        var receipts = new Receipts();
        var connections = new HubConnection[probes];
        var listeners = new RawListener[n - probes];
        var hubUrl = new Uri(server.Address, "/hubs/relay");
        var (warmRss, warm) = await Connect(n, server.RssMiB, async (i, _) =>
        {
            if (i >= probes)
            {
                var listener = RawListener.Relay(protocol, receipts.Counts);
                await listener.ConnectAsync(hubUrl, null, "Join", "townhall");
                listeners[i - probes] = listener;
                return;
            }

            var connection = DialogueApi.Relay(hubUrl, protocol);
            connection.On<string>("m", payload =>
            {
                receipts.Count(1);
                receipts.Latency(long.Parse(payload.AsSpan(0, payload.IndexOf('|')), CultureInfo.InvariantCulture));
            });
            await connection.StartAsync();
            await connection.InvokeAsync("Join", "townhall");
            connections[i] = connection;
        });
        await Task.Delay(2000);
        var connectedRss = server.RssMiB();

        await using var sender = DialogueApi.Relay(hubUrl, protocol);
        await sender.StartAsync();
        // The same events as an update each, with a body of the size of our compact vote update.
        async Task Broadcast(int i)
        {
            var at = Stopwatch.GetTimestamp();
            await sender.InvokeAsync("Broadcast", "townhall", $"{at}|[\"i{i % 400}\",{i},{i % 97},0,0,0]");
            receipts.Ack(at);
            receipts.Sent(at);
        }

        await Paced(eventsPerSecond, warmup, Broadcast);
        var cpuBefore = server.CpuTime();
        receipts.StartMeasuring();
        var clock = Stopwatch.StartNew();
        await Paced(eventsPerSecond, seconds, Broadcast);
        await Task.Delay(3000);
        var elapsed = clock.Elapsed.TotalSeconds;
        receipts.StopMeasuring();
        var cpu = (server.CpuTime() - cpuBefore).TotalSeconds;
        var result = receipts.Result(elapsed, warmRss, connectedRss, n - warm, cpu);
        await CloseAll(connections, listeners);
        return result;
    }

    /// <summary>
    /// Connects the first few, lets the server settle and reads its memory, then connects the rest:
    /// memory per connection is then what each further connection costs, not the server's warm-up
    /// (JIT, caches, pools) spread over the connections. The same for both servers.
    /// </summary>
    private static async Task<(double WarmRss, int Warm)> Connect(int n, Func<double> rss, Func<int, CancellationToken, ValueTask> connect)
    {
        var warm = Math.Min(100, n / 10);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64 };
        await Parallel.ForEachAsync(Enumerable.Range(0, warm), parallel, connect);
        await Task.Delay(1000);
        var warmRss = rss();
        await Parallel.ForEachAsync(Enumerable.Range(warm, n - warm), parallel, connect);
        return (warmRss, warm);
    }

    private static Task CloseAll(HubConnection?[] connections, RawListener?[] listeners) =>
        Task.WhenAll(connections.OfType<HubConnection>().Select(c => c.DisposeAsync().AsTask())
            .Concat(listeners.OfType<RawListener>().Select(l => l.DisposeAsync().AsTask())));

    private static string ProtocolName(WireProtocol protocol) => protocol.ToString().ToLowerInvariant();

    /// <summary>Runs <paramref name="send"/> at <paramref name="perSecond"/> for <paramref name="seconds"/>, at most 128 in flight, none started after twice the time.</summary>
    private static Task Paced(double perSecond, double seconds, Func<int, Task> send) =>
        Timeline.RunAsync(Timeline.Steady(perSecond, seconds), 128, TimeSpan.FromSeconds(seconds * 2), send);
}

/// <summary>One server process's part of a run: CPU seconds in the measured window and memory once every client connected.</summary>
public sealed record ProcessShare(string Name, double CpuSeconds, double RssMiB);
