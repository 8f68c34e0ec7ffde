using System.Diagnostics;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenGov.Dialogue.Gateway.Auth;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>The default proof of work, a vote budget of 4 a minute and a vote-burst flag after 5 new identities.</summary>
public sealed class AdmissionGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:SubmissionsPerMinute"] = "1000",
        ["Dialogue:StaffLoginsPerMinute"] = "100000",
        ["Dialogue:ParticipantTokensPerAddress"] = "1000000",
        ["Dialogue:VotesPerMinute"] = "4",
        ["Dialogue:VoteBurstMinVotes"] = "5",
        ["Dialogue:VoteBurstWindowSeconds"] = "600",
    };
}

/// <summary>Three wrong codes per address and ten minutes.</summary>
public sealed class AdmissionFailuresGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:StaffLoginsPerMinute"] = "100000",
        ["Dialogue:ParticipantTokensPerAddress"] = "1000000",
        ["Dialogue:ParticipantProofBits"] = "8",
        ["Dialogue:AdmissionFailuresPerAddress"] = "3",
    };
}

/// <summary>
/// Who gets in: open tokens pay a proof of work; code consultations take the join code shown in the hall;
/// invite consultations take one-time codes; tokens are bound to the consultation they were admitted to,
/// and the tallies say how votes were admitted.
/// </summary>
[Trait("Category", "http")]
public sealed class AdmissionTests(AdmissionGatewayHost host, ITestOutputHelper output) : IClassFixture<AdmissionGatewayHost>
{
    [Fact]
    public async Task An_anonymous_token_costs_a_solved_challenge_used_once()
    {
        using var anonymous = host.Client();
        await ProblemAssert.Is(await anonymous.PostAsync("/api/auth/participant", null), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorProof);

        var challenge = await anonymous.GetFromJsonAsync<JsonElement>("/api/auth/challenge");
        var text = challenge.GetProperty("challenge").GetString()!;
        var bits = new DialogueOptions().ParticipantProofBits;
        Assert.Equal(bits, challenge.GetProperty("bits").GetInt32());

        // A nonce that does not solve it, a challenge with an easier difficulty written in, one the server never signed.
        var wrong = Enumerable.Range(0, 100).Select(i => i.ToString()).First(n => !ParticipantProof.Solves(text, n, bits));
        await ProblemAssert.Is(await anonymous.PostAsJsonAsync("/api/auth/participant", new { challenge = text, nonce = wrong }), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorProof);
        var easier = "1" + text[text.IndexOf('.')..];
        await ProblemAssert.Is(await anonymous.PostAsJsonAsync("/api/auth/participant", new { challenge = easier, nonce = ParticipantProof.Solve(easier, 1) }), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorProof);

        var clock = Stopwatch.StartNew();
        var nonce = ParticipantProof.Solve(text, bits);
        output.WriteLine($"{bits}-bit proof solved in {clock.ElapsedMilliseconds} ms (nonce {nonce})");
        using var minted = await anonymous.PostAsJsonAsync("/api/auth/participant", new { challenge = text, nonce });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        var token = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.DoesNotContain(new JwtSecurityTokenHandler().ReadJwtToken(token).Claims, c => c.Type is "con" or "adm");

        // The same solution again mints nothing.
        await ProblemAssert.Is(await anonymous.PostAsJsonAsync("/api/auth/participant", new { challenge = text, nonce }), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorProof);
    }

    [Fact]
    public async Task A_code_consultation_admits_with_the_join_code_on_screen_and_binds_the_token_to_it()
    {
        var id = await Create("code");
        var open = new { Id = await host.CreateConsultation() };
        var item = await Submit(open.Id, (await host.Participant()).Token, "dummy");

        // An open token can read but not take part.
        var (anonymousToken, _) = await host.Participant();
        using var anonymous = host.Client(anonymousToken);
        await ProblemAssert.Is(await anonymous.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = "Pertanyaan terbuka" }), HttpStatusCode.Forbidden, "admission-required");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/consultations/{id}/items")).StatusCode);

        // Participants cannot read the code; staff can.
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/api/consultations/{id}/join-code")).StatusCode);
        using var moderator = host.Client(await host.StaffToken("moderator"));
        var code = await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/join-code");
        var shown = code.GetProperty("code").GetString()!;
        Assert.Matches("^[0-9]{6}$", shown);
        Assert.True(code.GetProperty("acceptedUntil").GetDateTimeOffset() > code.GetProperty("shownUntil").GetDateTimeOffset());

        var wrongCode = ((int.Parse(shown) + 1) % 1_000_000).ToString("D6");
        await ProblemAssert.Is(await host.JoinWithCode(id, wrongCode), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorJoinCode);
        await ProblemAssert.Is(await host.JoinWithCode(open.Id, shown), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorJoinCode);
        using (var noProof = await host.Client().PostAsJsonAsync("/api/auth/join", new { consultationId = id, code = shown }))
        {
            await ProblemAssert.Is(noProof, HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorProof);
        }

        using var joined = await host.JoinWithCode(id, $"{shown[..3]} {shown[3..]}");
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        var token = (await joined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var claims = new JwtSecurityTokenHandler().ReadJwtToken(token).Claims.ToList();
        Assert.Contains(claims, c => c.Type == "adm" && c.Value == "code");
        Assert.Contains(claims, c => c.Type == "con" && c.Value == id);

        var mine = await Submit(id, token, "Pertanyaan dari aula");
        using var member = host.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await member.PostAsJsonAsync($"/api/consultations/{id}/items/{mine}/votes", new { value = 1 })).StatusCode);

        // Bound to this consultation: it cannot take part in another one, even an open one.
        await ProblemAssert.Is(await member.PostAsJsonAsync($"/api/consultations/{open.Id}/items/{item}/votes", new { value = 1 }), HttpStatusCode.Forbidden, "admission-required");
        await ProblemAssert.Is(await member.PostAsJsonAsync($"/api/consultations/{open.Id}/items", new { clientId = "b", text = "Di tempat lain" }), HttpStatusCode.Forbidden, "admission-required");

        // The hub checks the same.
        await using var hub = host.Hub(anonymousToken);
        await hub.StartAsync();
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<JsonElement>("Vote", id, mine, 1));
        Assert.Contains("admission-required", refused.Message);
    }

    [Fact]
    public async Task Invitation_codes_admit_one_citizen_each()
    {
        var id = await Create("invite");
        var other = await Create("invite");
        using var admin = host.Client(await host.StaffToken());
        using var moderator = host.Client(await host.StaffToken("moderator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PostAsJsonAsync($"/api/consultations/{id}/invites", new { count = 3 })).StatusCode);
        await ProblemAssert.Is(await admin.PostAsJsonAsync($"/api/consultations/{id}/invites", new { count = 0 }), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorInvite);
        await ProblemAssert.Is(await admin.PostAsJsonAsync($"/api/consultations/{id}/invites", new { count = 5001 }), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorInvite);

        using var issued = await admin.PostAsJsonAsync($"/api/consultations/{id}/invites", new { count = 3 });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var codes = body.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(3, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", c));
        Assert.Equal(3, body.GetProperty("total").GetProperty("issued").GetInt32());

        // Codes are stored as hashes only: not in the grain state or the journal.
        Assert.DoesNotContain(codes[0].Replace("-", ""), await host.StoredTextAsync());

        await ProblemAssert.Is(await Redeem(other, codes[0]), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorInvite);
        using var first = await Redeem(id, codes[0]);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ProblemAssert.Is(await Redeem(id, codes[0]), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorInvite);

        // Typed by hand: lower case, without the dash, O for 0.
        using var second = await Redeem(id, codes[1].Replace("-", " ").ToLowerInvariant().Replace('0', 'o'));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var token = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var item = await Submit(id, token, "Usulan dari undangan");
        using var invited = host.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await invited.PostAsJsonAsync($"/api/consultations/{id}/items/{item}/votes", new { value = 1 })).StatusCode);

        // A join code token is not enough here.
        var (open, _) = await host.Participant();
        await ProblemAssert.Is(await host.Client(open).PostAsJsonAsync($"/api/consultations/{id}/items/{item}/votes", new { value = 1 }), HttpStatusCode.Forbidden, "admission-required");

        var count = await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/invites");
        Assert.Equal(3, count.GetProperty("issued").GetInt32());
        Assert.Equal(2, count.GetProperty("redeemed").GetInt32());
    }

    [Fact]
    public async Task Tallies_say_how_the_votes_were_admitted()
    {
        var open = new { Id = await host.CreateConsultation() };
        var id = open.Id;
        var author = (await host.Participant()).Token;
        var item = await Submit(id, author, "Jalan rusak di RT 3");
        foreach (var _ in Enumerable.Range(0, 2))
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Client((await host.Participant()).Token).PostAsJsonAsync($"/api/consultations/{id}/items/{item}/votes", new { value = 1 })).StatusCode);
        }

        // The hall switches to code admission mid-event: open tokens stop, code tokens come in.
        using var admin = host.Client(await host.StaffToken());
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/api/consultations/{id}", new { admission = "code", joinCodeMinutes = 5 })).StatusCode);
        await ProblemAssert.Is(await host.Client((await host.Participant()).Token).PostAsJsonAsync($"/api/consultations/{id}/items/{item}/votes", new { value = 1 }), HttpStatusCode.Forbidden, "admission-required");
        var shown = (await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/join-code")).GetProperty("code").GetString()!;
        foreach (var _ in Enumerable.Range(0, 3))
        {
            using var joined = await host.JoinWithCode(id, shown);
            var token = (await joined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await host.Client(token).PostAsJsonAsync($"/api/consultations/{id}/items/{item}/votes", new { value = 1 })).StatusCode);
        }

        using var official = host.Client(await host.StaffToken("official"));
        var tallies = await official.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/admission");
        output.WriteLine(tallies.ToString());
        Assert.Equal("code", tallies.GetProperty("mode").GetString());
        var voters = tallies.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("itemId").GetString() == item).GetProperty("voters");
        Assert.Equal((2, 3, 0), (voters.GetProperty("open").GetInt32(), voters.GetProperty("code").GetInt32(), voters.GetProperty("invite").GetInt32()));
        var participants = tallies.GetProperty("participants");
        Assert.Equal((3, 3), (participants.GetProperty("open").GetInt32(), participants.GetProperty("code").GetInt32()));

        // Participants do not see the breakdown; the setting and its change are public record.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(author).GetAsync($"/api/consultations/{id}/admission")).StatusCode);
        var info = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}");
        Assert.Equal("code", info.GetProperty("admission").GetString());
        Assert.Equal(5, info.GetProperty("joinCodeMinutes").GetInt32());
    }

    [Fact]
    public async Task Bad_admission_settings_are_refused_and_change_nothing()
    {
        using var admin = host.Client(await host.StaffToken());
        await ProblemAssert.Is(await admin.PostAsJsonAsync("/api/consultations", new { title = "X", admission = "everyone" }), HttpStatusCode.BadRequest, "invalid-consultation");
        await ProblemAssert.Is(await admin.PostAsJsonAsync("/api/consultations", new { title = "X", admission = "code", joinCodeMinutes = 0 }), HttpStatusCode.BadRequest, "invalid-consultation");
        var id = await Create("open");
        await ProblemAssert.Is(await admin.PatchAsJsonAsync($"/api/consultations/{id}", new { admission = "Code" }), HttpStatusCode.BadRequest, "invalid-consultation");
        await ProblemAssert.Is(await admin.PatchAsJsonAsync($"/api/consultations/{id}", new { joinCodeMinutes = 100000 }), HttpStatusCode.BadRequest, "invalid-consultation");
        var info = await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}");
        Assert.Equal("open", info.GetProperty("admission").GetString());
        Assert.Equal(0, info.GetProperty("lastSeq").GetInt64());

        // Not a code consultation: no code to show. Unknown consultation: 404, and no invites minted for it.
        await ProblemAssert.Is(await admin.GetAsync($"/api/consultations/{id}/join-code"), HttpStatusCode.Conflict, "conflict");
        await ProblemAssert.Is(await admin.PostAsJsonAsync("/api/consultations/zzzzzzzz/invites", new { count = 2 }), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_citizen_votes_at_most_the_configured_number_a_minute()
    {
        var open = new { Id = await host.CreateConsultation() };
        var author = (await host.Participant()).Token;
        var items = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            items.Add(await Submit(open.Id, author, $"Usulan nomor {i}"));
        }

        using var voter = host.Client((await host.Participant()).Token);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await voter.PostAsJsonAsync($"/api/consultations/{open.Id}/items/{items[i]}/votes", new { value = 1 })).StatusCode);
        }

        using var refused = await voter.PostAsJsonAsync($"/api/consultations/{open.Id}/items/{items[4]}/votes", new { value = 1 });
        await ProblemAssert.Is(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.NotNull(refused.Headers.RetryAfter);
        var ranking = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{open.Id}/items");
        Assert.Equal(0, ranking.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == items[4]).GetProperty("votes").GetProperty("up").GetInt32());
    }

    [Fact]
    public async Task A_burst_of_new_identities_voting_one_way_is_flagged_to_moderators_only()
    {
        var open = new { Id = await host.CreateConsultation("deliberation") };
        var author = (await host.Participant()).Token;
        var pushed = await Submit(open.Id, author, "Pernyataan yang didorong");
        var mixed = await Submit(open.Id, author, "Pernyataan yang diperdebatkan");
        for (var i = 0; i < 6; i++)
        {
            using var voter = host.Client((await host.Participant()).Token);
            Assert.Equal(HttpStatusCode.OK, (await voter.PostAsJsonAsync($"/api/consultations/{open.Id}/items/{pushed}/votes", new { value = 1 })).StatusCode);
            // The same new identities split on the other statement: no burst there.
            Assert.Equal(HttpStatusCode.OK, (await voter.PostAsJsonAsync($"/api/consultations/{open.Id}/items/{mixed}/votes", new { value = i % 2 == 0 ? 1 : -1 })).StatusCode);
        }

        using var moderator = host.Client(await host.StaffToken("moderator"));
        var staffItems = (await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{open.Id}/items")).GetProperty("items").EnumerateArray()
            .GroupBy(i => i.GetProperty("id").GetString()!).ToDictionary(g => g.Key, g => g.Last());
        var burst = staffItems[pushed].GetProperty("review").GetProperty("burst");
        output.WriteLine(burst.ToString());
        Assert.Equal(1, burst.GetProperty("value").GetInt32());
        Assert.True(burst.GetProperty("newIdentities").GetInt32() >= 5);
        Assert.False(staffItems[mixed].GetProperty("review").TryGetProperty("burst", out _));

        // Participants never see the flag.
        var publicItems = await host.Client(author).GetStringAsync($"/api/consultations/{open.Id}/items");
        Assert.DoesNotContain("burst", publicItems);
    }

    private async Task<string> Create(string admission)
    {
        using var admin = host.Client(await host.StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/consultations", new { title = $"Balai {admission}", admission });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private Task<HttpResponseMessage> Redeem(string id, string code) =>
        host.Client().PostAsJsonAsync("/api/auth/invite", new { consultationId = id, code });

    private async Task<string> Submit(string id, string token, string text)
    {
        using var response = await host.Client(token).PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = Guid.NewGuid().ToString("N"), text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}

/// <summary>Guessing codes: a few wrong ones per address, then 429 even for a right one; right codes never count.</summary>
[Trait("Category", "http")]
public sealed class AdmissionFailureTests(AdmissionFailuresGatewayHost host) : IClassFixture<AdmissionFailuresGatewayHost>
{
    [Fact]
    public async Task Wrong_codes_from_one_address_are_limited()
    {
        using var admin = host.Client(await host.StaffToken());
        var id = (await (await admin.PostAsJsonAsync("/api/consultations", new { title = "Aula", admission = "code" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var shown = (await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/join-code")).GetProperty("code").GetString()!;
        var wrong = ((int.Parse(shown) + 500_000) % 1_000_000).ToString("D6");

        // Right codes first: many arrivals from one venue address are not held back.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.JoinWithCode(id, shown)).StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            await ProblemAssert.Is(await host.JoinWithCode(id, wrong), HttpStatusCode.BadRequest, AdmissionEndpoints.ErrorJoinCode);
        }

        using var limited = await host.JoinWithCode(id, shown);
        await ProblemAssert.Is(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.NotNull(limited.Headers.RetryAfter);
        await ProblemAssert.Is(await host.Client().PostAsJsonAsync("/api/auth/invite", new { consultationId = id, code = "AAAAA-AAAAA" }), HttpStatusCode.TooManyRequests, "rate-limited");
    }
}
