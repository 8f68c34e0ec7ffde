using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>A citizen's data download and erasure, end to end over HTTP and SignalR; run once per storage (StorageSpecs.cs).</summary>
public abstract class DataRightsTests(GatewayHost host)
{
    // Unique per test: the class's tests share one storage.
    private readonly string _tag = $"Rahasia-{Guid.NewGuid():N}";

    private string SecretText => $"{_tag} jalan berlubang depan rumah saya nomor 12";

    private string SecretEdit => $"{_tag} versi suntingan moderator";

    private string SecretAppeal => $"{_tag} banding saya";

    private static Task<JsonElement> Body(HttpResponseMessage response) => PublicRecordTests.Body(response);

    private async Task<(string Id, HttpClient Author, string AuthorId, HttpClient Other)> Arrange()
    {
        var id = await host.CreateConsultation();
        var (token, citizen) = await host.Participant();
        var (otherToken, _) = await host.Participant();
        var author = host.Client(token);
        var other = host.Client(otherToken);
        (await author.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "a", text = SecretText })).EnsureSuccessStatusCode();
        (await author.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "b", text = $"{_tag} kedua" })).EnsureSuccessStatusCode();
        (await other.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "c", text = "Pertanyaan warga lain" })).EnsureSuccessStatusCode();
        (await author.PostAsJsonAsync($"/api/consultations/{id}/items/i3/votes", new { value = 1 })).EnsureSuccessStatusCode();
        (await other.PostAsJsonAsync($"/api/consultations/{id}/items/i1/votes", new { value = 1 })).EnsureSuccessStatusCode();
        using var moderator = host.Client(await host.StaffToken("moderator"));
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "edit", itemIds = new[] { "i2" }, text = SecretEdit })).EnsureSuccessStatusCode();
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "reject", itemIds = new[] { "i2" }, reason = "personal_data", note = $"{_tag} catatan" })).EnsureSuccessStatusCode();
        (await author.PostAsJsonAsync($"/api/consultations/{id}/items/i2/appeal", new { text = SecretAppeal })).EnsureSuccessStatusCode();
        return (id, author, citizen, other);
    }

    [Fact]
    public async Task A_participant_downloads_everything_held_about_them()
    {
        var (id, author, _, other) = await Arrange();
        var data = await author.GetFromJsonAsync<JsonElement>($"/api/me/data?consultation={id}");
        var consultation = data.GetProperty("consultations").EnumerateArray().Single();
        Assert.Equal(id, consultation.GetProperty("consultationId").GetString());
        var items = consultation.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["i1", "i2"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(SecretText, items[0].GetProperty("text").GetString());
        Assert.Equal("personal_data", items[1].GetProperty("rejectionReason").GetString());
        Assert.Equal(["i3"], consultation.GetProperty("votes").EnumerateArray().Select(v => v.GetProperty("itemId").GetString()));
        Assert.Contains(consultation.GetProperty("history").EnumerateArray(), e => e.GetProperty("action").GetString() == "reject");
        Assert.Contains(data.GetProperty("notifications").EnumerateArray(), n => n.GetProperty("kind").GetString() == "rejected");

        // The other citizen's data holds none of the author's.
        var others = await other.GetFromJsonAsync<JsonElement>("/api/me/data");
        Assert.DoesNotContain(SecretText, others.ToString(), StringComparison.Ordinal);
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/data")).StatusCode);
        using var moderator = host.Client(await host.StaffToken("moderator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.GetAsync("/api/me/data")).StatusCode);
    }

    [Fact]
    public async Task Erasure_removes_the_text_from_every_view_export_and_stored_row_withdraws_votes_and_is_logged()
    {
        var (id, author, authorId, other) = await Arrange();
        using var moderator = host.Client(await host.StaffToken("moderator"));
        var staffHub = host.Hub(await host.StaffToken("moderator"));
        var pushed = new ConcurrentQueue<ItemView>();
        staffHub.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
        {
            foreach (var item in items)
            {
                pushed.Enqueue(item);
            }
        });
        await staffHub.StartAsync();
        await staffHub.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

        // Without an explicit yes nothing happens.
        await PublicRecordTests.AssertProblem(await author.PostAsJsonAsync("/api/me/erase", new { }), HttpStatusCode.BadRequest, "confirmation-required");
        Assert.Contains(SecretText, await moderator.GetStringAsync($"/api/consultations/{id}/items"), StringComparison.Ordinal);

        using var erased = await author.PostAsJsonAsync("/api/me/erase", new { confirm = true });
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var result = await Body(erased);
        Assert.Equal(2, result.GetProperty("items").GetInt32());
        Assert.Equal(1, result.GetProperty("votes").GetInt32());

        // Staff and public views: the marker instead of the text, flagged as erased; the withdrawn vote no longer counts.
        var staffItems = await moderator.GetStringAsync($"/api/consultations/{id}/items");
        Assert.DoesNotContain(_tag, staffItems, StringComparison.Ordinal);
        var page = JsonDocument.Parse(staffItems).RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        Assert.Equal("[dihapus atas permintaan penulis]", page["i1"].GetProperty("text").GetString());
        Assert.True(page["i1"].GetProperty("erased").GetBoolean());
        Assert.Equal(1, page["i1"].GetProperty("votes").GetProperty("up").GetInt32());
        Assert.Equal(0, page["i3"].GetProperty("votes").GetProperty("up").GetInt32());
        Assert.Equal("Pertanyaan warga lain", page["i3"].GetProperty("text").GetString());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!pushed.Any(i => i.Id == "i1" && i.Erased) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains(pushed, i => i.Id == "i1" && i.Erased && i.Text == "[dihapus atas permintaan penulis]");
        await staffHub.DisposeAsync();

        var export = await moderator.GetStringAsync($"/api/consultations/{id}/export?format=json");
        Assert.DoesNotContain(_tag, export, StringComparison.Ordinal);
        Assert.DoesNotContain(authorId, export, StringComparison.Ordinal);
        var exported = JsonDocument.Parse(export).RootElement;
        Assert.Single(exported.GetProperty("votes").EnumerateArray());

        // Logged without personal data; the chain still verifies.
        var log = await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log");
        var entry = log.GetProperty("entries").EnumerateArray().Last();
        Assert.Equal("erasure", entry.GetProperty("action").GetString());
        Assert.Equal("items:2,votes:1", entry.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("pseudonym").ValueKind);
        Assert.True((await moderator.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/moderation-log/verify")).GetProperty("valid").GetBoolean());

        // Nothing of it is left in the stored files either (journal rows, write-ahead log, grain state).
        var stored = await host.StoredTextAsync();
        Assert.Contains("Pertanyaan warga lain", stored, StringComparison.Ordinal);
        var found = stored.IndexOf(_tag, StringComparison.Ordinal);
        Assert.True(found < 0, found < 0 ? null : stored.Substring(Math.Max(0, found - 400), 600).Replace('\0', '.'));
        // The citizen's own (emptied) record may keep its key; nothing stored after that key, up to the next
        // stored grain's key, may tie it to this consultation (in the journal the id must be gone entirely).
        Assert.DoesNotContain(authorId, await host.JournalTextAsync(), StringComparison.Ordinal);
        for (var at = stored.IndexOf(authorId, StringComparison.Ordinal); at >= 0; at = stored.IndexOf(authorId, at + 1, StringComparison.Ordinal))
        {
            // A grain-state row: key, service id, payload, then its modification time (the only "…sss Z" time in it).
            var end = System.Text.RegularExpressions.Regex.Match(stored[at..Math.Min(stored.Length, at + 4000)], @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z");
            var row = stored.Substring(at, end.Success ? end.Index : Math.Min(stored.Length - at, 4000));
            Assert.False(row.Contains(id, StringComparison.Ordinal), row.Replace('\0', '.'));
        }

        // Asking again finds nothing left to erase.
        var repeat = await Body(await author.PostAsJsonAsync("/api/me/erase", new { confirm = true }));
        Assert.Equal((0, 0), (repeat.GetProperty("items").GetInt32(), repeat.GetProperty("votes").GetInt32()));

        // The citizen holds nothing here any more; voting again counts once.
        var data = await author.GetFromJsonAsync<JsonElement>("/api/me/data");
        Assert.Empty(data.GetProperty("consultations").EnumerateArray());
        (await author.PostAsJsonAsync($"/api/consultations/{id}/items/i3/votes", new { value = 1 })).EnsureSuccessStatusCode();
        var after = JsonDocument.Parse(await moderator.GetStringAsync($"/api/consultations/{id}/items")).RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "i3");
        Assert.Equal(1, after.GetProperty("votes").GetProperty("up").GetInt32());
        other.Dispose();
        author.Dispose();
    }
}
