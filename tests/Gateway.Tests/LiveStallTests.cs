using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>A gateway that gives up on a hub connection after 3 s behind (the default is longer).</summary>
public sealed class HubStallGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:SubmissionsPerMinute"] = "10000",
        ["Dialogue:ParticipantTokensPerAddress"] = "1000000",
        ["Dialogue:AnonymousReadsPerMinute"] = "1000000",
        ["Dialogue:StaffLoginsPerMinute"] = "100000",
        ["Dialogue:Live:StalledSendSeconds"] = "3",
    };
}

/// <summary>
/// A hub connection that stops reading (a phone in a pocket, a tunnel) next to one that reads: the
/// reader's latency must not notice, and the stalled one is closed. Real Kestrel, real sockets.
/// </summary>
[Collection(PublicFeedLatencyCollection.Name)]
[Trait("Category", "http")]
public sealed class LiveStallTests(HubStallGatewayHost host, ITestOutputHelper output) : IClassFixture<HubStallGatewayHost>
{
    private const char RecordSeparator = '\u001e';

    [Fact]
    public async Task Hub_a_connection_that_stops_reading_does_not_delay_a_reader_beside_it_and_is_aborted()
    {
        var id = await host.CreateConsultation();
        var participants = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            participants.Add(host.Client((await host.Participant()).Token));
        }

        var received = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        await using var reader = host.Hub((await host.Participant()).Token);
        reader.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
        {
            var at = Stopwatch.GetTimestamp();
            foreach (var item in items)
            {
                received.TryAdd(item.Id, at);
            }
        });
        await reader.StartAsync();
        await reader.InvokeAsync<object>("Join", id, 0L);

        // Warm up (JIT, pools), then the control run without a stalled connection.
        await Latencies(participants, id, received, "pemanasan", 40);
        var control = await Latencies(participants, id, received, "tanpa", 300);

        // A hub connection over a socket with a 1 KB receive buffer that never reads, but pings so the
        // server does not time it out for silence: the server's writes to it back up.
        using var stalled = await StalledHubConnection.Open(host, id, (await host.Participant()).Token);
        var stallStarted = Stopwatch.StartNew();

        // Enough frames to fill what the kernel and the pipes buffer for it, so the server's writes to it back up.
        await Latencies(participants, id, received, "pengisi", 150);
        var withStalled = await Latencies(participants, id, received, "dengan", 300);
        var closedAfter = await stalled.WaitUntilClosed(TimeSpan.FromSeconds(30)) ? stallStarted.Elapsed : (TimeSpan?)null;

        output.WriteLine($"normal reader, 300 items of ~1.9 KB one after the other: without a stalled connection p50 {control.P50:F1} ms, p99 {control.P99:F1} ms, max {control.Max:F1} ms");
        output.WriteLine($"normal reader, 300 items of ~1.9 KB one after the other: with a stalled connection    p50 {withStalled.P50:F1} ms, p99 {withStalled.P99:F1} ms, max {withStalled.Max:F1} ms");
        output.WriteLine($"stalled connection closed by the server {closedAfter?.TotalSeconds:F1} s after it joined; it kept pinging: {stalled.PingsSent} pings");

        // 2× the control run's p99, plus 250 ms for a 2-core machine shared with builds and other tests:
        // one GC or a neighbour's compile moves a p99 by up to ~200 ms between runs (docs/live-feed.md), while
        // a sweep that waits for the stalled socket costs every reader seconds (5 s per sweep before #16).
        Assert.True(withStalled.P99 <= 2 * control.P99 + 250, $"p99 {withStalled.P99:F1} ms with a stalled connection against {control.P99:F1} ms without.");
        Assert.True(closedAfter is not null, "The server never closed the stalled connection.");
        foreach (var participant in participants)
        {
            participant.Dispose();
        }
    }

    private sealed record Latency(double P50, double P99, double Max);

    /// <summary>Submits <paramref name="count"/> items of ~1.9 KB one after the other; the time from sending each until the reader has it.</summary>
    private static async Task<Latency> Latencies(List<HttpClient> participants, string id, ConcurrentDictionary<string, long> received, string run, int count)
    {
        var padding = string.Join(' ', Enumerable.Range(0, 220).Select(i => $"kata{i}"));
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await participants[i % participants.Count].PostAsJsonAsync(
                $"/api/consultations/{id}/items", new { clientId = Guid.NewGuid().ToString("N"), text = $"Usulan {run} {i}: {padding}" });
            response.EnsureSuccessStatusCode();
            var ack = (await response.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!;
            sent[ack.Id] = started;
        }

        var deadline = Stopwatch.StartNew();
        while (sent.Keys.Any(k => !received.ContainsKey(k)) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        var ms = sent.Select(kv => Stopwatch.GetElapsedTime(kv.Value, received[kv.Key]).TotalMilliseconds).Order().ToArray();
        return new Latency(ms[ms.Length / 2], ms[(int)Math.Ceiling(ms.Length * 0.99) - 1], ms[^1]);
    }

    /// <summary>
    /// A SignalR JSON client spoken by hand over a WebSocket whose socket has a tiny receive buffer:
    /// it joins, then only ever sends pings.
    /// </summary>
    private sealed class StalledHubConnection : IDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly Socket _raw;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _pinging;
        private int _pings;

        private StalledHubConnection(ClientWebSocket socket, Socket raw)
        {
            _socket = socket;
            _raw = raw;
            _pinging = Ping();
        }

        public int PingsSent => Volatile.Read(ref _pings);

        public static async Task<StalledHubConnection> Open(GatewayHost host, string consultationId, string token)
        {
            Socket? raw = null;
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellationToken) =>
                {
                    raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024, NoDelay = true };
                    await raw.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(raw, ownsSocket: true);
                },
            };
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            var uri = new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = "/hubs/dialogue", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
            await socket.ConnectAsync(uri, new HttpMessageInvoker(handler), CancellationToken.None);
            await Send(socket, """{"protocol":"json","version":1}""");
            await Send(socket, $$"""{"type":1,"invocationId":"1","target":"Join","arguments":["{{consultationId}}",0]}""");

            // The join's answer is never read: give the server a moment to add the connection to the hall.
            await Task.Delay(500);
            return new StalledHubConnection(socket, raw!);
        }

        /// <summary>Reads at last, and reports whether the server ended the connection before the deadline.</summary>
        public async Task<bool> WaitUntilClosed(TimeSpan within)
        {
            using var deadline = new CancellationTokenSource(within);
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveAsync(buffer, deadline.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return true;
                    }
                }
            }
            catch (WebSocketException)
            {
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _pinging.Wait(TimeSpan.FromSeconds(5));
            _socket.Abort();
            _socket.Dispose();
            _raw.Dispose();
            _stop.Dispose();
        }

        private static Task Send(ClientWebSocket socket, string message) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

        private async Task Ping()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    await Task.Delay(1000, _stop.Token);
                    await Send(_socket, """{"type":6}""");
                    Interlocked.Increment(ref _pings);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
            }
        }
    }
}
