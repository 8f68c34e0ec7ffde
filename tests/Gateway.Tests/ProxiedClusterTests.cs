using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Auth;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Hosting;
using OpenGov.Dialogue.Gateway.Live;
using OpenGov.Dialogue.Storage.Postgres;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The deployment of docker/compose.yaml without containers (<see cref="ProcessTopology"/>): clients speak only to
/// nginx, as they would in production, and every kind of traffic the proxy must carry is exercised through it.
/// </summary>
[Trait("Category", "cluster")]
public sealed class ProxiedClusterTests(ProcessTopology topology, ITestOutputHelper output) : IClassFixture<ProcessTopology>
{
    private const int Participants = 12;
    private const int Submissions = 20;

    [Fact]
    public async Task Through_nginx_REST_SignalR_and_the_live_feed_work_and_both_gateways_serve()
    {
        Assert.Contains($"schema_version_before=0 schema_version={PostgresMigrations.LatestVersion} applied={PostgresMigrations.All.Count}", topology.MigrateOutput, StringComparison.Ordinal);
        Assert.Equal(2, await topology.ActiveSilos());
        using var proxy = new HttpClient { BaseAddress = topology.Proxy, Timeout = TimeSpan.FromSeconds(30) };

        proxy.DefaultRequestHeaders.Authorization = new("Bearer", await Token(proxy, new { key = GatewayHost.AdminKey, role = "admin", name = "Admin" }));
        using var created = await proxy.PostAsJsonAsync("/api/consultations", new { title = "Balai kota", mode = "qa", moderation = "post" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        proxy.DefaultRequestHeaders.Authorization = null;

        // Challenges are spread round robin, and the tokens are minted where this address hashes to (docker/nginx.conf):
        // half of the challenges were signed by the other gateway, accepted only because both share Dialogue:SigningKey.
        var tokens = new List<string>();
        for (var i = 0; i < Participants; i++)
        {
            tokens.Add(await Token(proxy, null));
        }

        await using var feed = await FeedReader.Open(topology.Proxy, id);
        Assert.Equal("text/event-stream", feed.ContentType);

        // SignalR as the web page connects: negotiate first, then the WebSocket (the hub's affinity keeps both on one gateway).
        var received = Enumerable.Range(0, Participants).Select(_ => new ConcurrentDictionary<string, bool>(StringComparer.Ordinal)).ToArray();
        var hubs = new List<HubConnection>();
        try
        {
            for (var i = 0; i < Participants; i++)
            {
                var seen = received[i];
                var token = tokens[i];
                var hub = new HubConnectionBuilder()
                    .WithUrl(new Uri(topology.Proxy, "/hubs/dialogue"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                    .AddJsonProtocol(o => GatewayApp.Configure(o.PayloadSerializerOptions))
                    .Build();
                hub.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
                {
                    foreach (var item in items)
                    {
                        seen[item.Id] = true;
                    }
                });
                hubs.Add(hub);
                using var start = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await hub.StartAsync(start.Token);
                await hub.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L, start.Token);
            }

            // Items from every participant, through the proxy, while everyone listens.
            var submitted = new List<(string Id, string Text)>();
            for (var i = 0; i < Submissions; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/consultations/{id}/items")
                {
                    Content = JsonContent.Create(new { clientId = $"p{i}", text = $"Pertanyaan lewat proxy {i}" }),
                };
                request.Headers.Authorization = new("Bearer", tokens[i % Participants]);
                using var response = await proxy.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, $"submission {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var ack = (await response.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!;
                submitted.Add((ack.Id, $"Pertanyaan lewat proxy {i}"));
            }

            // Every hub client receives every item live.
            await WaitUntil(() => received.All(seen => submitted.All(s => seen.ContainsKey(s.Id))), 20, () =>
                $"items each hub client received: {string.Join(", ", received.Select(r => r.Count))} of {submitted.Count}");

            // The feed reader gets them as they happen: its response is still open when the last one arrives.
            await WaitUntil(() => submitted.All(s => feed.Text.Contains(s.Text, StringComparison.Ordinal)), 20, () => $"feed so far:\n{feed.Text}");
            Assert.False(feed.Ended, "the live feed ended: nginx held the events until the response closed");

            // One more, alone: a few hundred bytes that a buffering proxy would sit on until more came.
            var clock = Stopwatch.StartNew();
            using (var last = new HttpRequestMessage(HttpMethod.Post, $"/api/consultations/{id}/items") { Content = JsonContent.Create(new { clientId = "last", text = "Satu lagi lewat proxy" }) })
            {
                last.Headers.Authorization = new("Bearer", tokens[0]);
                using var response = await proxy.SendAsync(last);
                response.EnsureSuccessStatusCode();
                submitted.Add(((await response.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!.Id, "Satu lagi lewat proxy"));
            }

            await WaitUntil(() => feed.Text.Contains("Satu lagi lewat proxy", StringComparison.Ordinal), 5, () => "the last event did not come through nginx on its own");
            output.WriteLine($"a single event through nginx: {clock.ElapsedMilliseconds} ms after its submission was sent");

            using var page = await proxy.GetAsync($"/api/consultations/{id}/items?after=0&limit=100");
            var items = (await page.Content.ReadFromJsonAsync<RestApiTests.ItemPageDto>(GatewayHost.Json))!;
            Assert.Equal(submitted.Select(s => s.Id).Order(), items.Items.Select(i => i.Id).Order());
        }
        finally
        {
            // nginx logs a WebSocket request when it closes.
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }

        var gateways = topology.Services.Values.Where(s => s.Target == "gateway").Select(s => $"127.0.0.1:{s.Ports["ASPNETCORE_HTTP_PORTS"]}").ToHashSet();
        var log = await AccessLogWith(l => l[1] == "/hubs/dialogue" && l[0] == "GET", Participants);
        output.WriteLine(string.Join('\n', log.Select(l => string.Join(' ', l))));

        // REST round robin: both gateways served submissions.
        var submissionsServedBy = log.Where(l => l[0] == "POST" && l[1].EndsWith("/items", StringComparison.Ordinal)).Select(l => l[3]).ToList();
        Assert.Equal(Submissions + 1, submissionsServedBy.Count);
        Assert.Equal(gateways.Order(), submissionsServedBy.Distinct().Order());

        // Each hub connection's negotiate and WebSocket reached the same gateway.
        var hubRequests = log.Where(l => l[1].StartsWith("/hubs/dialogue", StringComparison.Ordinal)).GroupBy(l => l[4]).ToList();
        Assert.Equal(Participants, hubRequests.Count);
        Assert.All(hubRequests, g =>
        {
            Assert.Contains(g, l => l[1] == "/hubs/dialogue/negotiate");
            Assert.Contains(g, l => l[1] == "/hubs/dialogue" && l[2] == "101");
            Assert.Single(g.Select(l => l[3]).Distinct());
        });
    }

    /// <summary>
    /// The per-address budget of new /lite identities (20 by default) through nginx from one address: the proxy sends
    /// every sign-up of an address to one gateway, so the budget holds once for the deployment (round robin gave
    /// each gateway its own budget: twice as many).
    /// </summary>
    [Fact]
    public async Task Through_nginx_one_address_gets_the_lite_identity_budget_once_not_once_per_gateway()
    {
        var budget = new DialogueOptions().LiteIdentitiesPerAddress;
        using var proxy = new HttpClient { BaseAddress = topology.Proxy, Timeout = TimeSpan.FromSeconds(30) };
        proxy.DefaultRequestHeaders.Authorization = new("Bearer", await Token(proxy, new { key = GatewayHost.AdminKey, role = "admin", name = "Admin" }));
        using var created = await proxy.PostAsJsonAsync("/api/consultations", new { title = "Balai warga", mode = "qa", moderation = "post" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // Phones open the page first (spread round robin), then join one after the other: round robin would
        // alternate the joins between the gateways.
        var phones = Enumerable.Range(0, 3 * budget).Select(_ => new LiteSession(topology.Proxy)).ToList();
        var joined = 0;
        HttpStatusCode last = default;
        try
        {
            foreach (var phone in phones)
            {
                Assert.Equal(HttpStatusCode.OK, (await phone.Get($"/lite?c={id}")).Status);
            }

            foreach (var phone in phones)
            {
                using var response = await phone.Post($"/lite/join?c={id}");
                last = response.StatusCode;
                if (last != HttpStatusCode.SeeOther)
                {
                    break;
                }

                joined++;
            }
        }
        finally
        {
            phones.ForEach(p => p.Dispose());
        }

        // The bucket refills by a tenth of the budget a minute; the run takes seconds.
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.InRange(joined, budget, budget + (budget / 10));

        var log = await AccessLogWith(l => l[0] == "POST" && l[1] == "/lite/join", joined + 1);
        var joinsServedBy = log.Where(l => l[0] == "POST" && l[1] == "/lite/join").Select(l => l[3]).Distinct().ToList();
        Assert.Single(joinsServedBy);
        var pagesServedBy = log.Where(l => l[0] == "GET" && l[1] is "/lite" or "/lite/").Select(l => l[3]).Distinct().ToList();
        Assert.Equal(2, pagesServedBy.Count);
    }

    /// <summary>
    /// The HEALTHCHECK commands of the Dockerfile, run as docker would run them, against the running processes; and the
    /// unauthenticated monitoring ports the images configure (silo 8081, gateway 9090) serve the scrape.
    /// </summary>
    [Fact]
    public async Task The_Dockerfile_healthchecks_pass_against_the_running_silos_and_gateways_and_fail_without_a_server()
    {
        var dockerfile = Dockerfile.Load();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var (name, (process, target, ports)) in topology.Services)
        {
            Assert.False(process.HasExited, $"{name} exited");
            var command = dockerfile.Stage(target).Healthcheck!;
            var environment = ports.ToDictionary(p => p.Key, p => p.Value.ToString(CultureInfo.InvariantCulture));
            var (exit, text) = await Run(command, environment);
            Assert.True(exit == 0, $"the {target} healthcheck failed against {name} ({string.Join(", ", environment)}): {text}");

            // Nothing listening: the probe fails instead of passing by default.
            var closed = ports.ToDictionary(p => p.Key, _ => Ports.Free().ToString(CultureInfo.InvariantCulture));
            Assert.NotEqual(0, (await Run(command, closed)).ExitCode);

            foreach (var (key, port) in ports.Where(p => p.Key is "Dialogue__SiloHttpPort" or "Dialogue__MetricsPort"))
            {
                using var scrape = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
                Assert.True(scrape.IsSuccessStatusCode, $"{name} {key}: /metrics answered {(int)scrape.StatusCode}");
                Assert.Contains("target_info", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(2, topology.Services.Values.Count(s => s.Ports.ContainsKey("Dialogue__MetricsPort")));
    }

    private static async Task<(int ExitCode, string Output)> Run(string[] command, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task<IReadOnlyList<string[]>> AccessLogWith(Func<string[], bool> line, int count)
    {
        IReadOnlyList<string[]> log = [];
        await WaitUntil(() => (log = topology.Nginx.AccessLog()).Count(line) >= count, 10, () => $"access log:\n{string.Join('\n', log.Select(l => string.Join(' ', l)))}");
        return log;
    }

    private static async Task WaitUntil(Func<bool> condition, int seconds, Func<string> what)
    {
        var deadline = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"not within {seconds} s: {what()}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string> Token(HttpClient http, object? staff)
    {
        using var response = staff is null ? await ParticipantProofClient.MintAsync(http) : await http.PostAsJsonAsync("/api/auth/token", staff);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A reader of the public live feed, keeping the raw text it has received so far.</summary>
    private sealed class FeedReader : IAsyncDisposable
    {
        private readonly HttpClient _client;
        private readonly HttpResponseMessage _response;
        private readonly StringBuilder _text = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _reading;

        private FeedReader(HttpClient client, HttpResponseMessage response, Stream body)
        {
            _client = client;
            _response = response;
            _reading = Read(body);
        }

        public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

        public bool Ended { get; private set; }

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public static async Task<FeedReader> Open(Uri proxy, string consultation)
        {
            // As a browser's EventSource: it offers compressed responses.
            var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { BaseAddress = proxy, Timeout = Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/consultations/{consultation}/events");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var headers = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return new FeedReader(client, response, await response.Content.ReadAsStreamAsync(headers.Token));
        }

        private async Task Read(Stream body)
        {
            var buffer = new byte[8192];
            try
            {
                while (await body.ReadAsync(buffer, _stop.Token) is var read and > 0)
                {
                    lock (_text)
                    {
                        _text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
            {
            }

            Ended = true;
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
}
