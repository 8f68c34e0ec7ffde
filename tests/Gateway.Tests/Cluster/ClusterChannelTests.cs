using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Channels;

namespace OpenGov.Dialogue.Gateway.Tests.Cluster;

/// <summary>
/// WhatsApp in a cluster as it is deployed: two standalone silos and two gateways on PostgreSQL, the provider's
/// webhooks spread over both gateways (and, as a provider retrying elsewhere does, one message delivered to both).
/// An SMS sender votes through the same cluster. Each message makes one item or vote and each reply or answer goes out
/// once; the numbers stay out of the database.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
[Trait("Category", "cluster")]
public sealed class ClusterChannelTests
{
    private const int Senders = 6;

    private const string SmsPublicUrl = "https://dialog.example.go.id/channels/sms";

    [Fact]
    public async Task Webhooks_over_two_gateways_make_one_item_per_message_and_every_receipt_and_answer_goes_out_once()
    {
        await using var providers = await FakeProviders.StartAsync();
        var appSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        await using var rig = await ClusterRig.StartAsync(silos: 2, gateways: 2, new()
        {
            ["Channels__Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Channels__WhatsApp__VerifyToken"] = ChannelGatewayHost.VerifyToken,
            ["Channels__WhatsApp__AppSecret"] = appSecret,
            ["Channels__WhatsApp__AccessToken"] = FakeProviders.AccessToken,
            ["Channels__WhatsApp__PhoneNumberId"] = FakeProviders.PhoneNumberId,
            ["Channels__WhatsApp__ApiVersion"] = FakeProviders.ApiVersion,
            ["Channels__WhatsApp__BaseUrl"] = providers.BaseAddress.ToString(),
            ["Channels__Sms__AccountSid"] = FakeProviders.AccountSid,
            ["Channels__Sms__AuthToken"] = providers.SmsAuthToken,
            ["Channels__Sms__From"] = "+6281100000000",
            ["Channels__Sms__BaseUrl"] = providers.BaseAddress.ToString(),
            // Behind a load balancer the provider signs the public address, not either gateway's own.
            ["Channels__Sms__PublicUrl"] = SmsPublicUrl,
        });
        var gateways = rig.Gateways.Select(g => new HttpClient { BaseAddress = g.Http, Timeout = TimeSpan.FromSeconds(20) }).ToArray();
        try
        {
            var admin = await rig.AdminToken();
            var id = await rig.CreateConsultation(admin, "Balai warga lewat WhatsApp");
            var numbers = Enumerable.Range(0, Senders).Select(_ => ChannelGatewayHost.NewNumber()).ToArray();

            // Each sender joins through one gateway and then writes through the other.
            for (var i = 0; i < Senders; i++)
            {
                var joined = await Receipt(gateways[i % 2], WhatsAppWebhook.Text(numbers[i], $"wamid.join-{i}-{Guid.NewGuid():N}", $"GABUNG {id}"), appSecret);
                Assert.Equal(1, joined.Handled);
            }

            // Every question is delivered to both gateways at the same moment: one of them handles it, the other
            // answers "duplicate".
            var questions = numbers.Select((n, i) => $"Kapan lampu jalan di RT {i + 1} diperbaiki?").ToArray();
            await Task.WhenAll(numbers.Select(async (number, i) =>
            {
                var json = WhatsAppWebhook.Text(number, $"wamid.q-{i}-{Guid.NewGuid():N}", questions[i]);
                var receipts = await Task.WhenAll(gateways.Select(g => Receipt(g, json, appSecret)));
                Assert.Equal(1, receipts.Sum(r => r.Handled));
                Assert.Equal(1, receipts.Sum(r => r.Duplicates));
            }));

            var itemIds = new string[Senders];
            for (var i = 0; i < Senders; i++)
            {
                var receipt = await providers.Received(numbers[i], t => t.StartsWith("Diterima sebagai #", StringComparison.Ordinal), seconds: 30);
                itemIds[i] = "i" + System.Text.RegularExpressions.Regex.Match(receipt.Text, @"^Diterima sebagai #(\d+)").Groups[1].Value;
            }

            gateways[1].DefaultRequestHeaders.Authorization = new("Bearer", await StaffTokens.FromKeyAsync(gateways[1], GatewayHost.AdminKey, "official", "Official"));
            var page = await gateways[1].GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
            for (var i = 0; i < Senders; i++)
            {
                Assert.True(page!.Items.Count(item => item.Text == questions[i] && item.Id == itemIds[i]) == 1, $"one item {itemIds[i]} with \"{questions[i]}\"; sent to {numbers[i]}: {string.Join(" | ", providers.To(numbers[i]).Select(s => s.Text))}; items: {string.Join(" | ", page.Items.Select(item => $"{item.Id} {item.Text}"))}");
            }

            Assert.Equal(Senders, page!.Items.Count);

            // An SMS sender joins through one gateway and upvotes the first question; the provider delivers the vote
            // to both gateways. One vote, one reply.
            var texter = ChannelGatewayHost.NewNumber();
            await Sms(gateways[0], providers, texter, $"GABUNG {id}", "SM" + Guid.NewGuid().ToString("N"));
            var voteSid = "SM" + Guid.NewGuid().ToString("N");
            await Task.WhenAll(gateways.Select(g => Sms(g, providers, texter, $"ATAS {itemIds[0][1..]}", voteSid)));
            var voted = await providers.Received(texter, t => t.StartsWith("Suara Anda", StringComparison.Ordinal), seconds: 30);
            Assert.Equal($"Suara Anda untuk #{itemIds[0][1..]} tercatat (1 dukungan).", voted.Text);
            var tallied = await gateways[0].GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
            Assert.Equal(1, tallied!.Items.Single(item => item.Id == itemIds[0]).Votes.Up);

            // An official answers every question through the second gateway; each sender gets the answer once,
            // whichever gateway it wrote through and whichever silo holds its conversation.
            for (var i = 0; i < Senders; i++)
            {
                using var answered = await gateways[1].PostAsJsonAsync($"/api/consultations/{id}/items/{itemIds[i]}/answer", new { text = $"Dijadwalkan minggu ke-{i + 1}." });
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            }

            for (var i = 0; i < Senders; i++)
            {
                var answer = await providers.Received(numbers[i], t => t.StartsWith("Jawaban resmi", StringComparison.Ordinal), seconds: 30);
                Assert.Equal($"Jawaban resmi untuk #{itemIds[i][1..]}: Dijadwalkan minggu ke-{i + 1}.", answer.Text);
            }

            // The voter hears the answer to what it voted for, by SMS.
            var heard = await providers.Received(texter, t => t.StartsWith("Jawaban resmi", StringComparison.Ordinal), seconds: 30);
            Assert.Equal(("sms", $"Jawaban resmi untuk #{itemIds[0][1..]}: Dijadwalkan minggu ke-1."), (heard.Channel, heard.Text));

            // Time for a second send, if any process were to make one.
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var number in numbers)
            {
                var sent = providers.To(number).Select(s => s.Text).ToList();
                Assert.Single(sent, t => t.StartsWith("Diterima sebagai #", StringComparison.Ordinal));
                Assert.Single(sent, t => t.StartsWith("Jawaban resmi", StringComparison.Ordinal));
            }

            Assert.Single(providers.To(texter), s => s.Text.StartsWith("Suara Anda", StringComparison.Ordinal));
            Assert.Single(providers.To(texter), s => s.Text.StartsWith("Jawaban resmi", StringComparison.Ordinal));
            Assert.Empty(providers.ShapeErrors);
            Assert.All(providers.Calls, c => Assert.Equal(c.Channel == "sms" ? 201 : 200, c.Status));

            // The numbers are kept encrypted in the conversations' state only: no table holds one in clear.
            var stored = await DatabaseText(rig.ConnectionString);
            Assert.Contains(questions[0], stored, StringComparison.Ordinal);
            Assert.All(numbers.Append(texter), n => Assert.DoesNotContain(n, stored, StringComparison.Ordinal));
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                gateway.Dispose();
            }
        }
    }

    private static async Task<WebhookReceipt> Receipt(HttpClient gateway, string json, string appSecret)
    {
        using var request = WhatsAppWebhook.Request(json, appSecret);
        using var response = await gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebhookReceipt>(GatewayHost.Json))!;
    }

    /// <summary>An inbound SMS form posted to one gateway, signed the Twilio way over the public webhook address.</summary>
    private static async Task Sms(HttpClient gateway, FakeProviders providers, string from, string text, string sid)
    {
        var form = ChannelGatewayHost.SmsForm(from, text, sid);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/channels/sms") { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation(TwilioSignatureCheck.Header, TwilioSignatureCheck.Sign(providers.SmsAuthToken, SmsPublicUrl, form));
        using var response = await gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Every row of every table of the database as text; binary columns as their printable bytes.</summary>
    private static async Task<string> DatabaseText(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        Assert.NotEmpty(columns);
        var text = new StringBuilder();
        foreach (var (table, column, type) in columns)
        {
            var value = type == "bytea" ? $"encode(\"{column}\", 'escape')" : $"\"{column}\"::text";
            await using var read = new NpgsqlCommand($"SELECT coalesce(string_agg({value}, E'\\n'), '') FROM \"{table}\"", connection);
            text.Append(await read.ExecuteScalarAsync()).Append('\n');
        }

        return text.ToString();
    }
}
