using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Live;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>A gateway whose feed drops a stalled reader quickly.</summary>
public sealed class PublicFeedGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new(DefaultSettings())
    {
        ["Dialogue:LiveFeed:QueueRounds"] = "64",
        ["Dialogue:LiveFeed:StallSeconds"] = "3",
    };
}

/// <summary>The latency measurements run one class at a time: a parallel class's load would be measured as the feed's.</summary>
[CollectionDefinition(Name)]
public sealed class PublicFeedLatencyCollection
{
    public const string Name = "PublicFeed latency";
}

/// <summary>The public Server-Sent Events feed against the real gateway, read as curl or a browser would.</summary>
[Collection(PublicFeedLatencyCollection.Name)]
[Trait("Category", "http")]
public sealed class PublicFeedTests(PublicFeedGatewayHost host, ITestOutputHelper output) : IClassFixture<PublicFeedGatewayHost>
{
    private sealed record SseEvent(string Name, long? Id, string Data, long ReceivedAt)
    {
        public JsonElement Json => JsonDocument.Parse(Data).RootElement;
    }

    /// <summary>A feed reader: a small SSE parser over the response stream, every event kept in order.</summary>
    private sealed class SseReader : IAsyncDisposable
    {
        private readonly HttpClient _client;
        private readonly HttpResponseMessage _response;
        private readonly List<SseEvent> _events = [];
        private readonly Task _reading;
        private readonly CancellationTokenSource _stop = new();

        private SseReader(HttpClient client, HttpResponseMessage response, Stream body)
        {
            _client = client;
            _response = response;
            _reading = Read(body);
        }

        public HttpResponseMessage Response => _response;

        public bool Ended { get; private set; }

        public long? LastId { get; private set; }

        public int KeepAlives { get; private set; }

        public List<SseEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public static async Task<SseReader> Open(GatewayHost host, string consultationId, long? lastEventId = null, string? token = null)
        {
            var client = host.Client(token);
            client.Timeout = Timeout.InfiniteTimeSpan;
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/consultations/{consultationId}/events");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (lastEventId is { } last)
            {
                request.Headers.Add("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
            }

            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return new SseReader(client, response, await response.Content.ReadAsStreamAsync());
        }

        private async Task Read(Stream body)
        {
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? name = null;
            long? id = null;
            var data = new StringBuilder();
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (data.Length > 0)
                        {
                            lock (_events)
                            {
                                _events.Add(new SseEvent(name ?? "message", id, data.ToString(), Stopwatch.GetTimestamp()));
                            }

                            LastId = id ?? LastId;
                        }

                        (name, id) = (null, null);
                        data.Clear();
                    }
                    else if (line.StartsWith(':'))
                    {
                        KeepAlives++;
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        name = line["event: ".Length..];
                    }
                    else if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        id = long.Parse(line["id: ".Length..], CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        Assert.Equal(0, data.Length);
                        data.Append(line["data: ".Length..]);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
            {
            }

            Ended = true;
        }

        public async Task<SseEvent> WaitFor(Func<SseEvent, bool> match, int seconds = 10)
        {
            var deadline = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (Events.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                await Task.Delay(10);
            }

            throw new TimeoutException("No matching event arrived.");
        }

        /// <summary>Every item as last seen (items events and vote updates), newest seq kept.</summary>
        public Dictionary<string, long> Items()
        {
            var items = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var e in Events)
            {
                foreach (var item in ItemsIn(e))
                {
                    var id = item.GetProperty("id").GetString()!;
                    var seq = item.GetProperty("seq").GetInt64();
                    items[id] = Math.Max(seq, items.GetValueOrDefault(id));
                }
            }

            return items;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _response.Dispose();
            _client.Dispose();
            await _reading;
            _stop.Dispose();
        }
    }

    /// <summary>Items of an <c>items</c> event as they are; vote updates (<c>[id, seq, up, agree, disagree, pass]</c>) as objects with id and seq.</summary>
    private static IEnumerable<JsonElement> ItemsIn(SseEvent e) => e.Name switch
    {
        "items" => e.Json.EnumerateArray(),
        "votes" => e.Json.EnumerateArray().Select(v => JsonDocument.Parse($"{{\"id\":{v[0].GetRawText()},\"seq\":{v[1].GetRawText()},\"up\":{v[2].GetRawText()}}}").RootElement),
        _ => [],
    };

    private static async Task<SubmitItemResponse> Submit(HttpClient participant, string id, string text)
    {
        using var response = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = Guid.NewGuid().ToString("N"), text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!;
    }

    private static async Task<VoteResult> Vote(HttpClient participant, string id, string itemId, int value = 1)
    {
        using var response = await participant.PostAsJsonAsync($"/api/consultations/{id}/items/{itemId}/votes", new { value });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<VoteResult>(GatewayHost.Json))!;
    }

    private async Task<HttpClient> ParticipantClient() => host.Client((await host.Participant()).Token);

    private IConsultationGrain Grain(string id) => host.Services.GetRequiredService<IGrainFactory>().GetGrain<IConsultationGrain>(id);

    private static readonly Actor Admin = new("Test admin", ViewerRole.Admin);

    [Fact]
    public async Task PublicFeed_anonymous_reader_gets_the_consultation_first_then_items_and_votes_live_with_seqs_as_ids()
    {
        var id = await host.CreateConsultation();
        await using var reader = await SseReader.Open(host, id);
        Assert.Equal("text/event-stream", reader.Response.Content.Headers.ContentType?.MediaType);
        Assert.True(reader.Response.Headers.CacheControl?.NoCache);
        Assert.Equal("no", reader.Response.Headers.GetValues("X-Accel-Buffering").Single());

        var first = await reader.WaitFor(_ => true);
        Assert.Equal("consultation", first.Name);
        Assert.Equal(id, first.Json.GetProperty("id").GetString());
        Assert.Equal("open", first.Json.GetProperty("status").GetString());
        Assert.Equal("public", first.Json.GetProperty("visibility").GetString());
        Assert.NotNull(first.Id);

        using var participant = await ParticipantClient();
        var ack = await Submit(participant, id, "Kapan jalan desa diperbaiki?");
        var items = await reader.WaitFor(e => ItemsIn(e).Any(i => i.GetProperty("id").GetString() == ack.Id));
        var item = items.Json.EnumerateArray().Single(i => i.GetProperty("id").GetString() == ack.Id);
        Assert.Equal(ack.Seq, item.GetProperty("seq").GetInt64());
        Assert.Equal("Kapan jalan desa diperbaiki?", item.GetProperty("text").GetString());
        Assert.Equal("published", item.GetProperty("status").GetString());
        Assert.Equal(ack.Seq, items.Id);

        using var voter = await ParticipantClient();
        var vote = await Vote(voter, id, ack.Id);
        var votes = await reader.WaitFor(e => e.Name == "votes");
        Assert.Equal(vote.Seq, votes.Id);
        Assert.Contains(ItemsIn(votes), v => v.GetProperty("id").GetString() == ack.Id && v.GetProperty("seq").GetInt64() == vote.Seq && v.GetProperty("up").GetInt32() == 1);

        // Every id names the highest seq the reader has been sent so far, and ids only go up.
        long previous = 0;
        long highest = 0;
        foreach (var e in reader.Events)
        {
            highest = Math.Max(highest, ItemsIn(e).Select(i => i.GetProperty("seq").GetInt64()).DefaultIfEmpty(0).Max());
            if (e.Id is { } eventId)
            {
                Assert.True(eventId >= previous, $"id {eventId} after {previous}");
                Assert.True(eventId >= highest, $"id {eventId} below a seq already sent ({highest})");
                previous = eventId;
            }
        }

        // The topic groups as they are when the feed got its reader.
        var topics = await reader.WaitFor(e => e.Name == "topics");
        Assert.Equal(id, topics.Json.GetProperty("consultationId").GetString());
        Assert.Null(topics.Id);
    }

    [Fact]
    public async Task PublicFeed_readers_are_pushed_each_regrouping_without_tagger_guesses()
    {
        var id = await host.CreateConsultation();
        await using var reader = await SseReader.Open(host, id);
        await reader.WaitFor(e => e.Name == "topics"); // the first read: too few items

        // 24 posts on two topics: the regrouping reaches the reader by push (the feed no longer polls).
        string[][] topics = [["jalan", "rusak", "berlubang", "aspal", "macet"], ["sampah", "sungai", "banjir", "bau", "got"]];
        var random = new Random(7);
        for (var i = 0; i < 24; i++)
        {
            using var participant = await ParticipantClient();
            var words = topics[i % 2];
            await Submit(participant, id, string.Join(' ', Enumerable.Range(0, 6).Select(_ => words[random.Next(words.Length)])) + " mohon segera");
        }

        var grouped = await reader.WaitFor(e => e.Name == "topics" && e.Json.GetProperty("status").GetString() == "grouped" && e.Json.GetProperty("items").GetInt32() == 24, seconds: 60);
        Assert.NotEmpty(grouped.Json.GetProperty("groups").EnumerateArray());
        Assert.DoesNotContain("\"suggested\":{", grouped.Json.GetRawText(), StringComparison.Ordinal);

        // A reader who joins now gets the newest groups at once.
        await using var late = await SseReader.Open(host, id);
        var first = await late.WaitFor(e => e.Name == "topics");
        Assert.Equal("grouped", first.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task PublicFeed_two_readers_one_resumes_with_Last_Event_ID_and_gets_exactly_the_gap()
    {
        var id = await host.CreateConsultation();
        using var alice = await ParticipantClient();
        using var budi = await ParticipantClient();
        await using var steady = await SseReader.Open(host, id);
        var leaving = await SseReader.Open(host, id);

        var before = new List<SubmitItemResponse>();
        for (var i = 0; i < 5; i++)
        {
            before.Add(await Submit(alice, id, $"Pertanyaan sebelum putus nomor {i} tentang air bersih"));
        }

        var lastVote = await Vote(budi, id, before[0].Id);
        await leaving.WaitFor(e => e.Id >= lastVote.Seq);
        var lastId = leaving.LastId!.Value;
        await leaving.DisposeAsync();

        // While it is away: new items, votes on old ones, a rejection.
        var after = new List<SubmitItemResponse>();
        for (var i = 0; i < 4; i++)
        {
            after.Add(await Submit(alice, id, $"Pertanyaan selama putus nomor {i} tentang sekolah"));
        }

        await Vote(budi, id, before[1].Id);
        await Vote(budi, id, before[2].Id);
        using (var moderator = host.Client(await host.StaffToken("moderator")))
        {
            (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { before[3].Id }, reason = "off_topic" })).EnsureSuccessStatusCode();
        }

        var lastWhileAway = await Vote(budi, id, after[0].Id);
        await steady.WaitFor(e => e.Id >= lastWhileAway.Seq);

        await using var back = await SseReader.Open(host, id, lastId);
        await back.WaitFor(e => e.Id >= lastWhileAway.Seq);

        var expected = steady.Items().Where(kv => kv.Value > lastId).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        var gapItems = back.Events.SelectMany(ItemsIn).Select(i => (Id: i.GetProperty("id").GetString()!, Seq: i.GetProperty("seq").GetInt64())).ToArray();
        Assert.Equal("consultation", back.Events[0].Name);
        Assert.All(gapItems, i => Assert.True(i.Seq > lastId, $"{i.Id} at {i.Seq} is not after {lastId}"));
        Assert.Equal(gapItems.Length, gapItems.Select(i => i.Id).Distinct().Count());
        Assert.Equal(expected, gapItems.Select(i => i.Id).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(9 - 2, expected.Length); // 4 new, 2 voted, 1 rejected; before[0] and before[4] unchanged
        Assert.Contains(before[3].Id, expected);
        Assert.DoesNotContain(before[4].Id, expected);

        // The rejection's log entry is in the gap too, and the steady reader got everything live.
        Assert.Contains(back.Events.Where(e => e.Name == "log").SelectMany(e => e.Json.EnumerateArray()), l => l.GetProperty("itemId").GetString() == before[3].Id);
        Assert.Equal(9, steady.Items().Count);

        // And it is live again.
        var later = await Submit(alice, id, "Pertanyaan setelah kembali tentang pasar");
        await back.WaitFor(e => ItemsIn(e).Any(i => i.GetProperty("id").GetString() == later.Id));
        Assert.Equal(1, back.Events.SelectMany(ItemsIn).Count(i => i.GetProperty("id").GetString() == later.Id));

        // An id beyond the consultation's newest seq (a restored database) gets everything again.
        await using var fromTheFuture = await SseReader.Open(host, id, 1_000_000);
        await fromTheFuture.WaitFor(e => e.Id is not null);
        Assert.Equal(10, fromTheFuture.Items().Count);
    }

    [Fact]
    public Task PublicFeed_a_reader_that_stops_reading_is_dropped_without_delaying_the_other() => StalledReader(host, output);

    /// <summary>
    /// A normal reader's delivery delay for 200 long items without and with a reader that never reads;
    /// the stalled one must be dropped. Which rule drops it (full queue or stalled write) depends on the host.
    /// </summary>
    internal static async Task StalledReader(GatewayHost host, ITestOutputHelper output)
    {
        var id = await host.CreateConsultation();
        var participants = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            participants.Add(host.Client((await host.Participant()).Token));
        }

        var feed = host.Services.GetRequiredService<ConsultationFeed>();
        await using var normal = await SseReader.Open(host, id);
        await normal.WaitFor(e => e.Name == "consultation");

        // Warm up (JIT, pools) before the measured runs.
        await Latencies(normal, participants, id, "pemanasan", 30);
        var baseline = await Latencies(normal, participants, id, "tanpa", 200);

        // A reader that sends its request and never reads: a tiny receive window, so the server's writes back up.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await stalled.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        await stalled.SendAsync(Encoding.ASCII.GetBytes($"GET /api/consultations/{id}/events HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nAccept: text/event-stream\r\n\r\n"));
        var deadline = Stopwatch.StartNew();
        while (feed.FeedReaders(id) < 2 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, feed.FeedReaders(id));
        var stallStarted = Stopwatch.StartNew();
        var withStalled = await Latencies(normal, participants, id, "dengan", 200);
        while (feed.FeedReaders(id) > 1 && stallStarted.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        var droppedAfter = stallStarted.Elapsed;
        Assert.Equal(1, feed.FeedReaders(id));

        // From the stalled side: what is buffered, then the end of the connection.
        var closed = false;
        var buffer = new byte[64 * 1024];
        using (var reading = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                while (await stalled.ReceiveAsync(buffer, SocketFlags.None, reading.Token) > 0)
                {
                }

                closed = true;
            }
            catch (SocketException)
            {
                closed = true;
            }
            catch (OperationCanceledException)
            {
            }
        }

        output.WriteLine($"normal reader, 200 items of ~1.5 KB: without a stalled reader p50 {baseline.P50:F1} ms, p95 {baseline.P95:F1} ms, max {baseline.Max:F1} ms");
        output.WriteLine($"normal reader, 200 items of ~1.5 KB: with a stalled reader    p50 {withStalled.P50:F1} ms, p95 {withStalled.P95:F1} ms, max {withStalled.Max:F1} ms");
        output.WriteLine($"stalled reader dropped {droppedAfter.TotalSeconds:F1} s after its stall began");
        Assert.True(closed, "The server did not close the stalled reader's connection.");
        Assert.True(droppedAfter < TimeSpan.FromSeconds(15), $"Dropped only after {droppedAfter}.");
        // A shared 2-core machine: generous, but a reader that held up the loop (5 s send timeout, or forever) fails it.
        Assert.True(withStalled.P95 <= Math.Max(3 * baseline.P95, baseline.P95 + 500), $"p95 {withStalled.P95:F1} ms with a stalled reader against {baseline.P95:F1} ms without.");
        Assert.True(withStalled.Max < 2000, $"max {withStalled.Max:F1} ms with a stalled reader.");
        foreach (var participant in participants)
        {
            participant.Dispose();
        }
    }

    private sealed record Latency(double P50, double P95, double Max);

    /// <summary>Submits <paramref name="count"/> long items one after the other; the time from sending each until the reader has it.</summary>
    private static async Task<Latency> Latencies(SseReader reader, List<HttpClient> participants, string id, string run, int count)
    {
        var padding = string.Join(' ', Enumerable.Range(0, 180).Select(i => $"kata{i}"));
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var ack = await Submit(participants[i % participants.Count], id, $"Usulan {run} {i}: {padding} {Guid.NewGuid():N}");
            sent[ack.Id] = started;
        }

        var last = sent.Keys.Last();
        await reader.WaitFor(e => ItemsIn(e).Any(i => i.GetProperty("id").GetString() == last), 30);
        var received = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in reader.Events)
        {
            foreach (var item in ItemsIn(e))
            {
                received.TryAdd(item.GetProperty("id").GetString()!, e.ReceivedAt);
            }
        }

        var ms = sent.Select(kv => Stopwatch.GetElapsedTime(kv.Value, received[kv.Key]).TotalMilliseconds).Order().ToArray();
        return new Latency(ms[ms.Length / 2], ms[(int)(ms.Length * 0.95)], ms[^1]);
    }

    [Fact]
    public async Task PublicFeed_private_unlisted_and_draft_consultations_are_404_for_anonymous_readers_and_open_to_staff()
    {
        var draft = await CreateWithStatus("draft");
        var unlisted = await host.CreateConsultation();
        var hidden = await host.CreateConsultation();
        await Grain(unlisted).Update(new UpdateConsultation(null, null, null, ConsultationVisibility.Unlisted, null, null, Admin));
        await Grain(hidden).Update(new UpdateConsultation(null, null, null, ConsultationVisibility.Private, null, null, Admin));

        using var anonymous = host.Client();
        using var participant = await ParticipantClient();
        var unknown = ConsultationIds.New();
        using var unknownResponse = await anonymous.GetAsync($"/api/consultations/{unknown}/events");
        var unknownBody = await Problem(unknownResponse);
        foreach (var id in new[] { draft, unlisted, hidden })
        {
            foreach (var client in new[] { anonymous, participant })
            {
                using var response = await client.GetAsync($"/api/consultations/{id}/events");
                var body = await Problem(response);
                // The same answer as for a consultation that does not exist: nothing tells the two apart.
                Assert.Equal(Fields(unknownBody).Replace(unknown, id, StringComparison.Ordinal), Fields(body));
            }

            foreach (var role in new[] { "moderator", "official", "admin" })
            {
                await using var staff = await SseReader.Open(host, id, token: await host.StaffToken(role));
                var first = await staff.WaitFor(_ => true);
                Assert.Equal("consultation", first.Name);
                Assert.Equal(id, first.Json.GetProperty("id").GetString());
            }
        }

        foreach (var invalid in new[] { "not-a-consultation", "AAAAAAAA", "x" })
        {
            using var response = await anonymous.GetAsync($"/api/consultations/{invalid}/events");
            await Problem(response);
        }

        // A public consultation that goes private while read: the anonymous reader's stream ends.
        var open = await host.CreateConsultation();
        await using var reader = await SseReader.Open(host, open);
        await reader.WaitFor(e => e.Name == "consultation");
        await Grain(open).Update(new UpdateConsultation(null, null, null, ConsultationVisibility.Private, null, null, Admin));
        var ended = Stopwatch.StartNew();
        while (!reader.Ended && ended.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.True(reader.Ended);
        Assert.Single(reader.Events, e => e.Name == "consultation");
    }

    private static async Task<string> Problem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("urn:opengov-dialogue:problem:not-found", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        return body;
    }

    /// <summary>The problem's fields but the trace id, which differs per request.</summary>
    private static string Fields(string problem)
    {
        var root = JsonDocument.Parse(problem).RootElement;
        return string.Join('|', root.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));
    }

    private async Task<string> CreateWithStatus(string status)
    {
        using var admin = host.Client(await host.StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/consultations", new { title = "Rancangan", description = "Belum dibuka", status });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task PublicFeed_a_status_change_arrives_as_a_consultation_event_and_as_a_hub_message()
    {
        var id = await host.CreateConsultation();
        await using var reader = await SseReader.Open(host, id);
        await reader.WaitFor(e => e.Name == "consultation");

        var (token, _) = await host.Participant();
        await using var hub = host.Hub(token);
        var pushed = new TaskCompletionSource<ConsultationInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<ConsultationInfo>("consultation", info => pushed.TrySetResult(info));
        await hub.StartAsync();
        await hub.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

        // PATCH /api/consultations/{id} is being written on main; the grain call is what it will make.
        var closed = await Grain(id).Update(new UpdateConsultation(null, null, ConsultationStatus.Closed, null, null, null, Admin));

        await reader.WaitFor(e => e.Name == "consultation" && e.Json.GetProperty("status").GetString() == "closed");
        // The round's id (on its last event) covers the change.
        var covered = await reader.WaitFor(e => e.Id >= closed.LastSeq);
        Assert.Equal(closed.LastSeq, covered.Id);
        Assert.Equal(ConsultationStatus.Closed, (await pushed.Task.WaitAsync(TimeSpan.FromSeconds(10))).Status);

        // The lifecycle entry of the log rides along.
        Assert.Contains(reader.Events.Where(e => e.Name == "log").SelectMany(e => e.Json.EnumerateArray()), l => l.GetProperty("itemId").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task PublicFeed_a_rejection_arrives_as_a_log_event_with_the_reason_code_and_no_text()
    {
        var id = await host.CreateConsultation();
        await using var reader = await SseReader.Open(host, id);
        using var participant = await ParticipantClient();
        var ack = await Submit(participant, id, "Iklan: beli pulsa murah di sini");
        await reader.WaitFor(e => ItemsIn(e).Any(i => i.GetProperty("id").GetString() == ack.Id));

        using var moderator = host.Client(await host.StaffToken("moderator"));
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { ack.Id }, reason = "spam", note = "catatan internal moderator" })).EnsureSuccessStatusCode();

        var log = await reader.WaitFor(e => e.Name == "log");
        var entry = log.Json.EnumerateArray().Single();
        Assert.Equal("reject", entry.GetProperty("action").GetString());
        Assert.Equal("spam", entry.GetProperty("reason").GetString());
        Assert.Equal(ack.Id, entry.GetProperty("itemId").GetString());
        Assert.DoesNotContain("pulsa", log.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("catatan", log.Data, StringComparison.Ordinal);
        Assert.False(entry.TryGetProperty("text", out _));

        // The item itself goes out as the tombstone participants get: no text.
        var tombstone = reader.Events.SelectMany(ItemsIn).Last(i => i.GetProperty("id").GetString() == ack.Id);
        Assert.Equal("rejected", tombstone.GetProperty("status").GetString());
        Assert.Equal(string.Empty, tombstone.GetProperty("text").GetString());
        Assert.DoesNotContain(reader.Events, e => e.Data.Contains("catatan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublicFeed_a_deliberation_reader_gets_the_opinion_groups_without_the_map()
    {
        var id = await host.CreateConsultation(mode: "deliberation");
        await using var reader = await SseReader.Open(host, id);
        var opinion = await reader.WaitFor(e => e.Name == "opinion");
        Assert.Equal(id, opinion.Json.GetProperty("consultationId").GetString());
        Assert.Equal(0, opinion.Json.GetProperty("map").GetArrayLength());
        Assert.Equal("consultation", reader.Events[0].Name);
    }
}

/// <summary>A gateway that serves one feed reader at a time and sends keep-alives every second.</summary>
public sealed class OneReaderGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:StaffLoginsPerMinute"] = "100000",
        ["Dialogue:LiveFeed:MaxReaders"] = "1",
        ["Dialogue:LiveFeed:KeepAliveSeconds"] = "1",
    };
}

[Trait("Category", "http")]
public sealed class PublicFeedLimitTests(OneReaderGatewayHost host) : IClassFixture<OneReaderGatewayHost>
{
    [Fact]
    public async Task PublicFeed_beyond_the_reader_limit_is_503_with_Retry_After_and_an_idle_feed_gets_keep_alives()
    {
        var id = await host.CreateConsultation();
        using var first = host.Client();
        first.Timeout = Timeout.InfiniteTimeSpan;
        var response = await first.GetAsync($"/api/consultations/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
        {
            using var refused = await host.Client().GetAsync($"/api/consultations/{id}/events");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 10, 30);
            Assert.Equal("urn:opengov-dialogue:problem:unavailable", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());

            // Nothing happens in the consultation: a comment line comes every second all the same.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await reader.ReadLineAsync(timeout.Token) is { } line && line != ": keep-alive")
            {
            }

            Assert.False(timeout.IsCancellationRequested);
        }

        response.Dispose();

        // The slot is free again once the first reader has gone.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var again = await host.Client().GetAsync($"/api/consultations/{id}/events", HttpCompletionOption.ResponseHeadersRead);
            if (again.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "The reader slot was not released.");
            await Task.Delay(50);
        }
    }
}

/// <summary>A gateway whose reader queues never fill in a test: a reader is dropped by the stalled-write rule alone.</summary>
public sealed class StallGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new(DefaultSettings())
    {
        ["Dialogue:LiveFeed:QueueRounds"] = "100000",
        ["Dialogue:LiveFeed:StallSeconds"] = "2",
    };
}

[Collection(PublicFeedLatencyCollection.Name)]
[Trait("Category", "http")]
public sealed class PublicFeedStallTests(StallGatewayHost host, ITestOutputHelper output) : IClassFixture<StallGatewayHost>
{
    [Fact]
    public Task PublicFeed_a_reader_whose_socket_takes_nothing_for_the_stall_time_is_dropped() => PublicFeedTests.StalledReader(host, output);
}
