using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>Lite identities: a budget of three per address (the default is 20); two posts a minute per citizen; addresses from X-Forwarded-For.</summary>
public sealed class LiteLimitedGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new()
    {
        ["Dialogue:SubmissionsPerMinute"] = "2",
        ["Dialogue:KnownProxies:0"] = "127.0.0.1",
        ["Dialogue:StaffLoginsPerMinute"] = "100000",
        ["Dialogue:ParticipantTokensPerAddress"] = "1000000",
        ["Dialogue:ParticipantProofBits"] = "8",
        ["Dialogue:LiteIdentitiesPerAddress"] = "3",
    };
}

/// <summary>A gateway whose lite identity budget does not get in the way of the scenario tests.</summary>
public sealed class LiteGatewayHost : GatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = new(DefaultSettings())
    {
        ["Dialogue:LiteIdentitiesPerAddress"] = "100000",
    };
}

/// <summary>
/// The page without JavaScript (/lite): joining by the consultation's admission, posting, voting, own posts
/// with their status, and refusals that are pages with the right status and change nothing.
/// </summary>
[Trait("Category", "http")]
public sealed class LiteTests(LiteGatewayHost host, ITestOutputHelper output) : IClassFixture<LiteGatewayHost>
{
    private const int Budget = 15 * 1024;

    [Fact]
    public async Task Lite_join_post_approve_vote_once_and_see_own_status()
    {
        var id = await Create(moderation: "pre");
        using var citizen = new LiteSession(host.BaseAddress);

        var (status, html, response) = await citizen.Get($"/lite?c={id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'none'", policy);
        Assert.Contains("form-action 'self'", policy);
        Assert.Contains("action=\"/lite/join?", html);
        Assert.DoesNotContain("<textarea", html);

        using (var joined = await citizen.Post($"/lite/join?c={id}"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, joined.StatusCode);
            var cookie = joined.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith($"dlg-{id}=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/lite", cookie, StringComparison.OrdinalIgnoreCase);
        }

        using (var posted = await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Kapan trotoar Jalan Sudirman diperbaiki?")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
            Assert.Contains("m=pending", posted.Headers.Location!.ToString());
        }

        (_, html, _) = await citizen.Get($"/lite?c={id}&m=pending");
        var page = LiteSession.Visible(html);
        Assert.Contains("Akan tampil setelah diperiksa moderator", page);
        Assert.Contains("Kapan trotoar Jalan Sudirman diperbaiki? Menunggu moderasi", page);
        Assert.Contains("Belum ada kiriman yang tampil", page);

        var itemId = (await StaffItems(id)).Single().Key;
        await Moderate(id, new { action = "approve", itemIds = new[] { itemId } });
        (_, html, _) = await citizen.Get($"/lite?c={id}");
        page = LiteSession.Visible(html);
        Assert.Contains("Kapan trotoar Jalan Sudirman diperbaiki? oleh", page);
        Assert.Contains("0 dukungan", page);
        Assert.Contains("Kapan trotoar Jalan Sudirman diperbaiki? Tampil", page);

        // The same upvote twice (a double tap, a resubmitted form): one vote, and the second writes nothing.
        using (var voted = await citizen.Post($"/lite/vote?c={id}", true, ("v", $"{itemId}:1")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, voted.StatusCode);
        }

        var seq = await LastSeq(id);
        using (var again = await citizen.Post($"/lite/vote?c={id}", true, ("v", $"{itemId}:1")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        }

        Assert.Equal(seq, await LastSeq(id));
        Assert.Equal(1, (await StaffItems(id))[itemId].GetProperty("votes").GetProperty("up").GetInt32());
        (_, html, _) = await citizen.Get($"/lite?c={id}&m=voted");
        page = LiteSession.Visible(html);
        Assert.Contains("Suara Anda tercatat", page);
        Assert.Contains("1 dukungan", page);
        Assert.Contains($"value=\"{itemId}:0\">Batalkan dukungan", html);

        // A second post, rejected with a reason and a note: the author reads both.
        using (await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Jual pulsa murah hubungi saya")))
        {
        }

        var spam = (await StaffItems(id)).Keys.Single(k => k != itemId);
        await Moderate(id, new { action = "reject", itemIds = new[] { spam }, reason = "spam", note = "Iklan tidak diizinkan." });
        (_, html, _) = await citizen.Get($"/lite?c={id}");
        Assert.Contains("Jual pulsa murah hubungi saya Ditolak · Alasan: Spam · Catatan moderator: Iklan tidak diizinkan.", LiteSession.Visible(html));

        // The author appeals once from the post's own page, as on the web page; a second appeal is refused.
        (_, html, _) = await citizen.Get($"/lite?c={id}&list=mine");
        Assert.Contains($"lang=id&amp;i={spam}\">Ajukan banding</a>", html);
        using (var appealed = await citizen.Submit($"/lite?c={id}&i={spam}", $"/lite/appeal?c={id}&i={spam}", ("text", "Ini bukan iklan, ini info warga.")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, appealed.StatusCode);
        }

        Assert.True((await StaffItems(id))[spam].GetProperty("appealed").GetBoolean());
        (_, html, _) = await citizen.Get($"/lite?c={id}&i={spam}&m=appealed");
        Assert.Contains("Banding diajukan.", LiteSession.Visible(html));
        Assert.DoesNotContain("/lite/appeal", html);
        await citizen.Get($"/lite?c={id}");
        using (var again = await citizen.Post($"/lite/appeal?c={id}&i={spam}", true, ("text", "Lagi")))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        // An official's answer: marked in the list, in full on the item's page.
        using (var official = host.Client(await host.StaffToken()))
        {
            (await official.PostAsJsonAsync($"/api/consultations/{id}/items/{itemId}/answer", new { text = "Mulai bulan Maret, oleh Dinas PU.", status = "accepted", owner = "Dinas PU" })).EnsureSuccessStatusCode();
        }

        (_, html, _) = await citizen.Get($"/lite?c={id}&i={itemId}");
        page = LiteSession.Visible(html);
        Assert.Contains("Jawaban resmi Mulai bulan Maret, oleh Dinas PU.", page);
        Assert.Contains("Penanggung jawab: Dinas PU", page);
    }

    [Fact]
    public async Task Lite_deliberation_votes_agree_disagree_pass_and_the_last_one_counts()
    {
        var id = await Create(mode: "deliberation");
        var itemId = await SubmitOverApi(id, "Taman kota sebaiknya buka sampai jam 22.");
        using var citizen = await Joined(id);

        using (await citizen.Submit($"/lite?c={id}", $"/lite/vote?c={id}", ("v", $"{itemId}:1")))
        {
        }

        var votes = (await StaffItems(id))[itemId].GetProperty("votes");
        Assert.Equal((1, 0, 0), (votes.GetProperty("agree").GetInt32(), votes.GetProperty("disagree").GetInt32(), votes.GetProperty("pass").GetInt32()));

        using (await citizen.Submit($"/lite?c={id}", $"/lite/vote?c={id}", ("v", $"{itemId}:-1")))
        {
        }

        votes = (await StaffItems(id))[itemId].GetProperty("votes");
        Assert.Equal((0, 1, 0), (votes.GetProperty("agree").GetInt32(), votes.GetProperty("disagree").GetInt32(), votes.GetProperty("pass").GetInt32()));
        var (_, html, _) = await citizen.Get($"/lite?c={id}");
        Assert.Contains("Setuju 0 · Tidak setuju 1 · Lewati 0 · Suara Anda: Tidak setuju", LiteSession.Visible(html));

        // A value the mode does not take is refused and counts nothing.
        using var bad = await citizen.Post($"/lite/vote?c={id}", true, ("v", $"{itemId}:5"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(1, (await StaffItems(id))[itemId].GetProperty("votes").GetProperty("disagree").GetInt32());
    }

    [Fact]
    public async Task Lite_forms_without_a_matching_antiforgery_token_are_refused_and_change_nothing()
    {
        var id = await Create();
        var itemId = await SubmitOverApi(id, "Lampu jalan di gang tiga mati.");
        using var citizen = await Joined(id);
        await citizen.Get($"/lite?c={id}");
        var seq = await LastSeq(id);

        using var noToken = await citizen.Post($"/lite/post?c={id}", false, ("text", "Dikirim oleh situs lain"));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("text/html", noToken.Content.Headers.ContentType!.ToString());
        Assert.Contains("Formulir ini kedaluwarsa", LiteSession.Visible(await noToken.Content.ReadAsStringAsync()));
        using var noVote = await citizen.Post($"/lite/vote?c={id}", false, ("v", $"{itemId}:1"));
        Assert.Equal(HttpStatusCode.BadRequest, noVote.StatusCode);

        // A token taken from another device's page (an attacker's own) does not match this device's cookie.
        using var attacker = new LiteSession(host.BaseAddress);
        var (_, attackerPage, _) = await attacker.Get($"/lite?c={id}");
        using var forged = await citizen.Post($"/lite/vote?c={id}", false, ("v", $"{itemId}:1"), ("af", LiteSession.TokenOf(attackerPage)));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // JSON (what a cross-site fetch could send) is not a form.
        using var json = new HttpClient(new HttpClientHandler { CookieContainer = citizen.Cookies }) { BaseAddress = host.BaseAddress };
        using var asJson = await json.PostAsJsonAsync($"/lite/post?c={id}", new { text = "json", af = LiteSession.TokenOf(citizen.LastPage) });
        Assert.Equal(HttpStatusCode.BadRequest, asJson.StatusCode);

        Assert.Equal(seq, await LastSeq(id));
        Assert.Single(await StaffItems(id));
    }

    [Fact]
    public async Task Lite_encodes_what_citizens_type()
    {
        var id = await Create();
        using var citizen = await Joined(id);
        const string Hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"' onmouseover=\"alert(3)&amp;";
        using (var posted = await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", Hostile)))
        {
            Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        }

        var itemId = (await StaffItems(id)).Single().Key;
        foreach (var url in new[] { $"/lite?c={id}", $"/lite?c={id}&list=new", $"/lite?c={id}&list=mine", $"/lite?c={id}&i={itemId}" })
        {
            var (status, html, _) = await citizen.Get(url);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\" onmouseover", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
            Assert.Contains("&amp;amp;", html);
            Assert.Contains(Hostile, LiteSession.Visible(html));
        }
    }

    [Fact]
    public async Task Lite_pages_stay_within_15_KB_with_200_items()
    {
        var id = await Create(mode: "deliberation", title: new string('"', 200));
        using (var admin = host.Client(await host.StaffToken()))
        {
            (await admin.PatchAsJsonAsync($"/api/consultations/{id}", new { description = string.Concat(Enumerable.Repeat("Warga <&> \"kota\" ", 580)) })).EnsureSuccessStatusCode();
        }

        // The longest texts allowed, made of what grows most when encoded (quotes, ampersands, emoji).
        var (token, _) = await host.Participant();
        using var poster = host.Client(token);
        var hostile = string.Concat(Enumerable.Repeat("\"&<😀 Trotoar ", 2000))[..2000];
        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await poster.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = $"c{i}", text = i % 2 == 0 ? hostile : $"Usulan warga nomor {i}: perbaiki saluran air di RT {i % 17}." });
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        using (var official = host.Client(await host.StaffToken()))
        {
            foreach (var item in ids.Take(30))
            {
                (await official.PostAsJsonAsync($"/api/consultations/{id}/items/{item}/answer", new { text = string.Concat(Enumerable.Repeat("\"<&>", 1000)), status = "under-review", owner = new string('&', 200), due = "2027-03-01" })).EnsureSuccessStatusCode();
            }

            await Moderate(id, new { action = "pin", itemIds = ids.Skip(190).ToArray() });
        }

        using var citizen = await Joined(id);
        for (var i = 0; i < 12; i++)
        {
            using (await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", hostile)))
            {
            }
        }

        var own = (await StaffItems(id)).Keys.Except(ids).ToArray();
        Assert.Equal(12, own.Length);
        await Moderate(id, new { action = "reject", itemIds = own, reason = "other", note = string.Concat(Enumerable.Repeat("\"<&>", 250)) });

        var sizes = new List<(string Url, int Bytes)>();
        foreach (var url in new[] { $"/lite?c={id}", $"/lite?c={id}&list=top&p=2", $"/lite?c={id}&list=new&p=20", $"/lite?c={id}&list=mine", $"/lite?c={id}&list=about", $"/lite?c={id}&i={ids[0]}", $"/lite?c={id}&i={own[0]}" })
        {
            var (status, html, _) = await citizen.Get(url);
            Assert.Equal(HttpStatusCode.OK, status);
            sizes.Add((url, Encoding.UTF8.GetByteCount(html)));
        }

        // An anonymous reader's page has no forms: smaller, but measured too.
        using var reader = new LiteSession(host.BaseAddress);
        sizes.Add(("first page, not joined", Encoding.UTF8.GetByteCount((await reader.Get($"/lite?c={id}")).Html)));
        var figures = string.Join(", ", sizes.Select(s => $"{s.Url.Replace($"/lite?c={id}", string.Empty, StringComparison.Ordinal).TrimStart('&') switch { "" => "first page", var q => q }} {s.Bytes:N0} B"));
        output.WriteLine($"lite pages, 200 items (worst-case texts): {figures}");

        // ./test.sh prints this file at the end of its run (DIALOGUE_TEST_FIGURES), so every run shows the sizes.
        if (Environment.GetEnvironmentVariable("DIALOGUE_TEST_FIGURES") is { Length: > 0 } path)
        {
            File.AppendAllText(path, $"lite pages, 200 items (worst-case texts): {figures}{Environment.NewLine}");
        }

        Assert.All(sizes, s => Assert.True(s.Bytes <= Budget, $"{s.Url} is {s.Bytes} bytes (budget {Budget})"));

        // The first page shows 10 + 10 items and offers the rest a page at a time.
        var (_, first, _) = await citizen.Get($"/lite?c={id}");
        Assert.Equal(20, System.Text.RegularExpressions.Regex.Matches(first, "value=\"i\\d+:1\"").Count);
        Assert.Contains("list=top&amp;p=2", first);
        Assert.Contains("list=new&amp;p=2", first);
    }

    [Fact]
    public async Task Lite_invite_consultation_takes_only_invitation_codes()
    {
        var id = await Create(admission: "invite");
        using var citizen = new LiteSession(host.BaseAddress);
        var (_, html, _) = await citizen.Get($"/lite?c={id}");
        Assert.Contains("name=\"invite\"", html);

        // Neither a bare join, nor a join code, nor a made-up invitation gets in.
        using (var bare = await citizen.Post($"/lite/join?c={id}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
            Assert.False(bare.Headers.Contains("Set-Cookie") && bare.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("dlg-" + id, StringComparison.Ordinal)));
        }

        using (var wrong = await citizen.Submit($"/lite?c={id}", $"/lite/join?c={id}", ("invite", "ABCDE-FGHJK"), ("code", "123456")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("Kode undangan tidak berlaku", LiteSession.Visible(await wrong.Content.ReadAsStringAsync()));
        }

        using var posted = await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Tanpa undangan"));
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);

        string code;
        using (var admin = host.Client(await host.StaffToken()))
        {
            using var issued = await admin.PostAsJsonAsync($"/api/consultations/{id}/invites", new { count = 1 });
            code = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("codes")[0].GetString()!;
        }

        using (var joined = await citizen.Submit($"/lite?c={id}", $"/lite/join?c={id}", ("invite", code.ToLowerInvariant())))
        {
            Assert.Equal(HttpStatusCode.SeeOther, joined.StatusCode);
        }

        using (var sent = await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Dengan undangan")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
        }

        // The code is spent: another device cannot use it again.
        using var other = new LiteSession(host.BaseAddress);
        using var reused = await other.Submit($"/lite?c={id}", $"/lite/join?c={id}", ("invite", code));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal(["Dengan undangan"], (await StaffItems(id)).Values.Select(i => i.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Lite_code_consultation_takes_the_join_code_on_screen()
    {
        var id = await Create(admission: "code");
        using var citizen = new LiteSession(host.BaseAddress);
        using (var wrong = await citizen.Submit($"/lite?c={id}", $"/lite/join?c={id}", ("code", "000000x")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        string code;
        using (var staff = host.Client(await host.StaffToken()))
        {
            code = (await staff.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/join-code")).GetProperty("code").GetString()!;
        }

        using (var joined = await citizen.Submit($"/lite?c={id}", $"/lite/join?c={id}", ("code", code)))
        {
            Assert.Equal(HttpStatusCode.SeeOther, joined.StatusCode);
        }

        using var sent = await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Dari aula"));
        Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
        using var admin = host.Client(await host.StaffToken());
        var tallies = await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/admission");
        Assert.Equal(1, tallies.GetProperty("participants").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Lite_bad_codes_closed_consultations_hidden_items_and_long_texts_are_readable_refusals()
    {
        using var citizen = new LiteSession(host.BaseAddress);
        foreach (var url in new[] { "/lite?c=nonsense", "/lite?c=gzzzzzzz", "/lite?c=%3Cscript%3E" })
        {
            var (status, html, _) = await citizen.Get(url);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("Konsultasi atau kiriman tidak ditemukan", LiteSession.Visible(html));
            Assert.Contains("<form method=\"get\" action=\"/lite/\">", html);
            Assert.DoesNotContain("<script", html);
        }

        var draft = await Create(status: "draft");
        Assert.Equal(HttpStatusCode.NotFound, (await citizen.Get($"/lite?c={draft}")).Status);

        var id = await Create();
        var hidden = await SubmitOverApi(id, "Akan ditolak");
        await Moderate(id, new { action = "reject", itemIds = new[] { hidden }, reason = "off_topic" });
        using var joined = await Joined(id);
        var seq = await LastSeq(id);
        using (var vote = await joined.Submit($"/lite?c={id}", $"/lite/vote?c={id}", ("v", $"{hidden}:1")))
        {
            Assert.Equal(HttpStatusCode.NotFound, vote.StatusCode);
            Assert.Contains("Kiriman ini tidak tampil", LiteSession.Visible(await vote.Content.ReadAsStringAsync()));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await joined.Get($"/lite?c={id}&i={hidden}")).Status);

        var tooLong = new string('a', new DialogueOptions().MaxTextLength + 1);
        using (var longText = await joined.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", tooLong)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, longText.StatusCode);
            var html = await longText.Content.ReadAsStringAsync();
            Assert.Contains("Teks tidak valid", LiteSession.Visible(html));

            // What was typed comes back in a form that can be sent again.
            Assert.Contains(tooLong[..100], html);
            Assert.Contains("action=\"/lite/post?", html);
        }

        Assert.Equal(seq, await LastSeq(id));

        using (var admin = host.Client(await host.StaffToken()))
        {
            (await admin.PatchAsJsonAsync($"/api/consultations/{id}", new { status = "closed" })).EnsureSuccessStatusCode();
        }

        seq = await LastSeq(id);
        var (closedStatus, closedPage, _) = await joined.Get($"/lite?c={id}");
        Assert.Equal(HttpStatusCode.OK, closedStatus);
        Assert.Contains("Konsultasi ini sudah ditutup", LiteSession.Visible(closedPage));
        Assert.DoesNotContain("<form method=\"post\"", closedPage);
        Assert.Equal(seq, await LastSeq(id));
    }

    [Fact]
    public async Task Lite_closed_consultation_refuses_posts_with_409()
    {
        var id = await Create();
        using var citizen = await Joined(id);
        await citizen.Get($"/lite?c={id}");
        using (var admin = host.Client(await host.StaffToken()))
        {
            (await admin.PatchAsJsonAsync($"/api/consultations/{id}", new { status = "closed" })).EnsureSuccessStatusCode();
        }

        var seq = await LastSeq(id);

        // The form was read while it was open; sent after closing.
        using var late = await citizen.Post($"/lite/post?c={id}", true, ("text", "Terlambat"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("Konsultasi sudah ditutup", LiteSession.Visible(await late.Content.ReadAsStringAsync()));
        Assert.Equal(seq, await LastSeq(id));
    }

    [Fact]
    public async Task Lite_sanctioned_citizen_cannot_post()
    {
        var id = await Create();
        using var citizen = await Joined(id);
        using (await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Kalimat kasar")))
        {
        }

        var itemId = (await StaffItems(id)).Single().Key;
        using (var admin = host.Client(await host.StaffToken()))
        {
            (await admin.PostAsJsonAsync($"/api/consultations/{id}/sanctions", new { itemId, kind = "mute", reason = "abuse" })).EnsureSuccessStatusCode();
        }

        using var muted = await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Lagi"));
        Assert.Equal(HttpStatusCode.Forbidden, muted.StatusCode);
        Assert.Contains("Anda sedang tidak dapat mengirim", LiteSession.Visible(await muted.Content.ReadAsStringAsync()));
        Assert.Single(await StaffItems(id));
    }

    [Fact]
    public async Task Lite_speaks_Indonesian_first_and_English_when_asked()
    {
        var id = await Create();
        using var indonesian = new LiteSession(host.BaseAddress);
        var (_, html, _) = await indonesian.Get($"/lite?c={id}");
        Assert.Contains("<html lang=\"id\">", html);
        Assert.Contains("Gabung", html);

        using var browserInEnglish = new LiteSession(host.BaseAddress, "en-US,en;q=0.9,id;q=0.5");
        (_, html, _) = await browserInEnglish.Get($"/lite?c={id}");
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains(">Join<", html);

        // ?lang wins over the browser, and the forms and links keep it.
        (_, html, _) = await browserInEnglish.Get($"/lite?c={id}&lang=id");
        Assert.Contains("<html lang=\"id\">", html);
        Assert.Contains($"action=\"/lite/join?c={id}&amp;lang=id\"", html);
        using var joined = await browserInEnglish.Post($"/lite/join?c={id}&lang=en");
        Assert.EndsWith("lang=en&m=joined", joined.Headers.Location!.ToString());
    }

    private async Task<LiteSession> Joined(string id)
    {
        var session = new LiteSession(host.BaseAddress);
        using var joined = await session.Submit($"/lite?c={id}", $"/lite/join?c={id}");
        Assert.Equal(HttpStatusCode.SeeOther, joined.StatusCode);
        return session;
    }

    private async Task<string> Create(string mode = "qa", string moderation = "post", string? admission = null, string status = "open", string title = "Balai warga")
    {
        using var admin = host.Client(await host.StaffToken());
        using var response = await admin.PostAsJsonAsync("/api/consultations", new { title, description = "Tanya jawab", mode, moderation, status, admission });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<string> SubmitOverApi(string id, string text)
    {
        var (token, _) = await host.Participant();
        using var participant = host.Client(token);
        using var response = await participant.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = Guid.NewGuid().ToString("N"), text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task Moderate(string id, object request)
    {
        using var admin = host.Client(await host.StaffToken());
        using var response = await admin.PostAsJsonAsync($"/api/consultations/{id}/moderation", request);
        response.EnsureSuccessStatusCode();
    }

    private async Task<Dictionary<string, JsonElement>> StaffItems(string id)
    {
        using var admin = host.Client(await host.StaffToken());
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/items");
        return page.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i);
    }

    private async Task<long> LastSeq(string id)
    {
        using var admin = host.Client(await host.StaffToken());
        return (await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}")).GetProperty("lastSeq").GetInt64();
    }
}

/// <summary>Minting identities from /lite is limited per client address, and a citizen's posts by the same rate limit as the API's.</summary>
[Trait("Category", "http")]
public sealed class LiteLimitTests(LiteLimitedGatewayHost host) : IClassFixture<LiteLimitedGatewayHost>
{
    [Fact]
    public async Task Lite_identities_per_address_are_limited_and_the_refusal_is_a_page()
    {
        var id = await Create();
        for (var i = 0; i < 3; i++)
        {
            using var device = new LiteSession(host.BaseAddress, forwardedFor: "203.0.113.7");
            using var joined = await device.Submit($"/lite?c={id}", $"/lite/join?c={id}");
            Assert.Equal(HttpStatusCode.SeeOther, joined.StatusCode);
        }

        using var fourth = new LiteSession(host.BaseAddress, forwardedFor: "203.0.113.7");
        using var refused = await fourth.Submit($"/lite?c={id}", $"/lite/join?c={id}");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Contains("text/html", refused.Content.Headers.ContentType!.ToString());
        Assert.Contains("Terlalu banyak pendaftaran baru", LiteSession.Visible(await refused.Content.ReadAsStringAsync()));
        Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith($"dlg-{id}=", StringComparison.Ordinal)));

        // Without an identity the device cannot post.
        using var post = await fourth.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Tanpa identitas"));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

        // The budget is per address: another one still gets in.
        using var elsewhere = new LiteSession(host.BaseAddress, forwardedFor: "203.0.113.8");
        using var admitted = await elsewhere.Submit($"/lite?c={id}", $"/lite/join?c={id}");
        Assert.Equal(HttpStatusCode.SeeOther, admitted.StatusCode);
    }

    [Fact]
    public async Task Lite_posts_keep_the_citizens_rate_limit_and_a_refused_text_is_not_lost()
    {
        var id = await Create();
        using var citizen = new LiteSession(host.BaseAddress, forwardedFor: "203.0.113.9");
        using (await citizen.Submit($"/lite?c={id}", $"/lite/join?c={id}"))
        {
        }

        for (var i = 0; i < 2; i++)
        {
            using var sent = await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", $"Usulan {i}"));
            Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
        }

        using var third = await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Usulan ketiga yang terlalu cepat"));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.Contains("Retry-After"));
        var html = await third.Content.ReadAsStringAsync();
        Assert.Contains("Terlalu cepat", LiteSession.Visible(html));
        Assert.Contains(">Usulan ketiga yang terlalu cepat</textarea>", html);

        using var admin = host.Client(await host.StaffToken());
        var items = (await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/items")).GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
    }

    private async Task<string> Create()
    {
        using var admin = host.Client(await host.StaffToken());
        using var created = await admin.PostAsJsonAsync("/api/consultations", new { title = "Balai warga", description = "", mode = "qa", moderation = "post" });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
