using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Live;
using Orleans.Core.Internal;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>A gateway whose renew loop waits two minutes (the longest allowed): the tests drive its rounds (RenewOnce), so no round races what they arrange.</summary>
public sealed class ResubscribeGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:SubmissionsPerMinute"] = "1000",
        ["Dialogue:ParticipantTokensPerAddress"] = "1000000",
        ["Dialogue:AnonymousReadsPerMinute"] = "1000000",
        ["Dialogue:StaffLoginsPerMinute"] = "100000",
        ["Dialogue:Live:ResubscribeSeconds"] = "120",
    };
}

/// <summary>Subscriptions to consultation grains outlive the grain's activation and the renew loop's rounds.</summary>
[Trait("Category", "http")]
public sealed class LiveResubscribeTests(ResubscribeGatewayHost host) : IClassFixture<ResubscribeGatewayHost>
{
    /// <summary>A hub client that keeps every item view it is pushed, in arrival order.</summary>
    private sealed class Recorder
    {
        public ConcurrentQueue<ItemView> Views { get; } = new();

        public static async Task<(HubConnection Connection, Recorder Recorder)> Join(GatewayHost host, string id)
        {
            var recorder = new Recorder();
            var connection = host.Hub((await host.Participant()).Token);
            connection.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
            {
                foreach (var item in items)
                {
                    recorder.Views.Enqueue(item);
                }
            });
            await connection.StartAsync();
            await connection.InvokeAsync<JoinResponse>("Join", id, 0L);
            return (connection, recorder);
        }

        public async Task<TimeSpan> WaitFor(string itemId, int seconds)
        {
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                if (Views.Any(v => v.Id == itemId))
                {
                    return waited.Elapsed;
                }

                await Task.Delay(20);
            }

            throw new TimeoutException($"Item {itemId} did not arrive in {seconds} s.");
        }
    }

    [Fact]
    public async Task Hub_changes_made_while_the_grain_was_reactivated_arrive_within_seconds_in_order_without_duplicates()
    {
        var gaps = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == LiveMetrics.MeterName && instrument.Name == "dialogue.live.gaps_resent")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref gaps, value));
        listener.Start();

        var id = await host.CreateConsultation();
        using var participant = host.Client((await host.Participant()).Token);
        var (connection, recorder) = await Recorder.Join(host, id);
        await using var _ = connection;
        var first = await Submit(participant, id, "Sebelum: kapan jembatan diperbaiki?");
        await recorder.WaitFor(first.Id, 10);

        // The grain goes away (as on a silo restart or rebalancing) and with it the gateway's observer.
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var grain = grains.GetGrain<IConsultationGrain>(id);
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        // Wait until the old activation is really gone (on a loaded machine this takes a while): changes sent to it
        // would still reach its observer, and there would be no gap to test.
        // A background call (the feed's renewal, a regrouping) can activate it again at once; asking again each second
        // gets a moment in which no activation is left, which is all the gap needs.
        var management = grains.GetGrain<IManagementGrain>(0);
        var deadline = Stopwatch.StartNew();
        var asked = Stopwatch.StartNew();
        while ((await management.GetDetailedGrainStatistics()).Any(s => s.GrainId == grain.GetGrainId()))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(45), "The consultation grain was never deactivated.");
            if (asked.Elapsed > TimeSpan.FromSeconds(1))
            {
                await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
                asked.Restart();
            }

            await Task.Delay(50);
        }

        // Made by the next activation, which knows no observer yet: the gap.
        var inGap = new List<SubmitItemResponse>();
        for (var i = 0; i < 3; i++)
        {
            inGap.Add(await Submit(participant, id, $"Selama celah {i}: lampu jalan mati"));
        }

        using (var voter = host.Client((await host.Participant()).Token))
        {
            using var vote = await voter.PostAsJsonAsync($"/api/consultations/{id}/items/{first.Id}/votes", new { value = 1 });
            vote.EnsureSuccessStatusCode();
        }

        // The next renewal round (every Dialogue:Live:ResubscribeSeconds, 5 s by default) finds the new activation.
        await host.Services.GetRequiredService<ConsultationFeed>().RenewOnce();
        var gapArrived = await recorder.WaitFor(inGap[^1].Id, 10);
        var after = Stopwatch.StartNew();
        var later = await Submit(participant, id, "Sesudah: terima kasih");
        await recorder.WaitFor(later.Id, 5);
        var laterArrived = after.Elapsed;

        Assert.True(Interlocked.Read(ref gaps) >= 1, "The gateway never fetched a gap: the grain was not reactivated, or the gap came some other way.");
        Assert.True(laterArrived < TimeSpan.FromSeconds(3), $"A change after the reactivation took {laterArrived}.");
        Assert.True(gapArrived < TimeSpan.FromSeconds(8), $"The gap took {gapArrived}.");

        var views = recorder.Views.ToArray();
        Assert.All(inGap, ack => Assert.Contains(views, v => v.Id == ack.Id && v.Seq == ack.Seq));
        Assert.Equal(views.Length, views.Select(v => (v.Id, v.Seq)).Distinct().Count());
        Assert.Equal(views.Select(v => v.Seq).Order(), views.Select(v => v.Seq));

        // The vote in the gap reached the client in the item's view.
        Assert.Equal(1, views.Where(v => v.Id == first.Id).MaxBy(v => v.Seq)!.Votes.Up);
    }

    [Fact]
    public async Task Hub_a_consultation_joined_while_the_renew_loop_runs_is_never_dropped()
    {
        var id = await host.CreateConsultation();
        var feed = host.Services.GetRequiredService<ConsultationFeed>();
        using var participant = host.Client((await host.Participant()).Token);
        for (var round = 0; round < 15; round++)
        {
            // Nobody watches: a renewal round would close the subscription. The join races it.
            var renewing = Task.Run(async () =>
            {
                for (var i = 0; i < 5; i++)
                {
                    await feed.RenewOnce();
                }
            });
            var (connection, recorder) = await Recorder.Join(host, id);
            await renewing;
            await feed.RenewOnce();
            Assert.True(feed.IsSubscribed(id), $"Round {round}: the subscription was dropped under a watcher.");
            var ack = await Submit(participant, id, $"Putaran {round}");
            await recorder.WaitFor(ack.Id, 5);
            await connection.DisposeAsync();
            var deadline = Stopwatch.StartNew();
            while (feed.Watchers(id) > 0 && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(10);
            }
        }
    }

    private static async Task<SubmitItemResponse> Submit(HttpClient participant, string id, string text)
    {
        using var response = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = Guid.NewGuid().ToString("N"), text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SubmitItemResponse>(GatewayHost.Json))!;
    }
}
