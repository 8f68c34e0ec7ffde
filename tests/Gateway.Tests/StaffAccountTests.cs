using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>A gateway that re-checks staff accounts every second.</summary>
public sealed class StaffAccountsHost : GatewayHost
{
    public StaffAccountsHost() => Settings["Dialogue:StaffAccountRecheckSeconds"] = "1";
}

/// <summary>Named staff accounts: invitation, passphrase, sign-in, accountable actions, revocation, scopes.</summary>
[Trait("Category", "http")]
public sealed class StaffAccountTests(StaffAccountsHost host) : IClassFixture<StaffAccountsHost>
{
    private async Task<(string Consultation, string ItemId)> PublishedItem()
    {
        var id = await host.CreateConsultation();
        using var client = host.Client((await host.Participant()).Token);
        using var response = await client.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "q", text = "Kapan pasar direnovasi?" });
        return (id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }

    private async Task<JsonElement> LastLogEntry(string consultation)
    {
        var log = await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{consultation}/moderation-log");
        return log.GetProperty("entries").EnumerateArray().Last();
    }

    [Fact]
    public async Task Invited_account_signs_in_and_the_log_claims_and_answers_name_the_account_not_the_request()
    {
        var (moderatorId, moderatorToken) = await host.StaffAccount("moderator", "Ana Putri");
        var (officialId, officialToken) = await host.StaffAccount("official", "Pak Lurah");
        var (id, item) = await PublishedItem();
        using var moderator = host.Client(moderatorToken);

        // Whatever name a request carries, the account's own name and id go into the record.
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "claim", itemIds = new[] { item }, name = "Mallory", by = "Mallory" })).EnsureSuccessStatusCode();
        var queue = await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/queue");
        var items = await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/items");
        var review = items.GetProperty("items")[0].GetProperty("review");
        Assert.Equal(("Ana Putri", moderatorId), (review.GetProperty("claimedBy").GetString(), review.GetProperty("claimedByAccount").GetString()));
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "highlight", itemIds = new[] { item }, name = "Mallory" })).EnsureSuccessStatusCode();
        var entry = await LastLogEntry(id);
        Assert.Equal(("highlight", "Ana Putri", moderatorId), (entry.GetProperty("action").GetString(), entry.GetProperty("by").GetString(), entry.GetProperty("byAccount").GetString()));

        using var official = host.Client(officialToken);
        using var answered = await official.PostAsJsonAsync($"/api/consultations/{id}/items/{item}/answer", new { text = "Bulan depan.", by = "Mallory" });
        answered.EnsureSuccessStatusCode();
        var answer = (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answer");
        Assert.Equal(("Pak Lurah", officialId), (answer.GetProperty("by").GetString(), answer.GetProperty("byAccount").GetString()));
        entry = await LastLogEntry(id);
        Assert.Equal(("answer", "Pak Lurah", officialId), (entry.GetProperty("action").GetString(), entry.GetProperty("by").GetString(), entry.GetProperty("byAccount").GetString()));
        Assert.True((await host.Client().GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log/verify")).GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Array, queue.ValueKind);
    }

    [Fact]
    public async Task Admin_key_names_itself_bootstrap_key_whatever_name_is_sent()
    {
        var (id, item) = await PublishedItem();
        using var response = await host.Client().PostAsJsonAsync("/api/auth/token", new { key = GatewayHost.AdminKey, role = "admin", name = "Mallory" });
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        (await host.Client(token).PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "highlight", itemIds = new[] { item } })).EnsureSuccessStatusCode();
        var entry = await LastLogEntry(id);
        Assert.Equal("bootstrap key", entry.GetProperty("by").GetString());
        Assert.StartsWith("key:", entry.GetProperty("byAccount").GetString());
    }

    [Fact]
    public async Task Disabled_account_is_refused_on_rest_and_its_live_connection_is_closed_and_re_enabling_needs_a_new_sign_in()
    {
        var login = $"dina-{Guid.NewGuid():N}"[..16];
        var (accountId, token) = await host.StaffAccount("moderator", "Dina", login: login);
        var (id, _) = await PublishedItem();
        using var moderator = host.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync($"/api/consultations/{id}/queue")).StatusCode);
        await using var hub = host.Hub(token);
        var closed = new TaskCompletionSource();
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync();
        await hub.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

        using var admin = host.Client(await host.StaffToken());
        (await admin.PatchAsJsonAsync($"/api/staff/accounts/{accountId}", new { enabled = false })).EnsureSuccessStatusCode();

        // Within the re-check window (1 s here; 30 s by default) the token stops working everywhere.
        var deadline = DateTime.UtcNow.AddSeconds(3);
        HttpStatusCode status;
        while ((status = (await moderator.GetAsync($"/api/consultations/{id}/queue")).StatusCode) == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await using var reconnect = host.Hub(token);
        await Assert.ThrowsAnyAsync<Exception>(() => reconnect.StartAsync());

        // A disabled account cannot sign in: the same answer as a wrong passphrase.
        await ProblemAssert.Is(await host.SignIn(login, GatewayHost.StaffPassphrase), HttpStatusCode.Unauthorized, "invalid-credentials");

        (await admin.PatchAsJsonAsync($"/api/staff/accounts/{accountId}", new { enabled = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await moderator.GetAsync($"/api/consultations/{id}/queue")).StatusCode);
        using var again = await host.SignIn(login, GatewayHost.StaffPassphrase);
        again.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Hub_call_of_a_disabled_account_is_refused()
    {
        var (accountId, token) = await host.StaffAccount("moderator", "Eka");
        var (id, _) = await PublishedItem();
        await using var hub = host.Hub(token);
        await hub.StartAsync();
        using var admin = host.Client(await host.StaffToken());
        (await admin.PatchAsJsonAsync($"/api/staff/accounts/{accountId}", new { enabled = false })).EnsureSuccessStatusCode();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L));
        Assert.True(refused is HubException { Message: var m } ? m.Contains("unauthorized") : refused is InvalidOperationException or TaskCanceledException, refused.ToString());
    }

    [Fact]
    public async Task Admin_key_gives_no_moderator_or_official_token_once_an_account_exists()
    {
        await host.Invite($"fajar-{Guid.NewGuid():N}"[..16], "Fajar", "official");
        using var client = host.Client();
        await ProblemAssert.Is(await client.PostAsJsonAsync("/api/auth/token", new { key = GatewayHost.AdminKey, role = "moderator" }), HttpStatusCode.Forbidden, "bootstrap-only");
        await ProblemAssert.Is(await client.PostAsJsonAsync("/api/auth/token", new { key = GatewayHost.AdminKey, role = "official" }), HttpStatusCode.Forbidden, "bootstrap-only");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/token", new { key = GatewayHost.AdminKey, role = "admin" })).StatusCode);
    }

    [Fact]
    public async Task Bad_invitations_passphrases_and_logins_get_problems_not_errors()
    {
        var login = $"gita-{Guid.NewGuid():N}"[..16];
        var (_, code) = await host.Invite(login, "Gita", "moderator");
        await ProblemAssert.Is(await host.AcceptInvitation(code, "too short"), HttpStatusCode.BadRequest, "weak-passphrase");
        await ProblemAssert.Is(await host.AcceptInvitation("not-the-code", GatewayHost.StaffPassphrase), HttpStatusCode.BadRequest, "invalid-invitation");
        await ProblemAssert.Is(await host.SignIn(login, GatewayHost.StaffPassphrase), HttpStatusCode.Unauthorized, "invalid-credentials");
        (await host.AcceptInvitation(code, GatewayHost.StaffPassphrase)).EnsureSuccessStatusCode();
        await ProblemAssert.Is(await host.AcceptInvitation(code, GatewayHost.StaffPassphrase + "!"), HttpStatusCode.BadRequest, "invalid-invitation");

        await ProblemAssert.Is(await host.SignIn(login, "wrong passphrase, long enough"), HttpStatusCode.Unauthorized, "invalid-credentials");
        await ProblemAssert.Is(await host.SignIn("nobody-here", GatewayHost.StaffPassphrase), HttpStatusCode.Unauthorized, "invalid-credentials");
        await ProblemAssert.Is(await host.SignIn("", ""), HttpStatusCode.BadRequest, "invalid-credentials");
        Assert.Equal(HttpStatusCode.OK, (await host.SignIn(login.ToUpperInvariant(), GatewayHost.StaffPassphrase)).StatusCode);

        using var admin = host.Client(await host.StaffToken());
        await ProblemAssert.Is(await admin.PostAsJsonAsync("/api/staff/accounts", new { login, displayName = "Gita 2", role = "moderator" }), HttpStatusCode.Conflict, "login-taken");
        await ProblemAssert.Is(await admin.PostAsJsonAsync("/api/staff/accounts", new { login = "x y", displayName = "X", role = "moderator" }), HttpStatusCode.BadRequest, "invalid-account");
        await ProblemAssert.Is(await admin.PostAsJsonAsync("/api/staff/accounts", new { login = "king1", displayName = "X", role = "king" }), HttpStatusCode.BadRequest, "invalid-account");
        await ProblemAssert.Is(await admin.PostAsJsonAsync("/api/staff/accounts", new { login = "scoped1", displayName = "X", role = "moderator", consultations = Array.Empty<string>() }), HttpStatusCode.BadRequest, "invalid-account");
        await ProblemAssert.Is(await admin.PatchAsJsonAsync("/api/staff/accounts/s0000", new { enabled = false }), HttpStatusCode.NotFound, "not-found");
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/staff/accounts");
        var gita = list.EnumerateArray().Single(a => a.GetProperty("login").GetString() == login);
        Assert.True(gita.GetProperty("active").GetBoolean());
        Assert.DoesNotContain("passphrase", list.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", list.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Account_scoped_to_one_consultation_cannot_act_on_or_read_staff_views_of_another()
    {
        var (x, itemX) = await PublishedItem();
        var (y, itemY) = await PublishedItem();
        var (_, moderatorToken) = await host.StaffAccount("moderator", "Hadi", [x]);
        var (_, officialToken) = await host.StaffAccount("official", "Ibu Camat", [x]);
        var (_, scopedAdmin) = await host.StaffAccount("admin", "Admin X", [x]);
        var (_, fullAdmin) = await host.StaffAccount("admin", "Admin semua");
        using var moderator = host.Client(moderatorToken);
        using var official = host.Client(officialToken);

        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync($"/api/consultations/{x}/queue")).StatusCode);
        (await moderator.PostAsJsonAsync($"/api/consultations/{x}/moderation", new { action = "highlight", itemIds = new[] { itemX } })).EnsureSuccessStatusCode();
        await ProblemAssert.Is(await moderator.GetAsync($"/api/consultations/{y}/queue"), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.Is(await moderator.GetAsync($"/api/consultations/{y}/items"), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.Is(await moderator.GetAsync($"/api/consultations/{y}/export"), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.Is(await moderator.GetAsync($"/api/consultations/{y}/topics"), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.Is(await moderator.PostAsJsonAsync($"/api/consultations/{y}/moderation", new { action = "claim", itemIds = new[] { itemY } }), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.Is(await official.PostAsJsonAsync($"/api/consultations/{y}/items/{itemY}/answer", new { text = "Jawaban" }), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await official.PostAsJsonAsync($"/api/consultations/{x}/items/{itemX}/answer", new { text = "Jawaban" })).StatusCode);

        await using var hub = host.Hub(moderatorToken);
        await hub.StartAsync();
        await hub.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), x, 0L);
        var join = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), y, 0L));
        Assert.Contains("forbidden:", join.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>(nameof(DialogueHub.Moderate), y, new { action = "claim", itemIds = new[] { itemY } }));

        // A draft elsewhere is not even listed to them.
        using var key = host.Client(await host.StaffToken());
        using var created = await key.PostAsJsonAsync("/api/consultations", new { title = "Rancangan", description = "d", mode = "qa", moderation = "pre", status = "draft" });
        var draft = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.DoesNotContain(draft, (await moderator.GetFromJsonAsync<JsonElement>("/api/consultations")).EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Contains(draft, (await host.Client(fullAdmin).GetFromJsonAsync<JsonElement>("/api/consultations")).EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        // Only admins with every consultation manage accounts; they act everywhere.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client(scopedAdmin).GetAsync("/api/staff/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client(fullAdmin).GetAsync("/api/staff/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client(fullAdmin).GetAsync($"/api/consultations/{y}/queue")).StatusCode);
    }
}
