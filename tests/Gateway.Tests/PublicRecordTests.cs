using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>Lifecycle, visibility and the JSON export, over HTTP against the real gateway; run once per storage (StorageSpecs.cs).</summary>
public abstract class PublicRecordTests(GatewayHost host)
{
    internal static async Task<JsonElement> Body(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    internal static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"urn:opengov-dialogue:problem:{code}", (await Body(response)).GetProperty("type").GetString());
    }

    private async Task<HttpClient> Admin() => host.Client(await host.StaffToken());

    private async Task<string> Create(object body)
    {
        using var admin = await Admin();
        using var response = await admin.PostAsJsonAsync("/api/consultations", body);
        response.EnsureSuccessStatusCode();
        return (await Body(response)).GetProperty("id").GetString()!;
    }

    private async Task<HttpResponseMessage> Patch(string id, object body, string role = "admin")
    {
        using var client = host.Client(await host.StaffToken(role));
        return await client.PatchAsJsonAsync($"/api/consultations/{id}", body);
    }

    private async Task<JsonElement> Log(string id)
    {
        using var client = host.Client();
        return await client.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log");
    }

    [Fact]
    public async Task Closing_stops_submissions_and_votes_with_409_keeps_everything_readable_and_is_logged()
    {
        var id = await host.CreateConsultation();
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        (await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Kapan jalan diperbaiki?" })).EnsureSuccessStatusCode();

        using var closed = await Patch(id, new { status = "closed" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var info = await Body(closed);
        Assert.Equal("closed", info.GetProperty("status").GetString());
        Assert.True(info.TryGetProperty("closedAt", out _));

        await AssertProblem(await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "b", text = "Satu lagi" }), HttpStatusCode.Conflict, "consultation-closed");
        await AssertProblem(await participant.PostAsJsonAsync($"/api/consultations/{id}/items/i1/votes", new { value = 1 }), HttpStatusCode.Conflict, "consultation-closed");

        using var anonymous = host.Client();
        var items = await anonymous.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/items");
        Assert.Equal("Kapan jalan diperbaiki?", items.GetProperty("items")[0].GetProperty("text").GetString());
        var entry = (await Log(id)).GetProperty("entries").EnumerateArray().Last();
        Assert.Equal("status", entry.GetProperty("action").GetString());
        Assert.Equal("closed", entry.GetProperty("reason").GetString());
        Assert.Equal("bootstrap key", entry.GetProperty("by").GetString());

        // Reopening lets them in again.
        (await Patch(id, new { status = "open" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Created, (await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "c", text = "Sudah dibuka lagi" })).StatusCode);
    }

    [Fact]
    public async Task A_change_that_changes_nothing_writes_nothing()
    {
        var id = await host.CreateConsultation();
        using var first = await Patch(id, new { status = "open", title = "Balai warga" });
        var before = (await Body(first)).GetProperty("lastSeq").GetInt64();
        Assert.Equal(0, before);
        Assert.Equal(0, (await Log(id)).GetProperty("entries").GetArrayLength());
    }

    [Theory]
    [InlineData("draft", "closed")]
    [InlineData("draft", "archived")]
    [InlineData("open", "archived")]
    [InlineData("open", "draft")]
    public async Task Transitions_outside_the_lifecycle_are_refused_with_409(string from, string to)
    {
        var id = await Create(new { title = "Lifecycle", status = from });
        await AssertProblem(await Patch(id, new { status = to }), HttpStatusCode.Conflict, "invalid-transition");
        using var admin = await Admin();
        Assert.Equal(from, (await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_archived_consultation_is_read_only_for_good()
    {
        var id = await host.CreateConsultation();
        (await Patch(id, new { status = "closed" })).EnsureSuccessStatusCode();
        (await Patch(id, new { status = "archived" })).EnsureSuccessStatusCode();
        await AssertProblem(await Patch(id, new { status = "open" }), HttpStatusCode.Conflict, "invalid-transition");
        await AssertProblem(await Patch(id, new { title = "Retitled" }), HttpStatusCode.Conflict, "invalid-transition");
        var actions = (await Log(id)).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("reason").GetString()!).ToArray();
        Assert.Equal(["closed", "archived"], actions);
    }

    [Fact]
    public async Task Only_admins_change_settings_and_bad_values_are_400()
    {
        var id = await host.CreateConsultation();
        Assert.Equal(HttpStatusCode.Forbidden, (await Patch(id, new { status = "closed" }, "moderator")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Patch(id, new { status = "closed" }, "official")).StatusCode);
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PatchAsJsonAsync($"/api/consultations/{id}", new { status = "closed" })).StatusCode);
        await AssertProblem(await Patch(id, new { status = "finished" }), HttpStatusCode.BadRequest, "invalid-consultation");
        await AssertProblem(await Patch(id, new { visibility = "secret" }), HttpStatusCode.BadRequest, "invalid-consultation");
        await AssertProblem(await Patch(id, new { retentionDays = -3 }), HttpStatusCode.BadRequest, "invalid-consultation");
        await AssertProblem(await Patch(id, new { title = "" }), HttpStatusCode.BadRequest, "invalid-consultation");
        await AssertProblem(await Patch("no-such-consultation", new { status = "closed" }), HttpStatusCode.NotFound, "not-found");
        using var admin = await Admin();
        Assert.Equal("open", (await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Drafts_private_and_unlisted_consultations_are_listed_to_staff_only()
    {
        var open = await Create(new { title = "Open one" });
        var draft = await Create(new { title = "Draft one", status = "draft" });
        var hidden = await Create(new { title = "Private one", visibility = "private" });
        var unlisted = await Create(new { title = "Unlisted one", visibility = "unlisted" });

        using var anonymous = host.Client();
        var publicList = (await anonymous.GetFromJsonAsync<JsonElement>("/api/consultations")).EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains(open, publicList);
        Assert.DoesNotContain(draft, publicList);
        Assert.DoesNotContain(hidden, publicList);
        Assert.DoesNotContain(unlisted, publicList);

        using var moderator = host.Client(await host.StaffToken("moderator"));
        var staffList = (await moderator.GetFromJsonAsync<JsonElement>("/api/consultations")).EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains(draft, staffList);
        Assert.Contains(hidden, staffList);

        // A draft is invisible to the public, as an unknown code is; a private one needs a token; an unlisted one only its code.
        await AssertProblem(await anonymous.GetAsync($"/api/consultations/{draft}"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await anonymous.GetAsync($"/api/consultations/{draft}/items"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await anonymous.GetAsync($"/api/consultations/{hidden}"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/consultations/{unlisted}")).StatusCode);
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await participant.GetAsync($"/api/consultations/{hidden}")).StatusCode);
        await AssertProblem(await participant.GetAsync($"/api/consultations/{draft}"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync($"/api/consultations/{draft}")).StatusCode);
    }

    [Theory]
    [InlineData("ranking")]
    [InlineData("similar?text=jalan")]
    [InlineData("presenter")]
    [InlineData("moderation-log")]
    [InlineData("moderation-log/verify")]
    public async Task Every_read_view_of_a_draft_or_private_consultation_answers_as_an_unknown_code_to_those_who_may_not_read_it(string view)
    {
        var draft = await Create(new { title = "Draft view", status = "draft" });
        var hidden = await Create(new { title = "Private view", visibility = "private" });
        var open = await Create(new { title = "Open view" });

        using var anonymous = host.Client();
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        using var moderator = host.Client(await host.StaffToken("moderator"));

        await AssertProblem(await anonymous.GetAsync($"/api/consultations/{draft}/{view}"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await participant.GetAsync($"/api/consultations/{draft}/{view}"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await anonymous.GetAsync($"/api/consultations/{hidden}/{view}"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await anonymous.GetAsync($"/api/consultations/{Contracts.ConsultationIds.New()}/{view}"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.OK, (await participant.GetAsync($"/api/consultations/{hidden}/{view}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync($"/api/consultations/{draft}/{view}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/consultations/{open}/{view}")).StatusCode);
    }

    [Fact]
    public async Task The_hubs_opinion_groups_check_the_consultation_and_its_mode_as_REST_does()
    {
        var qa = await host.CreateConsultation();
        var draft = await Create(new { title = "Draft", mode = "deliberation", status = "draft" });
        var (token, _) = await host.Participant();
        var hub = host.Hub(token);
        await hub.StartAsync();
        var notDeliberation = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<Contracts.OpinionView>("OpinionGroups", qa));
        Assert.Contains("invalid-consultation", notDeliberation.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<Contracts.OpinionView>("OpinionGroups", "zzzzzzzz"));
        Assert.Contains("not-found", missing.Message, StringComparison.Ordinal);
        var hidden = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<Contracts.OpinionView>("OpinionGroups", draft));
        Assert.Contains("not-found", hidden.Message, StringComparison.Ordinal);
        await hub.DisposeAsync();
    }

    [Fact]
    public async Task Pages_may_connect_to_their_own_origin_only()
    {
        using var anonymous = host.Client();
        using var page = await anonymous.GetAsync("/");
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("ws:", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("wss:", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_export_carries_items_votes_and_answers_cell_by_cell_and_no_citizen_ids_or_tokens()
    {
        var id = await Create(new { title = "Ekspor", mode = "deliberation", moderation = "post" });
        var people = new List<(string Token, string CitizenId, HttpClient Client)>();
        for (var i = 0; i < 3; i++)
        {
            var (token, citizen) = await host.Participant();
            people.Add((token, citizen, host.Client(token)));
        }

        (await people[0].Client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Perbaiki trotoar di pasar" })).EnsureSuccessStatusCode();
        (await people[1].Client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "b", text = "=HYPERLINK(\"http://x\") spam" })).EnsureSuccessStatusCode();
        (await people[2].Client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "c", text = "Tambah lampu jalan" })).EnsureSuccessStatusCode();
        var cast = new List<(int Participant, string Item, int Value)>();
        foreach (var (voter, item, value) in new[] { (0, "i1", 1), (1, "i1", -1), (2, "i1", 0), (0, "i3", 1), (1, "i3", 1), (0, "i3", -1) })
        {
            (await people[voter].Client.PostAsJsonAsync($"/api/consultations/{id}/items/{item}/votes", new { value })).EnsureSuccessStatusCode();
            cast.Add((voter, item, value));
        }

        using var moderator = host.Client(await host.StaffToken("moderator"));
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { "i2" }, reason = "spam", note = "catatan moderator rahasia" })).EnsureSuccessStatusCode();
        using var official = host.Client(await host.StaffToken("official"));
        (await official.PostAsJsonAsync($"/api/consultations/{id}/items/i3/answer", new { text = "Dianggarkan tahun depan", status = "accepted", owner = "Dinas PU", due = "2027-03-01" })).EnsureSuccessStatusCode();

        using var anonymous = host.Client();
        using var response = await anonymous.GetAsync($"/api/consultations/{id}/export?format=json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        var doc = JsonDocument.Parse(raw).RootElement;

        var items = doc.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        Assert.Equal(["i1", "i2", "i3"], items.Keys.Order());
        Assert.Equal("Perbaiki trotoar di pasar", items["i1"].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, items["i2"].GetProperty("text").ValueKind);
        Assert.Equal("rejected", items["i2"].GetProperty("status").GetString());
        Assert.Equal("spam", items["i2"].GetProperty("rejectionReason").GetString());
        Assert.Equal("answered", items["i3"].GetProperty("status").GetString());
        Assert.Equal("Dianggarkan tahun depan", items["i3"].GetProperty("answer").GetProperty("text").GetString());
        Assert.Equal("Dinas PU", items["i3"].GetProperty("answer").GetProperty("owner").GetString());
        var i1 = items["i1"].GetProperty("votes");
        Assert.Equal((1, 1, 1), (i1.GetProperty("agree").GetInt32(), i1.GetProperty("disagree").GetInt32(), i1.GetProperty("pass").GetInt32()));
        var i3 = items["i3"].GetProperty("votes");
        Assert.Equal((1, 1), (i3.GetProperty("agree").GetInt32(), i3.GetProperty("disagree").GetInt32()));

        // Vote events in order, by pseudonymous numbers: authors are numbered first (0, 1, 2), in order of first appearance.
        var votes = doc.GetProperty("votes").EnumerateArray()
            .Select(v => (v.GetProperty("participant").GetInt32(), v.GetProperty("item").GetString()!, v.GetProperty("value").GetInt32())).ToList();
        Assert.Equal(cast, votes);
        Assert.Equal(0, items["i1"].GetProperty("participant").GetInt32());

        // What must never be in an open-data file.
        foreach (var (token, citizen, client) in people)
        {
            Assert.DoesNotContain(citizen, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(token, raw, StringComparison.Ordinal);
            client.Dispose();
        }

        Assert.DoesNotContain("catatan moderator rahasia", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("HYPERLINK", raw, StringComparison.Ordinal);
        Assert.Equal(1, doc.GetProperty("moderationLog").GetProperty("counts").GetProperty("reject:spam").GetInt32());
    }

    [Fact]
    public async Task Rejected_texts_are_exported_only_when_the_consultation_publishes_them()
    {
        var id = await Create(new { title = "Terbuka", publishRejected = true });
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        (await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Teks yang ditolak" })).EnsureSuccessStatusCode();
        using var moderator = host.Client(await host.StaffToken("moderator"));
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { "i1" }, reason = "off_topic" })).EnsureSuccessStatusCode();
        using var anonymous = host.Client();
        var doc = await anonymous.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/export?format=json");
        Assert.Equal("Teks yang ditolak", doc.GetProperty("items")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Only_public_consultations_export_to_anyone_the_others_to_staff()
    {
        var unlisted = await Create(new { title = "Unlisted", visibility = "unlisted" });
        var draft = await Create(new { title = "Draft", status = "draft" });
        using var anonymous = host.Client();
        await AssertProblem(await anonymous.GetAsync($"/api/consultations/{unlisted}/export?format=json"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await anonymous.GetAsync($"/api/consultations/{draft}/export?format=json"), HttpStatusCode.NotFound, "not-found");
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        await AssertProblem(await participant.GetAsync($"/api/consultations/{unlisted}/export?format=json"), HttpStatusCode.NotFound, "not-found");
        using var official = host.Client(await host.StaffToken("official"));
        Assert.Equal(HttpStatusCode.OK, (await official.GetAsync($"/api/consultations/{unlisted}/export?format=json")).StatusCode);
        await AssertProblem(await official.GetAsync($"/api/consultations/{unlisted}/export?format=xlsx"), HttpStatusCode.BadRequest, "invalid-format");
        await AssertProblem(await anonymous.GetAsync("/api/consultations/..%2f..%2fetc/export"), HttpStatusCode.NotFound, "not-found");
    }
}
