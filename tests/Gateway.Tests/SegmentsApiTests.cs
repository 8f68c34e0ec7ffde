using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>Self-described segments over HTTP, end to end through real grains; run once per storage (StorageSpecs.cs).</summary>
public abstract class SegmentsApiTests(GatewayHost host)
{
    private static readonly object Questions = new
    {
        questions = new object[]
        {
            new
            {
                key = "kelurahan",
                label = "Kelurahan tempat tinggal",
                options = new[] { "Menteng", "Cikini", "Gondangdia" },
                referenceShares = new Dictionary<string, double> { ["Menteng"] = 0.4, ["Cikini"] = 0.3, ["Gondangdia"] = 0.3 },
            },
            new { key = "usia", label = "Usia", options = new[] { "< 25", "25–44", "45+" } },
        },
    };

    private static readonly string[][] Topics =
    [
        ["jalan", "rusak", "berlubang", "aspal", "macet", "jembatan"],
        ["sekolah", "guru", "murid", "kelas", "buku", "beasiswa"],
    ];

    private async Task<string> ConsultationWithQuestions()
    {
        var id = await host.CreateConsultation();
        using var admin = host.Client(await host.StaffToken());
        (await admin.PutAsJsonAsync($"/api/consultations/{id}/segments", Questions)).EnsureSuccessStatusCode();
        return id;
    }

    [Fact]
    public async Task Officials_see_who_is_heard_by_topic_group_with_small_cells_withheld_also_in_the_export()
    {
        var id = await ConsultationWithQuestions();
        var random = new Random(3);
        var citizens = new List<string>();

        // 12 from Menteng (10 post), 8 from Cikini (6 post), 6 from Gondangdia (1 posts); 4 more post without answering.
        var people = new List<(string? Kelurahan, bool Posts)>();
        people.AddRange(Enumerable.Range(0, 12).Select(n => ((string?)"Menteng", n < 10)));
        people.AddRange(Enumerable.Range(0, 8).Select(n => ((string?)"Cikini", n < 6)));
        people.AddRange(Enumerable.Range(0, 6).Select(n => ((string?)"Gondangdia", n < 1)));
        people.AddRange(Enumerable.Range(0, 4).Select(_ => ((string?)null, true)));
        var n = 0;
        foreach (var (answer, posts) in people)
        {
            var (token, citizenId) = await host.Participant();
            citizens.Add(citizenId);
            using var client = host.Client(token);
            if (answer is not null)
            {
                using var answered = await client.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?> { ["kelurahan"] = answer } });
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            }

            if (posts)
            {
                var words = Topics[n++ % 2];
                var text = string.Join(' ', Enumerable.Range(0, 7).Select(_ => words[random.Next(words.Length)])) + " mohon segera";
                (await client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text })).EnsureSuccessStatusCode();
            }
        }

        using var official = host.Client(await host.StaffToken("official"));
        JsonElement view = default;
        for (var i = 0; i < 200; i++)
        {
            view = await official.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/segments/breakdown");
            if (view.GetProperty("questions")[0].GetProperty("topicGroups").GetArrayLength() > 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(26, view.GetProperty("answered").GetInt32());
        Assert.Equal(17, view.GetProperty("contributors").GetInt32());
        var kelurahan = view.GetProperty("questions")[0];
        Assert.Equal("Kelurahan tempat tinggal", kelurahan.GetProperty("label").GetString());
        static int?[] Counts(JsonElement row) => [.. row.EnumerateArray().Select(c => c.GetProperty("count").ValueKind == JsonValueKind.Null ? (int?)null : c.GetProperty("count").GetInt32())];
        Assert.Equal([12, 8, 6], Counts(kelurahan.GetProperty("participants")));
        Assert.Equal([10, null, null], Counts(kelurahan.GetProperty("contributors"))); // 1 withheld, and the 6 that would give it back
        var missing = Assert.Single(kelurahan.GetProperty("missing").EnumerateArray());
        Assert.Equal("Gondangdia", missing.GetProperty("option").GetString());
        Assert.True(missing.GetProperty("fromReference").GetBoolean());
        Assert.Equal(0.3, missing.GetProperty("baseShare").GetDouble());
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("contributorShare").ValueKind);

        // Per topic group: distinct people; every shown cell has five or more, a withheld one shows neither count nor share.
        var groups = kelurahan.GetProperty("topicGroups").EnumerateArray().ToList();
        Assert.NotEmpty(groups);
        Assert.All(groups, g => Assert.NotEmpty(g.GetProperty("terms").EnumerateArray()));
        var cells = groups.SelectMany(g => g.GetProperty("cells").EnumerateArray()).ToList();
        Assert.All(cells, c => Assert.True(c.GetProperty("count").ValueKind == JsonValueKind.Null ? c.GetProperty("share").ValueKind == JsonValueKind.Null : c.GetProperty("count").GetInt32() is 0 or >= 5));
        Assert.InRange(groups.Sum(g => Counts(g.GetProperty("cells")).Sum() ?? 0), 0, 17); // each contributor posted once

        // The JSON export carries the same suppressed breakdown and no citizen ids.
        var export = await official.GetStringAsync($"/api/consultations/{id}/export?format=json");
        var exported = JsonDocument.Parse(export).RootElement.GetProperty("segments");
        Assert.Equal([10, null, null], Counts(exported.GetProperty("questions")[0].GetProperty("contributors")));
        Assert.All(citizens, c => Assert.DoesNotContain(c, export, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Participants_answer_change_and_withdraw_and_bad_requests_change_nothing()
    {
        var id = await ConsultationWithQuestions();
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);

        var mine = await participant.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/segments/me");
        Assert.Equal(2, mine.GetProperty("questions").GetArrayLength());
        Assert.Empty(mine.GetProperty("answers").EnumerateObject());

        using var answered = await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?> { ["kelurahan"] = "Cikini", ["usia"] = "45+" } });
        Assert.Equal("45+", (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answers").GetProperty("usia").GetString());

        // Free text about a person, an unknown option, a missing body: refused, nothing changed.
        await PublicRecordTests.AssertProblem(await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?> { ["nama"] = "Budi Santoso" } }), HttpStatusCode.BadRequest, "invalid-segments");
        await PublicRecordTests.AssertProblem(await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?> { ["usia"] = "45" } }), HttpStatusCode.BadRequest, "invalid-segments");
        await PublicRecordTests.AssertProblem(await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { }), HttpStatusCode.BadRequest, "invalid-segments");
        var after = await participant.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/segments/me");
        Assert.Equal("Cikini", after.GetProperty("answers").GetProperty("kelurahan").GetString());
        Assert.Equal("45+", after.GetProperty("answers").GetProperty("usia").GetString());

        // Withdrawing one answer, then all.
        using var one = await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?> { ["kelurahan"] = "Cikini", ["usia"] = null } });
        Assert.Equal(["kelurahan"], (await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answers").EnumerateObject().Select(p => p.Name));

        // The data request shows them.
        var data = await participant.GetFromJsonAsync<JsonElement>("/api/me/data");
        Assert.Equal("Cikini", data.GetProperty("segments").GetProperty(id).GetProperty("kelurahan").GetString());

        using var none = await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?>() });
        Assert.Empty((await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answers").EnumerateObject());

        // A seventh change within the minute is refused with Retry-After (five reached the rules above, refused ones included).
        (await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?> { ["usia"] = "45+" } })).EnsureSuccessStatusCode();
        using var limited = await participant.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new Dictionary<string, string?> { ["usia"] = "< 25" } });
        await PublicRecordTests.AssertProblem(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task Only_admins_define_only_staff_see_the_breakdown_and_bad_definitions_are_refused()
    {
        var id = await ConsultationWithQuestions();
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        using var anonymous = host.Client();
        using var moderator = host.Client(await host.StaffToken("moderator"));

        // Anyone who can read the consultation reads the questions; only admins change them.
        Assert.Equal(2, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/segments")).GetProperty("questions").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await participant.PutAsJsonAsync($"/api/consultations/{id}/segments", new { questions = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PutAsJsonAsync($"/api/consultations/{id}/segments", new { questions = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"/api/consultations/{id}/segments/me", new { answers = new { } })).StatusCode);

        // The breakdown is a staff view, within the staff member's consultations.
        Assert.Equal(HttpStatusCode.Forbidden, (await participant.GetAsync($"/api/consultations/{id}/segments/breakdown")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/consultations/{id}/segments/breakdown")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync($"/api/consultations/{id}/segments/breakdown")).StatusCode);

        using var admin = host.Client(await host.StaffToken());
        await PublicRecordTests.AssertProblem(await admin.PutAsJsonAsync($"/api/consultations/{id}/segments", new { questions = new[] { new { key = "usia", label = "Usia", options = new[] { "semua" } } } }), HttpStatusCode.BadRequest, "invalid-segments");
        await PublicRecordTests.AssertProblem(await admin.PutAsJsonAsync($"/api/consultations/{id}/segments", new { }), HttpStatusCode.BadRequest, "invalid-segments");
        Assert.Equal(2, (await anonymous.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/segments")).GetProperty("questions").GetArrayLength());
        await PublicRecordTests.AssertProblem(await admin.PutAsJsonAsync($"/api/consultations/{Contracts.ConsultationIds.New()}/segments", Questions), HttpStatusCode.NotFound, "not-found");

        // A participant cannot answer a consultation they cannot read (a draft answers as unknown).
        using var draft = await admin.PostAsJsonAsync("/api/consultations", new { title = "Draf", description = "d", mode = "qa", moderation = "post", status = "draft" });
        var draftId = (await draft.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await PublicRecordTests.AssertProblem(await participant.PutAsJsonAsync($"/api/consultations/{draftId}/segments/me", new { answers = new { } }), HttpStatusCode.NotFound, "not-found");
    }
}
