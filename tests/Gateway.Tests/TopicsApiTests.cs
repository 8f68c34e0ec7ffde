using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

[Trait("Category", "http")]
public sealed class TopicsApiTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    private static readonly string[][] Topics =
    [
        ["jalan", "rusak", "berlubang", "aspal", "macet", "jembatan"],
        ["sekolah", "guru", "murid", "kelas", "buku", "beasiswa"],
        ["air", "bersih", "pdam", "sumur", "pipa", "bocor"],
    ];

    private async Task<string> ConsultationWithComplaints(int perTopic)
    {
        var id = await host.CreateConsultation();
        await Post(id, perTopic);
        return id;
    }

    private async Task Post(string id, int perTopic)
    {
        var random = new Random(5);
        for (var i = 0; i < perTopic; i++)
        {
            foreach (var words in Topics)
            {
                var (token, _) = await host.Participant();
                using var client = host.Client(token);
                var text = string.Join(' ', Enumerable.Range(0, 7).Select(_ => words[random.Next(words.Length)])) + " mohon segera";
                using var response = await client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"c{i}-{words[0]}", text });
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Staff_and_officials_are_pushed_each_regrouping_over_the_hub_and_participants_are_not(bool messagePack)
    {
        var id = await host.CreateConsultation();
        var pushed = new Dictionary<string, List<TopicsView>> { ["official"] = [], ["moderator"] = [], ["participant"] = [] };
        var connections = new List<HubConnection>();
        foreach (var role in pushed.Keys)
        {
            var token = role == "participant" ? (await host.Participant()).Token : await host.StaffToken(role);
            var connection = host.Hub(token, messagePack);
            var views = pushed[role];
            connection.On<TopicsView>("topics", view =>
            {
                lock (views)
                {
                    views.Add(view);
                }
            });
            await connection.StartAsync();
            await connection.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);
            connections.Add(connection);
        }

        try
        {
            await Post(id, 8);
            TopicsView? last = null;
            for (var i = 0; i < 200 && last is not { Status: TopicsStatus.Grouped, Grouped: 24 }; i++)
            {
                await Task.Delay(100);
                lock (pushed["official"])
                {
                    last = pushed["official"].LastOrDefault();
                }
            }

            Assert.NotNull(last);
            Assert.Equal(TopicsStatus.Grouped, last.Status);
            Assert.Equal(24, last.Grouped);
            Assert.Equal(id, last.ConsultationId);
            Assert.Equal(24, last.Recent);
            Assert.All(last.Groups, g => Assert.NotEmpty(g.Brief));
            Assert.All(last.Groups.SelectMany(g => g.Brief), s => Assert.Contains(s.SourceItemId, s.ItemIds));
            Assert.Contains(last.Groups.SelectMany(g => g.Items), i => i.Suggested is { Source: TopicSuggestionSources.Default });
            lock (pushed["moderator"])
            {
                Assert.Contains(pushed["moderator"], v => v.Grouped == 24);
            }

            // Quoting citizens beside vote shares and the tagger's guesses is a staff view: never to participants.
            lock (pushed["participant"])
            {
                Assert.Empty(pushed["participant"]);
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Officials_get_concern_groups_with_typical_texts_and_tag_counts()
    {
        var id = await ConsultationWithComplaints(8);
        using var official = host.Client(await host.StaffToken("official"));

        JsonElement body = default;
        for (var i = 0; i < 150; i++)
        {
            using var response = await official.GetAsync($"/api/consultations/{id}/topics?top=2");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (body.GetProperty("status").GetString() == "grouped")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal("grouped", body.GetProperty("status").GetString());
        Assert.Equal(24, body.GetProperty("items").GetInt32());
        Assert.Equal(0, body.GetProperty("votes").GetInt32());
        var groups = body.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(3, groups.Count);
        foreach (var group in groups)
        {
            Assert.True(group.GetProperty("id").GetInt32() > 0);
            Assert.NotEmpty(group.GetProperty("terms").EnumerateArray());
            Assert.True(group.GetProperty("size").GetInt32() > 0);
            Assert.Equal(0, group.GetProperty("voteShare").GetDouble());
            var items = group.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(2, items.Count);
            Assert.All(items, item => Assert.EndsWith("mohon segera", item.GetProperty("text").GetString()));
        }

        Assert.Equal(JsonValueKind.Array, body.GetProperty("tags").ValueKind);
        Assert.Equal(24, body.GetProperty("untagged").GetInt32());
        Assert.False(body.GetProperty("taggerReady").GetBoolean());

        foreach (var role in new[] { "moderator", "admin" })
        {
            using var staff = host.Client(await host.StaffToken(role));
            using var response = await staff.GetAsync($"/api/consultations/{id}/topics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Participants_are_refused_with_problem_details_and_anonymous_readers_must_sign_in()
    {
        var id = await host.CreateConsultation();
        var (token, _) = await host.Participant();

        using var participant = await host.Client(token).GetAsync($"/api/consultations/{id}/topics");
        using var anonymous = await host.Client().GetAsync($"/api/consultations/{id}/topics");

        Assert.Equal(HttpStatusCode.Forbidden, participant.StatusCode);
        Assert.Equal("application/problem+json", participant.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task An_unknown_consultation_is_a_404_problem()
    {
        using var official = host.Client(await host.StaffToken("official"));

        using var unknown = await official.GetAsync($"/api/consultations/{ConsultationIds.New()}/topics");
        using var malformed = await official.GetAsync("/api/consultations/not-an-id!/topics");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("urn:opengov-dialogue:problem:not-found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    [Fact]
    public async Task A_small_room_is_honestly_too_small_to_group()
    {
        var id = await ConsultationWithComplaints(1);
        using var official = host.Client(await host.StaffToken("official"));

        var body = await official.GetFromJsonAsync<TopicsView>($"/api/consultations/{id}/topics", GatewayHost.Json);

        Assert.Equal(TopicsStatus.TooFewItems, body!.Status);
        Assert.Empty(body.Groups);
        Assert.Equal(20, body.MinItems);
    }
}
