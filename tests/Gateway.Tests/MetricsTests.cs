using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The real gateway as a process of its own (its meters are not shared with the other test classes' gateways), with its
/// unauthenticated metrics port open (Dialogue:MetricsPort).
/// </summary>
public sealed class MetricsGatewayHost : GatewayHost
{
    public MetricsGatewayHost()
    {
        OwnProcess = true;
        Settings = new(base.Settings) { ["Dialogue:MetricsPort"] = MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    public int MetricsPort { get; } = Ports.Free();

    public override Dictionary<string, string?> Settings { get; }
}

/// <summary>
/// <c>/metrics</c> and <c>/health/*</c> on a real gateway (co-hosted silo, SQLite): the scrape after real REST and
/// SignalR traffic, checked by promtool, and who may read it on which port.
/// </summary>
[Trait("Category", "cluster")]
public sealed class MetricsTests(MetricsGatewayHost host) : IClassFixture<MetricsGatewayHost>
{
    [Fact]
    public async Task Scrape_after_real_traffic_passes_promtool_and_counts_items_votes_frames_and_journal_appends()
    {
        using var admin = host.Client(await host.StaffToken());
        var before = await Scrape.FetchAsync(admin);

        var id = await host.CreateConsultation();
        var (watcherToken, _) = await host.Participant();
        var seen = new ConcurrentDictionary<string, long>();
        await using var watcher = host.Hub(watcherToken);
        watcher.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, updates) =>
        {
            foreach (var item in items)
            {
                seen[item.Id] = item.Votes.Up;
            }

            foreach (var update in updates)
            {
                seen[update.Id] = update.Votes.Up;
            }
        });
        await watcher.StartAsync();
        await watcher.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

        var (askerToken, _) = await host.Participant();
        var (voterToken, _) = await host.Participant();
        using var asker = host.Client(askerToken);
        using var voter = host.Client(voterToken);
        const int Items = 3;
        for (var i = 0; i < Items; i++)
        {
            using var submitted = await asker.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"m{i}", text = $"Kapan jalan di RT {i} diperbaiki?" });
            submitted.EnsureSuccessStatusCode();
            var item = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            using var voted = await voter.PostAsJsonAsync($"/api/consultations/{id}/items/{item}/votes", new { value = 1 });
            voted.EnsureSuccessStatusCode();
        }

        // The watcher has every item with its vote live before the scrape.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(seen.Count == Items && seen.Values.All(up => up == 1)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The hub client saw {seen.Count} of {Items} items with their votes within 15 s.");
            await Task.Delay(50);
        }

        var after = await Scrape.FetchAsync(admin);
        await after.AssertPromtoolAcceptsAsync();

        // The gateway is a process of its own: the items and votes counted are exactly this test's.
        Assert.Equal((double)Items, after.Sum("dialogue_items_submitted_total") - before.Sum("dialogue_items_submitted_total"));
        Assert.Equal((double)Items, after.Sum("dialogue_votes_applied_total") - before.Sum("dialogue_votes_applied_total"));
        AssertGrew(before, after, "dialogue_scoring_duration_seconds_count", Items);
        AssertGrew(before, after, "dialogue_journal_append_duration_seconds_count", 2 * Items);
        AssertGrew(before, after, "dialogue_live_frames_sent_total", 1);
        AssertGrew(before, after, "dialogue_live_sweep_duration_seconds_count", 1);
        Assert.True(after.Sum("dialogue_journal_append_duration_seconds_sum") > before.Sum("dialogue_journal_append_duration_seconds_sum"));
        Assert.True(after.Sum("dialogue_live_connections", "transport=\"hub\"") >= 1, "the watcher's hub connection is open");
        Assert.True(after.Sum("dialogue_moderation_queue_length") >= Items, "post-moderated items wait for review");

        // Orleans' and ASP.NET Core's own meters are in the same scrape.
        Assert.True(after.HasPrefix("orleans_"), "Orleans metrics in the scrape");
        Assert.True(after.Sum("http_server_request_duration_seconds_count") > 0, "ASP.NET Core hosting metrics in the scrape");
        Assert.True(after.Has("kestrel_active_connections"), "Kestrel metrics in the scrape");
        Assert.True(after.Sum("signalr_server_active_connections") >= 1, "SignalR connection metrics in the scrape");
    }

    [Fact]
    public async Task Metrics_need_an_admin_token_on_the_main_port_and_none_on_the_metrics_port()
    {
        using var anonymous = host.Client();
        await AssertRefused(await anonymous.GetAsync("/metrics"), HttpStatusCode.Unauthorized);
        await AssertRefused(await host.Client((await host.Participant()).Token).GetAsync("/metrics"), HttpStatusCode.Forbidden);
        await AssertRefused(await host.Client(await host.StaffToken("moderator")).GetAsync("/metrics"), HttpStatusCode.Forbidden);

        using var metricsPort = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.MetricsPort}") };
        var scrape = await Scrape.FetchAsync(metricsPort);
        Assert.True(scrape.HasPrefix("orleans_"), "the metrics port serves the same scrape");

        // That port serves the scrape and nothing else; the main port still refuses it without a token.
        Assert.Equal(HttpStatusCode.NotFound, (await metricsPort.GetAsync("/api/consultations")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await metricsPort.GetAsync("/health")).StatusCode);
        await AssertRefused(await anonymous.GetAsync("/metrics"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Live_and_ready_answer_200_and_health_stays_an_alias_of_ready()
    {
        using var http = host.Client();
        foreach (var (path, status) in new[] { ("/health/live", "live"), ("/health/ready", "ready"), ("/health", "ready") })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(status, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
    }

    private static void AssertGrew(Scrape before, Scrape after, string name, double atLeast)
    {
        Assert.True(after.Has(name), $"{name} is missing from the scrape");
        var grown = after.Sum(name) - before.Sum(name);
        Assert.True(grown >= atLeast, $"{name} grew by {grown}, expected at least {atLeast}");
    }

    private static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("dialogue_", body, StringComparison.Ordinal);
        }
    }
}
