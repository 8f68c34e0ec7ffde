using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// A citizen's data rights on the page without JavaScript, as on the web page: download everything held about
/// them, and erase their posts and votes after ticking the confirmation. Every way in without the device's
/// identity, the form's token or the tick is refused with a page and changes nothing.
/// </summary>
[Trait("Category", "http")]
public sealed class LiteDataRightsTests(LiteGatewayHost host) : IClassFixture<LiteGatewayHost>
{
    [Fact]
    public async Task Lite_citizen_downloads_their_data_then_erases_posts_and_votes_after_ticking_the_box()
    {
        var id = await host.CreateConsultation();
        var other = await host.Submit(id, "Lampu jalan di gang tiga mati sejak Senin");
        using var citizen = new LiteSession(host.BaseAddress);
        using (var joined = await citizen.Submit($"/lite?c={id}", $"/lite/join?c={id}"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, joined.StatusCode);
        }

        using (await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Kapan taman RW 5 dibersihkan?")))
        {
        }

        using (await citizen.Submit($"/lite?c={id}", $"/lite/vote?c={id}", ("v", $"{other}:1")))
        {
        }

        Assert.Equal(1, (await host.StaffItems(id))[other].GetProperty("votes").GetProperty("up").GetInt32());

        // "My posts" carries the download link and the erase form with its box.
        var (_, html, _) = await citizen.Get($"/lite?c={id}&list=mine");
        Assert.Contains($"href=\"/lite/data?c={id}&amp;lang=id\">Unduh semua data saya (JSON)</a>", html);
        Assert.Contains($"action=\"/lite/erase?c={id}&amp;lang=id\"", html);
        Assert.Contains("name=\"confirm\" value=\"yes\" required", html);
        Assert.DoesNotContain("<script", html);

        var (status, json, response) = await citizen.Get($"/lite/data?c={id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var data = JsonDocument.Parse(json).RootElement;
        var mine = data.GetProperty("consultations").EnumerateArray().Single(c => c.GetProperty("consultationId").GetString() == id);
        Assert.Equal("Kapan taman RW 5 dibersihkan?", mine.GetProperty("items").EnumerateArray().Single().GetProperty("text").GetString());
        Assert.Equal(other, mine.GetProperty("votes").EnumerateArray().Single().GetProperty("itemId").GetString());

        // Erase, ticked: the post's text is replaced for everyone and the vote withdrawn.
        await citizen.Get($"/lite?c={id}&list=mine");
        using (var erased = await citizen.Post($"/lite/erase?c={id}", true, ("confirm", "yes")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, erased.StatusCode);
            Assert.Contains("list=mine&m=erased", erased.Headers.Location!.ToString());
        }

        var items = await host.StaffItems(id);
        Assert.Equal(0, items[other].GetProperty("votes").GetProperty("up").GetInt32());
        Assert.DoesNotContain(items.Values, i => i.GetProperty("text").GetString() == "Kapan taman RW 5 dibersihkan?");
        Assert.Contains(items.Values, Erased);
        (_, html, _) = await citizen.Get($"/lite?c={id}&list=mine&m=erased");
        var page = LiteSession.Visible(html);
        Assert.Contains("Kiriman dan suara Anda sudah dihapus.", page);
        // The link from this participant to the post is destroyed: "my posts" is empty, the public list shows the marker.
        Assert.Contains("Anda belum mengirim apa pun.", page);
        (_, html, _) = await citizen.Get($"/lite?c={id}&list=new");
        Assert.Contains("[dihapus atas permintaan penulis]", LiteSession.Visible(html));
        Assert.DoesNotContain("Kapan taman RW 5", await host.StoredTextAsync());

        (_, json, _) = await citizen.Get($"/lite/data?c={id}");
        Assert.DoesNotContain("Kapan taman RW 5", json);
    }

    [Fact]
    public async Task Lite_erase_without_the_tick_the_token_or_the_identity_is_refused_and_changes_nothing()
    {
        var id = await host.CreateConsultation();
        using var citizen = new LiteSession(host.BaseAddress);
        using (await citizen.Submit($"/lite?c={id}", $"/lite/join?c={id}"))
        {
        }

        using (await citizen.Submit($"/lite?c={id}", $"/lite/post?c={id}", ("text", "Tolong perbaiki saluran air di RT 2")))
        {
        }

        // No tick, or a tick with another value: a page that says nothing changed.
        await citizen.Get($"/lite?c={id}&list=mine");
        foreach (var fields in new[] { Array.Empty<(string, string)>(), [("confirm", "on")], [("confirm", "")] })
        {
            using var refused = await citizen.Post($"/lite/erase?c={id}", true, fields);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Tidak ada yang diubah", LiteSession.Visible(await refused.Content.ReadAsStringAsync()));
        }

        // Ticked, but without the form's token (a form on another site): refused.
        using (var forged = await citizen.Post($"/lite/erase?c={id}", false, ("confirm", "yes")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        // Another device, with its own token but not joined: "join first"; and it cannot download anyone's data.
        using var stranger = new LiteSession(host.BaseAddress);
        using (var notJoined = await stranger.Submit($"/lite?c={id}", $"/lite/erase?c={id}", ("confirm", "yes")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notJoined.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Get($"/lite/data?c={id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await citizen.Get("/lite/data?c=..%2Fetc")).Status);

        // The identity of one consultation does not open another's data.
        var second = await host.CreateConsultation();
        Assert.Equal(HttpStatusCode.Forbidden, (await citizen.Get($"/lite/data?c={second}")).Status);

        // Nothing was erased.
        Assert.Contains((await host.StaffItems(id)).Values, i => i.GetProperty("text").GetString() == "Tolong perbaiki saluran air di RT 2" && !Erased(i));
    }

    /// <summary>The staff view carries <c>erased: true</c> on an erased item and leaves the field out otherwise.</summary>
    private static bool Erased(JsonElement item) => item.TryGetProperty("erased", out var erased) && erased.GetBoolean();
}
