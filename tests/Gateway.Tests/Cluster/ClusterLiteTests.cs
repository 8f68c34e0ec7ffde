using System.Net;
using System.Security.Cryptography;
using Npgsql;

namespace OpenGov.Dialogue.Gateway.Tests.Cluster;

/// <summary>
/// The page without JavaScript behind a round-robin proxy, as docker/compose.yaml deploys it: two gateways with
/// the shared signing key from the environment, each with a home folder of its own and no shared data folder
/// content but the database. A form drawn by one gateway must post to the other, and still post after both
/// containers were replaced.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
[Trait("Category", "cluster")]
public sealed class ClusterLiteTests
{
    [Fact]
    public async Task A_lite_form_drawn_by_one_gateway_posts_to_the_other_and_after_both_are_replaced()
    {
        await using var rig = await ClusterRig.StartAsync(silos: 1, gateways: 2, new()
        {
            ["Dialogue__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
        }, separateHomes: true);
        var id = await rig.CreateConsultation(await rig.AdminToken(), "Balai warga tanpa JavaScript");
        var (first, second) = (rig.Gateways[0].Http!, rig.Gateways[1].Http!);

        // One phone; its cookies hold for 127.0.0.1 whichever gateway the proxy picks.
        using var phone = new LiteSession(first);
        using (var joined = await phone.Submit($"/lite?c={id}", $"/lite/join?c={id}"))
        {
            Assert.Equal(HttpStatusCode.SeeOther, joined.StatusCode);
        }

        await phone.Get($"/lite?c={id}");
        using (var posted = await phone.Post(new Uri(second, $"/lite/post?c={id}").ToString(), true, ("text", "Formulir dari gateway pertama")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        }

        // A form drawn by the second gateway, posted after both gateways were replaced by new containers.
        await phone.Get(new Uri(second, $"/lite?c={id}").ToString());
        Assert.Contains("Formulir dari gateway pertama", LiteSession.Visible(phone.LastPage));
        foreach (var gateway in rig.Gateways)
        {
            await gateway.KillAsync();
            gateway.ClearHome();
        }

        foreach (var gateway in rig.Gateways)
        {
            gateway.Start();
            await gateway.WaitReadyAsync();
        }

        using (var posted = await phone.Post($"/lite/post?c={id}", true, ("text", "Formulir dari sebelum penggantian")))
        {
            Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        }

        var (_, html, _) = await phone.Get(new Uri(second, $"/lite?c={id}").ToString());
        Assert.Contains("Formulir dari sebelum penggantian", LiteSession.Visible(html));

        // The ring is one key in the database, sealed: no key material in clear.
        await using var connection = new NpgsqlConnection(rig.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT xml FROM dialogue_data_protection_keys", connection);
        var keys = new List<string>();
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        var key = Assert.Single(keys);
        Assert.Contains("<sealedKey v=\"1\"", key, StringComparison.Ordinal);
        Assert.DoesNotContain("masterKey", key, StringComparison.Ordinal);
    }
}
