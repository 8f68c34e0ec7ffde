using System.Net.Http.Json;
using OpenGov.Dialogue.Contracts;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests.Cluster;

/// <summary>Cluster fault tests run one at a time: each starts its own four or five processes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFaultCollection
{
    public const string Name = "cluster faults";
}

/// <summary>
/// Faults real deployments see, on real processes and a real PostgreSQL: a silo or a gateway killed
/// mid-event, a silo paused past the membership timeout, a rolling restart. Each test keeps traffic
/// flowing through the fault and then checks that nothing acknowledged was lost or stored twice and
/// that every live client holds every published item exactly once. Recovery figures are printed.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
[Trait("Category", "cluster")]
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    private const int Participants = 8;

    [Fact]
    public async Task A_killed_silo_costs_seconds_and_loses_nothing_and_live_delivery_resumes_on_both_gateways_without_rejoining()
    {
        await using var rig = await ClusterRig.StartAsync(silos: 2, gateways: 2);
        await using var traffic = await SteadyTraffic(rig, consultations: 3);

        var killedAt = traffic.Now;
        await rig.Silos[0].KillAsync();
        var recovered = await WaitRecovered(traffic, killedAt, 40);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await traffic.StopAsync();

        var pause = traffic.LongestPause(killedAt, traffic.Now);
        Report($"silo SIGKILL: every participant acknowledged again {recovered:F1} s after the kill; longest pause a participant saw {pause:F1} s; {traffic.Failures} failed attempts retried");
        Assert.True(recovered <= 30, $"The service answered every participant again only {recovered:F1} s after the kill.");
        await AssertNothingLostOrDoubled(rig, traffic);
        Assert.All(traffic.Listeners, l => Assert.Equal(0, l.Rejoins));
    }

    [Fact]
    public async Task A_killed_gateways_clients_move_to_the_other_gateway_and_get_exactly_the_gap()
    {
        await using var rig = await ClusterRig.StartAsync(silos: 2, gateways: 2);
        await using var traffic = await SteadyTraffic(rig, consultations: 2);

        var killedAt = traffic.Now;
        await rig.Gateways[0].KillAsync();
        var recovered = await WaitRecovered(traffic, killedAt, 30);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await traffic.StopAsync();

        Report($"gateway SIGKILL: every participant acknowledged again {recovered:F1} s after the kill; longest pause {traffic.LongestPause(killedAt, traffic.Now):F1} s");
        Assert.True(recovered <= 30);
        await AssertNothingLostOrDoubled(rig, traffic);

        // The killed gateway's listeners joined again on the other one; the others never had to.
        Assert.All(traffic.Listeners.Where(l => l.Rejoins > 0), l => Assert.Equal(1, l.Gateway));
        Assert.Equal(traffic.Consultations.Count, traffic.Listeners.Count(l => l.Rejoins > 0));
    }

    [Fact]
    public async Task A_stopping_gateway_hands_its_live_clients_over_with_a_reconnect_hint_and_they_get_exactly_the_gap()
    {
        await using var rig = await ClusterRig.StartAsync(silos: 2, gateways: 2, new() { ["Dialogue__Live__HandoverSpreadMilliseconds"] = "500" });
        await using var traffic = await SteadyTraffic(rig, consultations: 2);

        var stoppedAt = traffic.Now;
        var stop = await rig.Gateways[0].StopGracefullyAsync();
        var recovered = await WaitRecovered(traffic, stoppedAt, 30);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await traffic.StopAsync();

        var moved = traffic.Listeners.Where(l => l.Rejoins > 0).ToList();
        Report($"gateway SIGTERM: stopped in {stop.TotalSeconds:F1} s; {moved.Count} live clients handed over ({moved.Sum(l => l.Hints)} hints); every participant acknowledged again {recovered:F1} s after the stop began");
        Assert.Equal(traffic.Consultations.Count, moved.Count);
        Assert.All(moved, l => Assert.Equal(1, l.Hints));
        Assert.All(moved, l => Assert.Equal(1, l.Gateway));
        await AssertNothingLostOrDoubled(rig, traffic);
    }

    [Fact]
    public async Task A_silo_paused_past_the_membership_timeout_is_declared_dead_its_grains_move_and_it_never_serves_again()
    {
        // Three silos: with two, the survivor gets no probes from the paused one, judges itself degraded
        // and does not vote (Orleans' local health check), so nobody declares the paused silo dead.
        await using var rig = await ClusterRig.StartAsync(silos: 3, gateways: 2, new()
        {
            ["Dialogue__MembershipProbeSeconds"] = "2",
        });
        await using var traffic = await SteadyTraffic(rig, consultations: 3);

        var paused = rig.Silos[0];
        var pausedAt = traffic.Now;
        paused.Pause();
        var declaredDead = await Within(60, async () => await rig.MembershipStatus(paused.SiloPort) == Membership.Dead);
        var declaredAfter = traffic.Now - pausedAt;
        var recovered = await WaitRecovered(traffic, pausedAt, 90);

        // Woken up, it reads that it was declared dead and stops instead of serving its old activations.
        paused.Resume();
        var exited = await Within(60, () => Task.FromResult(!paused.IsRunning));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await traffic.StopAsync();

        Report($"silo SIGSTOP: declared dead {declaredAfter:F1} s after the pause; every participant acknowledged again after {recovered:F1} s; the woken silo exited: {exited}");
        Assert.True(declaredDead, "The paused silo was never declared dead in the membership table.");
        Assert.True(exited, "The silo kept running after it woke up to find itself declared dead.");
        if (double.IsPositiveInfinity(recovered))
        {
            // Which participants were stuck, and how their attempts ended after the silo was declared dead.
            var stuck = traffic.AckTimes.Where(p => !p.Value.Any(t => t > pausedAt && t < pausedAt + declaredAfter + 90)).Select(p => p.Key).ToList();
            var after = traffic.Refusals.Where(r => r.SentAt > pausedAt + declaredAfter).GroupBy(r => (r.Status, Slow: r.Seconds > 9)).Select(g => $"{g.Key.Status}{(g.Key.Slow ? " (timed out)" : "")} × {g.Count()}");
            output.WriteLine($"stuck participants: {string.Join(", ", stuck)}; refusals after the declaration: {string.Join(", ", after)}");
        }

        Assert.True(recovered < double.PositiveInfinity, "The service did not answer every participant again while the silo was paused: its grains never moved.");
        await AssertNothingLostOrDoubled(rig, traffic);
    }

    [Fact]
    public async Task A_database_restart_answers_503_with_Retry_After_at_once_recovers_by_itself_and_retries_never_duplicate()
    {
        await using var rig = await ClusterRig.StartAsync(silos: 2, gateways: 2, ownServer: true);
        await using var traffic = await SteadyTraffic(rig, consultations: 2);

        var stoppedAt = traffic.Now;
        await rig.Server!.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        var startedAt = traffic.Now;
        await rig.Server.StartAsync();
        var recovered = await WaitRecovered(traffic, startedAt, 60);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await traffic.StopAsync();

        // While the database was down (a second after the stop, until the start): refused at once, as 503 problems with Retry-After.
        var down = traffic.Refusals.Where(r => r.SentAt > stoppedAt + 1 && r.SentAt + r.Seconds < startedAt).ToList();
        Report($"database restart: {down.Count} submissions refused while it was down (statuses {string.Join(", ", down.GroupBy(r => r.Status).Select(g => $"{g.Key} × {g.Count()}"))}; slowest answer {down.Select(r => r.Seconds).DefaultIfEmpty().Max():F2} s); every participant acknowledged again {recovered:F1} s after the start");
        Assert.NotEmpty(down);
        if (down.Any(r => r.Status != 503))
        {
            output.WriteLine(string.Join('\n', rig.Gateways.SelectMany(g => g.Output().Split('\n')).Where(l => l.Contains("Exception", StringComparison.Ordinal)).Distinct().Take(20)));
        }

        Assert.All(down, r =>
        {
            Assert.Equal(503, r.Status);
            Assert.True(r.RetryAfter);
            Assert.Equal("application/problem+json", r.MediaType);
            Assert.True(r.Seconds < 5, $"A refusal took {r.Seconds:F1} s.");
        });
        Assert.True(recovered <= 30, $"The service answered every participant again only {recovered:F1} s after the database was back.");
        await AssertNothingLostOrDoubled(rig, traffic);
    }

    [Fact]
    public async Task A_rolling_restart_of_every_silo_under_load_loses_nothing()
    {
        await using var rig = await ClusterRig.StartAsync(silos: 2, gateways: 2);
        await using var traffic = await SteadyTraffic(rig, consultations: 2);

        var startedAt = traffic.Now;
        var stops = new List<double>();
        foreach (var silo in rig.Silos)
        {
            stops.Add((await silo.StopGracefullyAsync()).TotalSeconds);
            silo.Start();
            await silo.WaitReadyAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        await traffic.StopAsync();
        var pause = traffic.LongestPause(startedAt, traffic.Now);
        Report($"rolling restart: graceful stops took {string.Join(" and ", stops.Select(s => $"{s:F1} s"))}; longest pause a participant saw {pause:F1} s");
        await AssertNothingLostOrDoubled(rig, traffic);
        Assert.True(pause <= 30, $"A participant waited {pause:F1} s.");
    }

    /// <summary>
    /// A measured figure: to the test's output, and to the file ./test.sh prints at the end of its run
    /// (DIALOGUE_TEST_FIGURES), so every run shows its recovery times.
    /// </summary>
    private void Report(string line)
    {
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("DIALOGUE_TEST_FIGURES") is { Length: > 0 } path)
        {
            lock (FiguresLock)
            {
                File.AppendAllText(path, $"{line}{Environment.NewLine}");
            }
        }
    }

    private static readonly Lock FiguresLock = new();

    /// <summary>New consultations with participants and live clients on every gateway, once traffic has flowed for a while and every participant has been answered.</summary>
    private static async Task<ClusterTraffic> SteadyTraffic(ClusterRig rig, int consultations)
    {
        var admin = await rig.AdminToken();
        var ids = new List<string>();
        for (var i = 0; i < consultations; i++)
        {
            ids.Add(await rig.CreateConsultation(admin, $"Musrenbang {i + 1}"));
        }

        var traffic = await ClusterTraffic.StartAsync(rig, ids, Participants);
        Assert.True(await Within(30, () => Task.FromResult(traffic.AckTimes.Count == Participants && traffic.AckTimes.Values.All(t => t.Count >= 3))),
            "The traffic never reached a steady state before the fault.");
        return traffic;
    }

    private static async Task<double> WaitRecovered(ClusterTraffic traffic, double from, int seconds)
    {
        await Within(seconds, () => Task.FromResult(!double.IsPositiveInfinity(traffic.RecoveredAfter(from))));
        return traffic.RecoveredAfter(from);
    }

    private static async Task<bool> Within(int seconds, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>
    /// What the store holds against what was acknowledged, and what every live client holds against
    /// what is published: every acknowledged item stored once, every acknowledged upvote counted (and
    /// none counted that was never sent), every listener with every published item and no (item, seq) twice.
    /// </summary>
    private async Task AssertNothingLostOrDoubled(ClusterRig rig, ClusterTraffic traffic)
    {
        var admin = await rig.AdminToken();
        using var http = new HttpClient { BaseAddress = rig.Gateways.First(g => g.IsRunning).Http };
        http.DefaultRequestHeaders.Authorization = new("Bearer", admin);
        var stored = new Dictionary<string, List<ItemView>>();
        foreach (var consultation in traffic.Listeners.Select(l => l.Consultation).Distinct())
        {
            var items = new List<ItemView>();
            for (long after = 0; ;)
            {
                var page = (await http.GetFromJsonAsync<RestApiTests.ItemPageDto>($"/api/consultations/{consultation}/items?after={after}&limit=500", GatewayHost.Json))!;
                items.AddRange(page.Items);
                after = page.LastSeq;
                if (!page.HasMore)
                {
                    break;
                }
            }

            stored[consultation] = items;
        }

        var acked = traffic.Acked.ToList();
        Assert.NotEmpty(acked);
        foreach (var (consultation, clientId, ack) in acked)
        {
            var item = Assert.Single(stored[consultation], i => i.Id == ack.Id);
            Assert.Contains(clientId, item.Text);
        }

        // Every submission was retried to an answer with its client id, so each text is stored exactly once.
        foreach (var (consultation, items) in stored)
        {
            var twice = items.GroupBy(i => i.Text).Where(g => g.Count() > 1).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} texts stored more than once in {consultation} ({items.Count} items), e.g. " +
                string.Join("; ", twice.Take(5).Select(g => string.Join(" | ", g.Select(i => $"{i.Id} seq {i.Seq} {i.Status} by {i.Author} '{i.Text}'")))));
            var shared = acked.Where(a => a.Consultation == consultation).GroupBy(a => a.Ack.Id).Where(g => g.Count() > 1).ToList();
            Assert.True(shared.Count == 0, $"{shared.Count} item ids acknowledged to more than one submission in {consultation}, e.g. " +
                string.Join("; ", shared.Take(5).Select(g => $"{g.Key} ('{items.Single(i => i.Id == g.Key).Text}', {items.Single(i => i.Id == g.Key).Status}): " +
                    string.Join(", ", g.Select(a => $"{a.ClientId} seq {a.Ack.Seq} {a.Ack.Status}")))));
            Assert.Equal(acked.Count(a => a.Consultation == consultation), items.Count);
        }

        var tried = traffic.VotesTried.ToList();
        var counted = traffic.VotesAcked.ToList();
        foreach (var (consultation, items) in stored)
        {
            foreach (var item in items)
            {
                Assert.InRange(
                    item.Votes.Up,
                    counted.Count(v => v.Consultation == consultation && v.Item == item.Id),
                    tried.Count(v => v.Consultation == consultation && v.Item == item.Id));
            }
        }

        // Live clients converge on what is published: each item, and no (item, seq) delivered twice.
        foreach (var listener in traffic.Listeners)
        {
            var published = stored[listener.Consultation].Where(i => i.Status == ItemStatus.Published).ToList();
            var complete = await Within(20, () => Task.FromResult(published.All(p => listener.Views.Any(v => v.Id == p.Id))));
            var views = listener.Views.ToArray();
            Assert.True(complete, $"A listener on gateway {listener.Gateway} misses {published.Count(p => views.All(v => v.Id != p.Id))} of {published.Count} published items.");
            var again = listener.Pushed.ToArray().GroupBy(v => (v.Id, v.Seq)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Id}@{g.Key.Seq} × {g.Count()}").ToList();
            Assert.True(again.Count == 0, $"A listener on gateway {listener.Gateway} was pushed {again.Count} item views more than once: {string.Join(", ", again.Take(10))}");
        }

        output.WriteLine($"checked: {acked.Count} acknowledged submissions, {counted.Count} acknowledged upvotes ({tried.Count} sent), {traffic.Listeners.Count} live clients");
    }
}
