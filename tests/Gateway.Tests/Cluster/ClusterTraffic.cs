using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Gateway.Hosting;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests.Cluster;

/// <summary>
/// Steady traffic over every gateway of a <see cref="ClusterRig"/>, as a hall of phones makes it:
/// participants submit and upvote at a steady pace and retry a failed submission with the same
/// client id on the next gateway, as the web page does; listeners follow each consultation live on
/// each gateway. Everything acknowledged and everything received is recorded for the checks.
/// </summary>
public sealed class ClusterTraffic : IAsyncDisposable
{
    private readonly ClusterRig _rig;
    private readonly IReadOnlyList<string> _consultations;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _participants = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private ClusterTraffic(ClusterRig rig, IReadOnlyList<string> consultations)
    {
        _rig = rig;
        _consultations = consultations;
    }

    public IReadOnlyList<string> Consultations => _consultations;

    /// <summary>Submissions the server acknowledged, by consultation.</summary>
    public ConcurrentBag<(string Consultation, string ClientId, SubmitItemResponse Ack)> Acked { get; } = [];

    /// <summary>Upvotes acknowledged, and every upvote attempted (acknowledged or not), as (consultation, item, voter).</summary>
    public ConcurrentBag<(string Consultation, string Item, int Voter)> VotesAcked { get; } = [];

    public ConcurrentBag<(string Consultation, string Item, int Voter)> VotesTried { get; } = [];

    public List<LiveListener> Listeners { get; } = [];

    /// <summary>Every submission attempt that was not acknowledged: when it was sent, how long the answer took, its status (0: no answer).</summary>
    public ConcurrentBag<Refusal> Refusals { get; } = [];

    public sealed record Refusal(double SentAt, double Seconds, int Status, bool RetryAfter, string? MediaType);

    /// <summary>Seconds on this run's clock of every acknowledgement, per participant (for pauses and recovery).</summary>
    public ConcurrentDictionary<int, ConcurrentQueue<double>> AckTimes { get; } = new();

    public int Failures => _failures;

    private int _failures;

    public double Now => _clock.Elapsed.TotalSeconds;

    public static async Task<ClusterTraffic> StartAsync(ClusterRig rig, IReadOnlyList<string> consultations, int participants, int pauseMs = 300)
    {
        var traffic = new ClusterTraffic(rig, consultations);
        var gateways = rig.Gateways.Select(g => g.Http!).ToList();
        foreach (var consultation in consultations)
        {
            foreach (var gateway in gateways)
            {
                var listener = new LiveListener(rig, consultation, gateways, gateways.IndexOf(gateway));
                await listener.StartAsync();
                traffic.Listeners.Add(listener);
            }
        }

        for (var i = 0; i < participants; i++)
        {
            var token = await rig.ParticipantToken(gateways[i % gateways.Count]);
            traffic._participants.Add(traffic.Participate(i, token, consultations[i % consultations.Count], gateways, pauseMs));
        }

        return traffic;
    }

    /// <summary>The longest time any participant went without an acknowledgement between <paramref name="from"/> and <paramref name="to"/> (seconds on this run's clock).</summary>
    public double LongestPause(double from, double to) =>
        AckTimes.Values.Max(times =>
        {
            var inWindow = times.Where(t => t >= from && t <= to).Order().ToList();
            var last = times.Where(t => t < from).DefaultIfEmpty(from).Max();
            var longest = 0.0;
            foreach (var t in inWindow)
            {
                longest = Math.Max(longest, t - last);
                last = t;
            }

            return Math.Max(longest, to - last);
        });

    /// <summary>Seconds from <paramref name="from"/> until every participant had an acknowledgement again.</summary>
    public double RecoveredAfter(double from) =>
        AckTimes.Values.Max(times => times.Where(t => t > from).DefaultIfEmpty(double.PositiveInfinity).Min()) - from;

    /// <summary>Stops the participants (each finishes the request it is in, retrying it to an answer).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_participants);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        foreach (var listener in Listeners)
        {
            await listener.DisposeAsync();
        }
    }

    private async Task Participate(int index, string token, string consultation, IReadOnlyList<Uri> gateways, int pauseMs)
    {
        var times = AckTimes.GetOrAdd(index, _ => new ConcurrentQueue<double>());
        var clients = gateways.Select(g =>
        {
            var http = new HttpClient { BaseAddress = g, Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return http;
        }).ToList();
        var gateway = index % gateways.Count;
        var voted = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(index);
        try
        {
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var clientId = $"p{index}-{n}";
                var body = new { clientId, text = $"Pertanyaan {clientId}: kapan jalan di RT {index} diperbaiki?" };

                // Retried with the same client id until answered, even after the stop: an unanswered
                // submission may have been stored, and the checks must know which.
                while (true)
                {
                    var sent = Now;
                    try
                    {
                        using var response = await clients[gateway].PostAsJsonAsync($"/api/consultations/{consultation}/items", body);
                        if (response.IsSuccessStatusCode)
                        {
                            var ack = (await response.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!;
                            Acked.Add((consultation, clientId, ack));
                            times.Enqueue(Now);
                            break;
                        }

                        Refusals.Add(new Refusal(sent, Now - sent, (int)response.StatusCode, response.Headers.RetryAfter is not null, response.Content.Headers.ContentType?.MediaType));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Refusals.Add(new Refusal(sent, Now - sent, 0, false, null));
                    }

                    Interlocked.Increment(ref _failures);
                    gateway = (gateway + 1) % gateways.Count;
                    await Task.Delay(200);
                }

                // An upvote for someone else's item in the same consultation, once per item.
                var candidates = Acked.Where(a => a.Consultation == consultation && !voted.Contains(a.Ack.Id)).Select(a => a.Ack.Id).ToList();
                if (candidates.Count > 0 && !_stop.IsCancellationRequested)
                {
                    var item = candidates[random.Next(candidates.Count)];
                    voted.Add(item);
                    VotesTried.Add((consultation, item, index));
                    try
                    {
                        using var vote = await clients[gateway].PostAsJsonAsync($"/api/consultations/{consultation}/items/{item}/votes", new { value = 1 });
                        if (vote.IsSuccessStatusCode)
                        {
                            VotesAcked.Add((consultation, item, index));
                            times.Enqueue(Now);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                    }
                }

                try
                {
                    await Task.Delay(pauseMs, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// A live client of one consultation on one gateway: keeps every item view pushed to it; when its
    /// connection is lost it joins again on the next gateway from the last sequence number it saw, as
    /// the web page does.
    /// </summary>
    public sealed class LiveListener(ClusterRig rig, string consultation, IReadOnlyList<Uri> gateways, int gateway) : IAsyncDisposable
    {
        private readonly SemaphoreSlim _rejoin = new(1, 1);
        private HubConnection? _connection;
        private volatile bool _disposed;
        private string? _token;

        public string Consultation => consultation;

        public int Gateway { get; private set; } = gateway;

        /// <summary>Every item view this listener holds: pushed in live frames, or returned by a join.</summary>
        public ConcurrentQueue<ItemView> Views { get; } = new();

        /// <summary>The item views the gateways pushed in live frames only: the feed must never push an (item, seq) twice.</summary>
        public ConcurrentQueue<ItemView> Pushed { get; } = new();

        /// <summary>Times this listener had to join again (connection lost).</summary>
        public int Rejoins => _rejoins;

        private int _rejoins;

        /// <summary>Reconnect hints received from a stopping gateway.</summary>
        public int Hints => _hints;

        private int _hints;

        public long LastSeq => Views.IsEmpty ? 0 : Views.Max(v => v.Seq);

        public async Task StartAsync()
        {
            _token = await rig.ParticipantToken(gateways[Gateway]);
            await Connect(0);
        }

        public async ValueTask DisposeAsync()
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }

        private async Task Connect(long afterSeq)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(gateways[Gateway], "/hubs/dialogue"), o => o.AccessTokenProvider = () => Task.FromResult(_token))
                .AddJsonProtocol(o => GatewayApp.Configure(o.PayloadSerializerOptions))
                .Build();
            connection.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
            {
                foreach (var item in items)
                {
                    Pushed.Enqueue(item);
                    Views.Enqueue(item);
                }
            });
            connection.On<ReconnectHint>(ReconnectHint.Method, _ => Interlocked.Increment(ref _hints));
            connection.Closed += _ => _disposed ? Task.CompletedTask : Rejoin();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await connection.StartAsync(timeout.Token);
            // The hub joins the live group before it reads the gap, so a change can come both in a live frame and in
            // the join's answer, in either order; clients keep one copy (the web page's ItemStore does). The join's
            // copies are not pushes: the check that the feed never pushes an (item, seq) twice reads Pushed.
            var joined = await connection.InvokeAsync<JoinResponse>("Join", consultation, afterSeq, timeout.Token);
            foreach (var item in joined.Items.Where(i => !Views.Any(v => v.Id == i.Id && v.Seq == i.Seq)))
            {
                Views.Enqueue(item);
            }

            _connection = connection;
        }

        private async Task Rejoin()
        {
            await _rejoin.WaitAsync();
            try
            {
                Interlocked.Increment(ref _rejoins);
                for (var attempt = 0; !_disposed; attempt++)
                {
                    Gateway = (Gateway + 1) % gateways.Count;
                    try
                    {
                        await Connect(LastSeq);
                        return;
                    }
                    catch (Exception)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (1 << Math.Min(attempt, 5))) * (0.5 + Random.Shared.NextDouble())));
                    }
                }
            }
            finally
            {
                _rejoin.Release();
            }
        }
    }
}
