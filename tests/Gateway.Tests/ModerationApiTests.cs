using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;
using OpenGov.Dialogue.Gateway.Moderation;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>Moderation over HTTP and SignalR; run once per storage (StorageSpecs.cs).</summary>
public abstract class ModerationApiTests(GatewayHost host)
{
    private async Task<(string Consultation, string ItemId, string AuthorToken)> PublishedItem(string moderation = "post")
    {
        var id = await host.CreateConsultation(moderation: moderation);
        var (token, _) = await host.Participant();
        using var client = host.Client(token);
        using var response = await client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "q", text = "Kapan pasar direnovasi?" });
        var itemId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (id, itemId, token);
    }

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in new[] { "anonymous", "participant", "moderator", "official", "admin" })
        {
            foreach (var action in new[] { "queue", "approve", "reject", "highlight", "answer", "sanction", "appeal", "log" })
            {
                data.Add(role, action);
            }
        }

        return data;
    }

    /// <summary>Every role against every action: who may, who gets 401/403; "log" is public.</summary>
    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Authorization_matrix_role_by_action(string role, string action)
    {
        var (id, item, _) = await PublishedItem();
        var token = role switch
        {
            "anonymous" => null,
            "participant" => (await host.Participant()).Token,
            _ => await host.StaffToken(role),
        };
        using var client = host.Client(token);
        using var response = action switch
        {
            "queue" => await client.GetAsync($"/api/consultations/{id}/queue"),
            "approve" => await client.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "approve", itemIds = new[] { item } }),
            "reject" => await client.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { item }, reason = "spam" }),
            "highlight" => await client.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "highlight", itemIds = new[] { item } }),
            "answer" => await client.PostAsJsonAsync($"/api/consultations/{id}/items/{item}/answer", new { text = "Jawaban resmi" }),
            "sanction" => await client.PostAsJsonAsync($"/api/consultations/{id}/sanctions", new { itemId = item, kind = "mute", reason = "spam", minutes = 5 }),
            "appeal" => await client.PostAsJsonAsync($"/api/consultations/{id}/items/{item}/appeal", new { text = "tolong" }),
            _ => await client.GetAsync($"/api/consultations/{id}/moderation-log"),
        };

        var allowed = (role, action) switch
        {
            (_, "log") => true,
            ("moderator" or "admin", "queue" or "approve" or "reject" or "highlight" or "sanction") => true,
            ("official", "highlight" or "answer") => true,
            ("admin", "answer") => true,
            _ => false,
        };
        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (action is "approve" or "reject" or "highlight")
            {
                Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("ok").GetBoolean());
            }
        }
        else if (role == "participant" && action == "appeal")
        {
            // A participant may appeal, but only their own rejected item: someone else's is not found.
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        else
        {
            Assert.Equal(role == "anonymous" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("post", "reject")]
    [InlineData("pre", null)]
    public async Task An_official_cannot_publish_a_rejected_or_unreviewed_text_by_marking_it_answered(string moderation, string? first)
    {
        var (id, item, _) = await PublishedItem(moderation);
        if (first is not null)
        {
            using var moderator = host.Client(await host.StaffToken("moderator"));
            (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = first, itemIds = new[] { item }, reason = "abuse" })).EnsureSuccessStatusCode();
        }

        using var official = host.Client(await host.StaffToken("official"));
        using var response = await official.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "mark-answered", itemIds = new[] { item } });
        var outcome = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0];
        Assert.False(outcome.GetProperty("ok").GetBoolean());
        Assert.Equal("invalid-action", outcome.GetProperty("error").GetString());
        using var anonymous = host.Client();
        var page = await anonymous.GetFromJsonAsync<RestApiTests.ItemPageDto>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.DoesNotContain(page!.Items, i => i.Id == item && i.Text.Length > 0);
    }

    [Fact]
    public async Task Items_of_one_consultation_cannot_be_reached_through_another()
    {
        var (first, item, _) = await PublishedItem();
        var (second, _, _) = await PublishedItem();
        await host.Client(await host.StaffToken("moderator")).PostAsJsonAsync($"/api/consultations/{second}/moderation", new { action = "reject", itemIds = new[] { "i1" }, reason = "spam" });
        using var moderator = host.Client(await host.StaffToken("moderator"));
        var view = await moderator.GetFromJsonAsync<RestApiTests.ItemPageDto>($"/api/consultations/{first}/items", GatewayHost.Json);

        Assert.Equal(ItemStatus.Published, view!.Items.Single(i => i.Id == item).Status);
    }

    [Fact]
    public async Task Bad_moderation_requests_get_problem_details()
    {
        var (id, item, _) = await PublishedItem();
        using var moderator = host.Client(await host.StaffToken("moderator"));
        using var unknownAction = await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "delete-everything", itemIds = new[] { item } });
        using var noReason = await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { item } });
        using var tooMany = await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "approve", itemIds = Enumerable.Range(1, 51).Select(i => $"i{i}").ToArray() });
        using var badKind = await moderator.PostAsJsonAsync($"/api/consultations/{id}/sanctions", new { itemId = item, kind = "exile", reason = "spam" });

        Assert.Equal(HttpStatusCode.BadRequest, unknownAction.StatusCode);
        Assert.Equal("urn:opengov-dialogue:problem:invalid-reason", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        var log = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log");
        Assert.Empty(log.GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task Anonymous_log_verification_is_one_read_per_last_seq_and_staff_always_read_afresh()
    {
        var (id, item, _) = await PublishedItem();
        using var moderator = host.Client(await host.StaffToken("moderator"));
        await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "pin", itemIds = new[] { item } });

        var first = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log/verify");
        await Task.Delay(20);
        var second = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log/verify");
        Assert.True(first.GetProperty("valid").GetBoolean());
        Assert.Equal(first.GetProperty("verifiedAt").GetDateTimeOffset(), second.GetProperty("verifiedAt").GetDateTimeOffset());

        var staff = await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log/verify");
        Assert.True(staff.GetProperty("verifiedAt").GetDateTimeOffset() > first.GetProperty("verifiedAt").GetDateTimeOffset());

        // A new entry moves the last sequence number: the next anonymous read verifies again, up to it.
        await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "unpin", itemIds = new[] { item } });
        var third = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log/verify");
        Assert.True(third.GetProperty("upToSeq").GetInt64() > first.GetProperty("upToSeq").GetInt64());
        Assert.Equal(first.GetProperty("entries").GetInt32() + 1, third.GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task Public_log_has_pseudonyms_and_reasons_but_no_texts_and_verifies()
    {
        var (id, item, _) = await PublishedItem();
        using var moderator = host.Client(await host.StaffToken("moderator"));
        await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { item }, reason = "personal_data", note = "Berisi nomor telepon 0812-7733-9041" });

        var raw = await host.Client().GetStringAsync($"/api/consultations/{id}/moderation-log");
        var verify = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log/verify");

        Assert.Contains("personal_data", raw, StringComparison.Ordinal);
        Assert.Contains("Warga-", raw, StringComparison.Ordinal);
        // The whole number: a short digit run could occur by chance inside a hash of the log.
        Assert.DoesNotContain("0812-7733-9041", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("nomor telepon", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("pasar", raw, StringComparison.Ordinal);
        Assert.DoesNotMatch("\"p[0-9a-f]{32}\"", raw);
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.Equal(1, verify.GetProperty("entries").GetInt32());
    }

    [Fact]
    public async Task Moderators_see_new_items_live_in_their_queue_and_an_answer_reaches_the_author_live()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var moderatorToken = await host.StaffToken("moderator");
        var queueSeen = new ConcurrentDictionary<string, ItemView>();
        await using var moderator = host.Hub(moderatorToken);
        moderator.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
        {
            foreach (var item in items)
            {
                queueSeen[item.Id] = item;
            }
        });
        await moderator.StartAsync();
        await moderator.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

        var (authorToken, _) = await host.Participant();
        var notifications = new ConcurrentQueue<Notification>();
        await using var author = host.Hub(authorToken);
        author.On<Notification>("notification", notifications.Enqueue);
        await author.StartAsync();
        await author.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);
        var ack = await author.InvokeAsync<SubmitItemResponseDto>(nameof(DialogueHub.Submit), id, "a1", "Apakah ada beasiswa untuk SMA?");

        var queued = await Eventually(() => queueSeen.GetValueOrDefault(ack.Id));
        Assert.True(queued.Review!.NeedsReview);

        var result = await moderator.InvokeAsync<ModerationResult>(nameof(DialogueHub.Moderate), id, new ModerationRequest("approve", [ack.Id]));
        Assert.True(result.Items.Single().Ok);
        await Eventually(() => queueSeen.GetValueOrDefault(ack.Id) is { Review.NeedsReview: false } v ? v : null);

        await using var official = host.Hub(await host.StaffToken("official"));
        await official.StartAsync();
        var answered = await official.InvokeAsync<ItemView>(nameof(DialogueHub.Answer), id, ack.Id, new AnswerRequest("Ada, pendaftaran dibuka Maret.", "accepted", "Dinas Pendidikan", "2027-03-01"));
        Assert.Equal(ItemStatus.Answered, answered.Status);

        var notification = await Eventually(() => notifications.FirstOrDefault(n => n.Kind == "answered"));
        Assert.Equal(ack.Id, notification.ItemId);
        using var rest = host.Client(authorToken);
        var stored = await rest.GetFromJsonAsync<List<Notification>>("/api/me/notifications", GatewayHost.Json);
        Assert.Contains(stored!, n => n.Kind == "answered" && !n.Read);
    }

    [Fact]
    public async Task Answer_status_is_read_in_the_spelling_it_is_written_and_a_bad_one_changes_nothing()
    {
        var (id, first, _) = await PublishedItem();
        var (other, second, _) = await PublishedItem();
        using var official = host.Client(await host.StaffToken("official"));

        using var bad = await official.PostAsJsonAsync($"/api/consultations/{id}/items/{first}/answer", new { text = "Sedang dikaji.", status = "maybe" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var listed = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/items");
        var untouched = listed.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == first);
        Assert.Equal("published", untouched.GetProperty("status").GetString());
        Assert.False(untouched.TryGetProperty("answer", out _));

        // Kebab-case as every enum in responses; the older snake_case spelling keeps working.
        foreach (var (consultation, item, spelling) in new[] { (id, first, "under-review"), (other, second, "under_review") })
        {
            using var response = await official.PostAsJsonAsync($"/api/consultations/{consultation}/items/{item}/answer", new { text = "Sedang dikaji.", status = spelling });
            response.EnsureSuccessStatusCode();
            var answered = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("under-review", answered.GetProperty("answer").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Presenter_screen_receives_the_highlighted_item()
    {
        var (id, item, _) = await PublishedItem();
        var frames = new ConcurrentQueue<PresenterFrame>();
        await using var presenter = host.Hub((await host.Participant()).Token);
        presenter.On<PresenterFrame>("presenter", frames.Enqueue);
        await presenter.StartAsync();
        var first = await presenter.InvokeAsync<PresenterFrame>(nameof(DialogueHub.JoinPresenter), id);
        Assert.Null(first.Highlighted);

        using var official = host.Client(await host.StaffToken("official"));
        await official.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "highlight", itemIds = new[] { item } });

        var frame = await Eventually(() => frames.FirstOrDefault(f => f.Highlighted is not null));
        Assert.Equal(item, frame.Highlighted!.Id);
    }

    private static readonly string[] CampaignCopies =
    [
        "Kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami",
        "Selamat pagi, kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami",
        "Kami warga menolak rencana pembangunan pabrik semen dekat sumber mata air desa karena mengancam sawah kami. Terima kasih.",
        "kami warga menolak rencana pembanguan pabrik semen di dekat sumber mata air desa karena mengancam sawah kami!",
        "Mohon maaf, kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam sawah",
    ];

    /// <summary>Five participants post copies of one text, one organic question comes too; returns the copies' item ids and a participant token.</summary>
    private async Task<(List<string> Burst, string Organic, string ParticipantToken)> PlantBurst(string id)
    {
        var burst = new List<string>();
        string? token = null;
        foreach (var copy in CampaignCopies)
        {
            (token, _) = await host.Participant();
            using var client = host.Client(token);
            using var response = await client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "c", text = copy });
            burst.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        using var other = host.Client((await host.Participant()).Token);
        using var organic = await other.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "o", text = "Kapan jalan di Jalan Merdeka diperbaiki? Sudah berlubang sejak bulan lalu" });
        return (burst, (await organic.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!, token!);
    }

    [Fact]
    public async Task A_planted_burst_is_labelled_for_moderators_only_and_one_request_rejects_it()
    {
        var id = await host.CreateConsultation(moderation: "post");
        var (burst, organic, participantToken) = await PlantBurst(id);
        using var moderator = host.Client(await host.StaffToken("moderator"));

        var queue = (await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/queue")).EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        var label = queue[burst[0]].GetProperty("review").GetProperty("campaign");
        var clusterId = label.GetProperty("id").GetString()!;
        Assert.Equal(5, label.GetProperty("citizens").GetInt32());
        Assert.All(burst, item => Assert.Equal(clusterId, queue[item].GetProperty("review").GetProperty("campaign").GetProperty("id").GetString()));
        Assert.False(queue[organic].GetProperty("review").TryGetProperty("campaign", out _));
        var campaigns = await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/campaigns");
        Assert.Equal(burst, campaigns[0].GetProperty("pendingItemIds").EnumerateArray().Select(e => e.GetString()));

        // Nothing of it reaches participants, officials or the public record.
        using var participant = host.Client(participantToken);
        var seenByParticipant = await participant.GetStringAsync($"/api/consultations/{id}/items");
        var seenByPublic = await host.Client().GetStringAsync($"/api/consultations/{id}/items");
        Assert.DoesNotContain("campaign", seenByParticipant, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("campaign", seenByPublic, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Forbidden, (await participant.GetAsync($"/api/consultations/{id}/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(await host.StaffToken("official")).GetAsync($"/api/consultations/{id}/campaigns")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync($"/api/consultations/{id}/campaigns")).StatusCode);
        using var byParticipant = await participant.PostAsJsonAsync($"/api/consultations/{id}/campaigns/{clusterId}/decision", new { action = "reject", reason = "spam" });
        Assert.Equal(HttpStatusCode.Forbidden, byParticipant.StatusCode);

        using var decided = await moderator.PostAsJsonAsync($"/api/consultations/{id}/campaigns/{clusterId}/decision", new { action = "reject", reason = "spam", note = "Satu teks, banyak pengirim" });
        decided.EnsureSuccessStatusCode();
        var result = await decided.Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(result.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("ok").GetBoolean()));
        var log = await host.Client().GetStringAsync($"/api/consultations/{id}/moderation-log");
        var entries = JsonDocument.Parse(log).RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(burst, entries.Select(e => e.GetProperty("itemId").GetString()));
        Assert.All(entries, e => Assert.Equal(("reject", "spam"), (e.GetProperty("action").GetString(), e.GetProperty("reason").GetString())));
        Assert.DoesNotContain("campaign", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"\"{clusterId}\"", log, StringComparison.Ordinal);
        var publicItems = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/items");
        Assert.Equal([organic], publicItems.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("visible").GetBoolean()).Select(i => i.GetProperty("id").GetString()));

        // The same decision again finds nothing pending: nothing changes, every item is reported.
        using var again = await moderator.PostAsJsonAsync($"/api/consultations/{id}/campaigns/{clusterId}/decision", new { action = "approve" });
        var repeated = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(repeated.GetProperty("items").EnumerateArray(), i => Assert.Equal("not-pending", i.GetProperty("error").GetString()));
        Assert.Equal(entries.Count, (await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log")).GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task Bad_group_decisions_get_problem_details_and_change_nothing()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var (burst, _, _) = await PlantBurst(id);
        using var moderator = host.Client(await host.StaffToken("moderator"));
        var clusterId = (await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/campaigns"))[0].GetProperty("label").GetProperty("id").GetString()!;

        using var unknown = await moderator.PostAsJsonAsync($"/api/consultations/{id}/campaigns/c424242/decision", new { action = "approve" });
        using var noReason = await moderator.PostAsJsonAsync($"/api/consultations/{id}/campaigns/{clusterId}/decision", new { action = "reject" });
        using var badAction = await moderator.PostAsJsonAsync($"/api/consultations/{id}/campaigns/{clusterId}/decision", new { action = "merge" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:opengov-dialogue:problem:not-found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal("urn:opengov-dialogue:problem:invalid-reason", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badAction.StatusCode);
        Assert.Empty((await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log")).GetProperty("entries").EnumerateArray());
        var pending = (await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/campaigns"))[0].GetProperty("pendingItemIds");
        Assert.Equal(burst, pending.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Over_the_hub_moderators_see_the_label_live_and_decide_the_cluster_and_participants_cannot()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var seen = new ConcurrentDictionary<string, ItemView>();
        await using var moderator = host.Hub(await host.StaffToken("moderator"));
        moderator.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
        {
            foreach (var item in items)
            {
                seen[item.Id] = item;
            }
        });
        await moderator.StartAsync();
        await moderator.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

        var (burst, _, participantToken) = await PlantBurst(id);

        // The copy that made the cluster campaign-like arrives live with its label; the queue has it on every copy.
        var live = await Eventually(() => seen.GetValueOrDefault(burst[^1]));
        Assert.Equal(5, live.Review!.Campaign!.Citizens);
        var queue = await moderator.InvokeAsync<ItemView[]>(nameof(DialogueHub.Queue), id, 100);
        Assert.All(queue.Where(i => burst.Contains(i.Id)), i => Assert.Equal(live.Review.Campaign.Id, i.Review!.Campaign!.Id));
        var campaigns = await moderator.InvokeAsync<CampaignView[]>(nameof(DialogueHub.Campaigns), id);
        var clusterId = Assert.Single(campaigns).Label.Id;

        await using var participant = host.Hub(participantToken);
        await participant.StartAsync();
        var refused = await Assert.ThrowsAsync<HubException>(() => participant.InvokeAsync<CampaignDecisionResult>(nameof(DialogueHub.DecideCampaign), id, clusterId, new CampaignDecisionRequest("approve")));
        Assert.DoesNotContain("   at ", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => participant.InvokeAsync<CampaignView[]>(nameof(DialogueHub.Campaigns), id));
        var unknown = await Assert.ThrowsAsync<HubException>(() => moderator.InvokeAsync<CampaignDecisionResult>(nameof(DialogueHub.DecideCampaign), id, "c424242", new CampaignDecisionRequest("approve")));
        Assert.Contains("HubException: not-found:", unknown.Message, StringComparison.Ordinal);

        var result = await moderator.InvokeAsync<CampaignDecisionResult>(nameof(DialogueHub.DecideCampaign), id, clusterId, new CampaignDecisionRequest("approve"));
        Assert.Equal(burst, result.Items.Where(i => i.Ok).Select(i => i.ItemId));
        await Eventually(() => burst.All(b => seen.GetValueOrDefault(b) is { Status: ItemStatus.Published }) ? seen : null);
    }

    private static async Task<T> Eventually<T>(Func<T?> probe)
        where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("The expected live message did not arrive within 5 s.");
    }

    private sealed record SubmitItemResponseDto(string Id, long Seq, ItemStatus Status);
}
