using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The REST API over HTTP; run once per storage (StorageSpecs.cs).</summary>
public abstract class RestApiTests(GatewayHost host)
{
    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await Body(response);
        Assert.Equal($"urn:opengov-dialogue:problem:{code}", body.GetProperty("type").GetString());
        Assert.DoesNotContain("   at ", body.ToString(), StringComparison.Ordinal);
    }

    private async Task<(string Consultation, HttpClient Participant)> Arrange(string mode = "qa", string moderation = "post")
    {
        var id = await host.CreateConsultation(mode, moderation);
        var (token, _) = await host.Participant();
        return (id, host.Client(token));
    }

    private async Task<ItemPageDto> Items(string id, string? token = null, long after = 0)
    {
        using var client = host.Client(token ?? await host.StaffToken("moderator"));
        return (await client.GetFromJsonAsync<ItemPageDto>($"/api/consultations/{id}/items?after={after}", GatewayHost.Json))!;
    }

    [Fact]
    public async Task Submit_returns_201_with_id_seq_status_and_a_repeat_returns_the_first_result()
    {
        var (id, participant) = await Arrange();
        using var first = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "q-1", text = "Kapan MRT sampai Bekasi?" });
        using var repeat = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "q-1", text = "Kapan MRT sampai Bekasi?" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var a = await Body(first);
        Assert.Equal("i1", a.GetProperty("id").GetString());
        Assert.Equal(1, a.GetProperty("seq").GetInt64());
        Assert.Equal("published", a.GetProperty("status").GetString());
        Assert.Equal(a.ToString(), (await Body(repeat)).ToString());
        Assert.Single((await Items(id)).Items);
    }

    [Fact]
    public async Task Items_after_seq_return_only_later_changes_and_participants_see_only_published()
    {
        var (id, participant) = await Arrange(moderation: "pre");
        await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Pending one" });
        var (otherToken, _) = await host.Participant();

        Assert.Empty((await Items(id, otherToken)).Items);
        var staff = await Items(id);
        Assert.Equal(ItemStatus.Pending, Assert.Single(staff.Items).Status);
        Assert.Empty((await Items(id, after: staff.LastSeq)).Items);
    }

    [Fact]
    public async Task Votes_count_once_per_citizen_and_report_the_tally()
    {
        var (id, participant) = await Arrange("deliberation");
        await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "s1", text = "Trotoar harus lebar." });
        var (voter, _) = await host.Participant();
        using var client = host.Client(voter);

        using var agree = await client.PostAsJsonAsync($"/api/consultations/{id}/items/i1/votes", new { value = 1 });
        using var disagree = await client.PostAsJsonAsync($"/api/consultations/{id}/items/i1/votes", new { value = -1 });

        Assert.Equal(HttpStatusCode.OK, agree.StatusCode);
        var tally = (await Body(disagree)).GetProperty("tally");
        Assert.Equal((0, 1), (tally.GetProperty("agree").GetInt32(), tally.GetProperty("disagree").GetInt32()));
    }

    [Theory]
    [InlineData("", "invalid-text")]
    [InlineData("   ", "invalid-text")]
    [InlineData("nul\u0000byte", "invalid-text")]
    [InlineData("escape\u001b[2J", "invalid-text")]
    public async Task Bad_text_gets_400_and_changes_nothing(string text, string code)
    {
        var (id, participant) = await Arrange();
        using var response = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "x", text });
        await AssertProblem(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(0, (await Items(id)).LastSeq);
    }

    [Fact]
    public async Task Text_over_2000_characters_is_refused_and_2000_accepted()
    {
        var (id, participant) = await Arrange();
        using var tooLong = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "long", text = new string('a', 2001) });
        using var atLimit = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "limit", text = new string('a', 2000) });

        await AssertProblem(tooLong, HttpStatusCode.BadRequest, "invalid-text");
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
    }

    [Fact]
    public async Task Missing_client_id_gets_400()
    {
        var (id, participant) = await Arrange();
        using var response = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { text = "no id" });
        await AssertProblem(response, HttpStatusCode.BadRequest, "invalid-client-id");
    }

    [Theory]
    [InlineData("{\"clientId\":\"a\",")]
    [InlineData("not json")]
    [InlineData("{\"clientId\":5,\"text\":[]}")]
    public async Task Malformed_json_gets_400_problem(string json)
    {
        var (id, participant) = await Arrange();
        using var response = await participant.PostAsync($"/api/consultations/{id}/items", new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertProblem(response, HttpStatusCode.BadRequest, "bad-request");
        Assert.Equal(0, (await Items(id)).LastSeq);
    }

    [Theory]
    [InlineData("qa", 2)]
    [InlineData("qa", -1)]
    [InlineData("deliberation", 7)]
    public async Task Vote_values_out_of_range_get_400(string mode, int value)
    {
        var (id, participant) = await Arrange(mode);
        await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Item" });
        using var response = await participant.PostAsJsonAsync($"/api/consultations/{id}/items/i1/votes", new { value });
        await AssertProblem(response, HttpStatusCode.BadRequest, "invalid-vote");
        Assert.Equal(1, (await Items(id)).LastSeq);
    }

    [Fact]
    public async Task Unknown_ids_get_404()
    {
        var (id, participant) = await Arrange();
        using var unknownItem = await participant.PostAsJsonAsync($"/api/consultations/{id}/items/i99/votes", new { value = 1 });
        using var unknownConsultation = await participant.PostAsJsonAsync("/api/consultations/kzzzzzzz/items", new { clientId = "a", text = "x" });
        using var malformedId = await host.Client().GetAsync("/api/consultations/..%2F..%2Fetc/items");
        using var get = await host.Client().GetAsync("/api/consultations/kzzzzzzz");

        await AssertProblem(unknownItem, HttpStatusCode.NotFound, "not-found");
        await AssertProblem(unknownConsultation, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NotFound, malformedId.StatusCode);
        await AssertProblem(get, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Roles_are_enforced_on_every_endpoint()
    {
        var id = await host.CreateConsultation();
        var (participantToken, _) = await host.Participant();
        using var anonymous = host.Client();
        using var participant = host.Client(participantToken);
        using var moderator = host.Client(await host.StaffToken("moderator"));
        var create = new { title = "t", mode = "qa", moderation = "post" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/consultations", create)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await participant.PostAsJsonAsync("/api/consultations", create)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PostAsJsonAsync("/api/consultations", create)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client("not-a-jwt").PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "x" })).StatusCode);
    }

    [Fact]
    public async Task Staff_token_needs_the_admin_key_and_a_known_role()
    {
        using var client = host.Client();
        await AssertProblem(await client.PostAsJsonAsync("/api/auth/token", new { key = "wrong", role = "admin", name = "x" }), HttpStatusCode.Unauthorized, "invalid-key");
        await AssertProblem(await client.PostAsJsonAsync("/api/auth/token", new { key = GatewayHost.AdminKey, role = "king", name = "x" }), HttpStatusCode.BadRequest, "invalid-role");

    }

    [Theory]
    [InlineData("", "qa", "post")]
    [InlineData("t", "poll", "post")]
    [InlineData("t", "qa", "sometimes")]
    public async Task Bad_consultation_settings_get_400(string title, string mode, string moderation)
    {
        using var admin = host.Client(await host.StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/consultations", new { title, mode, moderation });
        await AssertProblem(response, HttpStatusCode.BadRequest, "invalid-consultation");
    }

    [Fact]
    public async Task Created_consultation_is_listed_and_readable()
    {
        var id = await host.CreateConsultation("deliberation", "pre");
        var info = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}");
        var list = await host.Client().GetFromJsonAsync<JsonElement>("/api/consultations");

        Assert.Equal(("deliberation", "pre", "open"), (info.GetProperty("mode").GetString(), info.GetProperty("moderation").GetString(), info.GetProperty("status").GetString()));
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Health_and_openapi_document_are_served()
    {
        using var health = await host.Client().GetAsync("/health");
        var openapi = await host.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/consultations/{id}/items", out _));
    }

    [Fact]
    public async Task Similar_questions_are_offered_while_typing()
    {
        var (id, participant) = await Arrange();
        await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Kapan jembatan Cisadane selesai dibangun?" });
        await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "b", text = "Harga beras di pasar naik terus" });

        var similar = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/similar?text={Uri.EscapeDataString("jembatan cisadane kapan selesai")}");

        Assert.Equal("i1", similar[0].GetProperty("item").GetProperty("id").GetString());
        Assert.True(similar[0].GetProperty("score").GetDouble() > 0.3);
        Assert.DoesNotContain(similar.EnumerateArray(), s => s.GetProperty("item").GetProperty("id").GetString() == "i2");
    }

    public sealed record ItemPageDto(List<ItemView> Items, long LastSeq, bool HasMore);
}

[Trait("Category", "http")]
public sealed class RateLimitTests(RateLimitedGatewayHost host) : IClassFixture<RateLimitedGatewayHost>
{
    [Fact]
    public async Task Sixth_submission_in_a_minute_gets_429_with_retry_after_and_a_retry_of_a_stored_one_still_answers()
    {
        var id = await host.CreateConsultation();
        var (token, _) = await host.Participant();
        using var client = host.Client(token);
        for (var i = 0; i < 5; i++)
        {
            using var ok = await client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"c{i}", text = $"Pertanyaan {i}" });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var limited = await client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "c5", text = "Satu lagi" });
        using var retry = await client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "c0", text = "Pertanyaan 0" });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 12);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task Guessing_the_admin_key_is_limited_per_address()
    {
        using var client = host.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { key = $"guess-{i}", role = "admin", name = "x" });
            statuses.Add(response.StatusCode);
        }

        // 20 attempts a minute from one address; the other test of this class may have used one.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Unauthorized), 19, 20);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}
