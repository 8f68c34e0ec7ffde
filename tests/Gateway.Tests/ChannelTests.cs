using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>WhatsApp and SMS end to end: signed webhooks into the real gateway, replies and notifications out to fake providers.</summary>
[Trait("Category", "http")]
public sealed class ChannelTests(ChannelGatewayHost host) : IClassFixture<ChannelGatewayHost>
{
    [Fact]
    public async Task Channel_verification_handshake_echoes_the_challenge_only_for_the_verify_token()
    {
        using var client = host.Client();
        using var ok = await client.GetAsync($"/channels/whatsapp?hub.mode=subscribe&hub.verify_token={ChannelGatewayHost.VerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());

        foreach (var query in new[]
        {
            "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444",
            "hub.mode=unsubscribe&hub.verify_token=" + ChannelGatewayHost.VerifyToken + "&hub.challenge=1158201444",
            "hub.mode=subscribe&hub.challenge=1158201444",
            "hub.mode=subscribe&hub.verify_token=" + ChannelGatewayHost.VerifyToken + "&hub.challenge=%3Cscript%3E",
        })
        {
            using var refused = await client.GetAsync("/channels/whatsapp?" + query);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Channel_whatsapp_unsigned_or_wrongly_signed_gets_401_and_changes_nothing()
    {
        var id = await host.CreateConsultation();
        var number = ChannelGatewayHost.NewNumber();
        var join = ChannelGatewayHost.WhatsAppText(number, "wamid.unsigned-1", $"GABUNG {id}");
        var sentBefore = host.Providers.Sends.Count;

        using var missing = await host.PostWhatsApp(join, signature: null);
        using var wrongKey = await host.PostWhatsApp(join, signature: Gateway.Channels.WhatsAppSignature.Sign(Encoding.UTF8.GetBytes(join), "not-the-app-secret"));
        using var otherBody = await host.PostWhatsApp(join, signature: Gateway.Channels.WhatsAppSignature.Sign(Encoding.UTF8.GetBytes(join + " "), host.AppSecret));
        using var garbage = await host.PostWhatsApp(join, signature: "sha256=zz");
        foreach (var response in new[] { missing, wrongKey, otherBody, garbage })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await ProblemAssert.Is(response, response.StatusCode, "invalid-signature");
        }

        var view = await host.Conversation(number).GetView();
        Assert.Null(view.Channel);
        Assert.False(view.HasNumber);
        await Task.Delay(200);
        Assert.Equal(sentBefore, host.Providers.Sends.Count);

        using var signed = await host.PostWhatsApp(join);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(1, (await signed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("handled").GetInt32());
        await host.Received(number, t => t.StartsWith("Anda bergabung", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Channel_sms_signature_is_checked_over_url_and_sorted_parameters()
    {
        var id = await host.CreateConsultation();
        var number = ChannelGatewayHost.NewNumber();
        KeyValuePair<string, string>[] form = [new("MessageSid", "SMsig1"), new("From", "+" + number), new("To", "+6281100000000"), new("Body", $"JOIN {id}")];
        var url = new Uri(host.BaseAddress, "/channels/sms").ToString();

        using var missing = await host.PostSms(form, signature: null);
        using var wrongToken = await host.PostSms(form, Gateway.Channels.TwilioSignatureCheck.Sign("wrong-token", url, form));
        using var wrongUrl = await host.PostSms(form, Gateway.Channels.TwilioSignatureCheck.Sign(host.Providers.SmsAuthToken, url + "?x=1", form));
        using var tampered = await host.PostSms([.. form[..3], new("Body", $"JOIN {id} ")], Gateway.Channels.TwilioSignatureCheck.Sign(host.Providers.SmsAuthToken, url, form));
        foreach (var response in new[] { missing, wrongToken, wrongUrl, tampered })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await ProblemAssert.Is(response, response.StatusCode, "invalid-signature");
        }

        Assert.False((await host.Conversation(number).GetView()).HasNumber);

        // The parameters arrive in another order than they are signed in: the check sorts them.
        using var signed = await host.PostSms([.. form.Reverse()]);
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Contains("<Response></Response>", await signed.Content.ReadAsStringAsync());
        var reply = await host.Received(number, t => t.StartsWith("You joined", StringComparison.Ordinal));
        Assert.Equal("sms", reply.Channel);
        Assert.Equal("+" + number, reply.To);
    }

    [Fact]
    public async Task Channel_join_post_approve_seen_live_on_the_web_then_the_answer_reaches_the_whatsapp_sender()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var (webToken, _) = await host.Participant();
        var seen = new ConcurrentDictionary<string, ItemView>();
        await using var web = host.Hub(webToken);
        web.On<string, ItemView[], VoteUpdate[]>("changes", (_, items, _) =>
        {
            foreach (var item in items)
            {
                seen[item.Id] = item;
            }
        });
        await web.StartAsync();
        await web.InvokeAsync<JoinResponse>(nameof(DialogueHub.Join), id, 0L);

        var number = ChannelGatewayHost.NewNumber();
        (await host.WhatsAppSays(number, $"GABUNG {id}")).EnsureSuccessStatusCode();
        using var posted = await host.WhatsAppSays(number, "Kapan jalan di RT 3 diperbaiki?");
        posted.EnsureSuccessStatusCode();
        var receipt = await host.Received(number, t => t.StartsWith("Diterima sebagai #", StringComparison.Ordinal));
        var itemId = "i" + receipt.Text["Diterima sebagai #".Length..].Split(';')[0];
        Assert.Contains("menunggu moderator", receipt.Text);
        Assert.False(seen.ContainsKey(itemId));

        using var moderator = host.Client(await host.StaffToken("moderator"));
        (await moderator.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "approve", itemIds = new[] { itemId } })).EnsureSuccessStatusCode();
        var live = await Eventually(() => seen.GetValueOrDefault(itemId) is { Status: ItemStatus.Published } v ? v : null);
        Assert.Equal("Kapan jalan di RT 3 diperbaiki?", live.Text);
        await host.Received(number, t => t == $"Kiriman Anda #{itemId[1..]} sudah tampil.");

        using var official = host.Client(await host.StaffToken("official"));
        (await official.PostAsJsonAsync($"/api/consultations/{id}/moderation", new { action = "highlight", itemIds = new[] { itemId } })).EnsureSuccessStatusCode();
        await host.Received(number, t => t.Contains("sedang tampil di layar", StringComparison.Ordinal));
        (await official.PostAsJsonAsync($"/api/consultations/{id}/items/{itemId}/answer", new { text = "Perbaikan dijadwalkan bulan Maret." })).EnsureSuccessStatusCode();
        var answer = await host.Received(number, t => t.StartsWith("Jawaban resmi", StringComparison.Ordinal));
        Assert.Equal($"Jawaban resmi untuk #{itemId[1..]}: Perbaikan dijadwalkan bulan Maret.", answer.Text);
        await Eventually(() => seen.GetValueOrDefault(itemId) is { Status: ItemStatus.Answered } v ? v : null);

        // One send per notification, however many gateways: the answer went out once.
        await Task.Delay(300);
        Assert.Single(host.Providers.To(number), s => s.Text.StartsWith("Jawaban resmi", StringComparison.Ordinal));
        Assert.Empty(host.Providers.ShapeErrors);
    }

    [Fact]
    public async Task Channel_duplicate_webhook_delivery_creates_one_item_and_one_reply()
    {
        var id = await host.CreateConsultation();
        var number = ChannelGatewayHost.NewNumber();
        (await host.WhatsAppSays(number, $"JOIN {id}")).EnsureSuccessStatusCode();
        var json = ChannelGatewayHost.WhatsAppText(number, "wamid.dup-" + Guid.NewGuid().ToString("N"), "Is the market renovation funded?");

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => host.PostWhatsApp(json)));
        var receipts = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, receipts.Sum(r => r.GetProperty("handled").GetInt32()));
        Assert.Equal(2, receipts.Sum(r => r.GetProperty("duplicates").GetInt32()));
        using var again = await host.PostWhatsApp(json);
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());

        using var items = host.Client(await host.StaffToken("moderator"));
        var page = await items.GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.Single(page!.Items, i => i.Text == "Is the market renovation funded?");
        await host.Received(number, t => t.StartsWith("Received as #", StringComparison.Ordinal));
        await Task.Delay(300);
        Assert.Single(host.Providers.To(number), s => s.Text.StartsWith("Received as #", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Channel_sms_sender_and_web_participant_vote_on_the_same_item()
    {
        var id = await host.CreateConsultation(mode: "qa");
        var (webToken, _) = await host.Participant();
        using var web = host.Client(webToken);
        using var created = await web.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "w1", text = "Tambah lampu jalan di gang tiga" });
        var itemId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var number = ChannelGatewayHost.NewNumber();
        (await host.SmsSays(number, $"GABUNG {id}")).EnsureSuccessStatusCode();
        (await host.SmsSays(number, $"ATAS {itemId[1..]}")).EnsureSuccessStatusCode();
        var voted = await host.Received(number, t => t.StartsWith("Suara Anda", StringComparison.Ordinal));
        Assert.Equal($"Suara Anda untuk #{itemId[1..]} tercatat (1 dukungan).", voted.Text);

        (await web.PostAsJsonAsync($"/api/consultations/{id}/items/{itemId}/votes", new { value = 1 })).EnsureSuccessStatusCode();
        var page = await web.GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.Equal(2, page!.Items.Single(i => i.Id == itemId).Votes.Up);

        // The same vote again from the phone is still one vote.
        (await host.SmsSays(number, $"UP #{itemId[1..]}")).EnsureSuccessStatusCode();
        await host.Received(number, t => t == $"Your vote on #{itemId[1..]} is recorded (2 upvotes).");

        // A voter hears the answer too, by SMS, in the language of the last command word they used.
        using var official = host.Client(await host.StaffToken("official"));
        (await official.PostAsJsonAsync($"/api/consultations/{id}/items/{itemId}/answer", new { text = "Lampu dipasang minggu depan." })).EnsureSuccessStatusCode();
        var answer = await host.Received(number, t => t.StartsWith("Official answer", StringComparison.Ordinal));
        Assert.Equal($"Official answer to #{itemId[1..]}: Lampu dipasang minggu depan.", answer.Text);
        Assert.Equal("sms", answer.Channel);
    }

    [Fact]
    public async Task Channel_erasure_by_message_asks_first_then_erases_and_forgets_the_number()
    {
        var id = await host.CreateConsultation();
        var number = ChannelGatewayHost.NewNumber();
        (await host.WhatsAppSays(number, $"GABUNG {id}")).EnsureSuccessStatusCode();
        (await host.WhatsAppSays(number, "Rahasia: saluran air di Jalan Kenanga bocor")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Diterima", StringComparison.Ordinal));

        (await host.WhatsAppSays(number, "HAPUS")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.Contains("HAPUS YA", StringComparison.Ordinal));
        using var staff = host.Client(await host.StaffToken("moderator"));
        var before = await staff.GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.Contains(before!.Items, i => i.Text.Contains("Kenanga", StringComparison.Ordinal));

        (await host.WhatsAppSays(number, "hapus ya")).EnsureSuccessStatusCode();
        var erased = await host.Received(number, t => t.StartsWith("Terhapus", StringComparison.Ordinal));
        Assert.Equal("Terhapus: 1 kiriman dan 0 suara. Nomor Anda tidak disimpan lagi.", erased.Text);
        var after = await staff.GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.DoesNotContain(after!.Items, i => i.Text.Contains("Kenanga", StringComparison.Ordinal));
        var view = await Eventually(async () => await host.Conversation(number).GetView() is { HasNumber: false } v ? v : null);
        Assert.Null(view.ConsultationId);
        Assert.Empty(view.Sent);
    }

    [Fact]
    public async Task Channel_delivery_statuses_are_recorded_and_a_late_report_does_not_go_back()
    {
        var number = ChannelGatewayHost.NewNumber();
        (await host.WhatsAppSays(number, "halo")).EnsureSuccessStatusCode();
        var help = await host.Received(number, t => t.StartsWith("Kirim GABUNG", StringComparison.Ordinal));
        var sent = await Eventually(async () => (await host.Conversation(number).GetView()).Sent.FirstOrDefault(s => s.ProviderMessageId == help.Id));
        Assert.Equal("sent", sent.Status);

        foreach (var status in new[] { "delivered", "read", "delivered" })
        {
            using var response = await host.PostWhatsApp(ChannelGatewayHost.WhatsAppStatus(number, help.Id, status));
            Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statuses").GetInt32());
        }

        Assert.Equal("read", (await host.Conversation(number).GetView()).Sent.Single(s => s.ProviderMessageId == help.Id).Status);

        // SMS status callbacks (MessageStatus, no Body) land in the same place.
        var sms = ChannelGatewayHost.NewNumber();
        (await host.SmsSays(sms, "HELP")).EnsureSuccessStatusCode();
        var smsHelp = await host.Received(sms, t => t.StartsWith("Send JOIN", StringComparison.Ordinal));
        await Eventually(async () => (await host.Conversation(sms).GetView()).Sent.FirstOrDefault(s => s.ProviderMessageId == smsHelp.Id));
        (await host.PostSms([new("MessageSid", smsHelp.Id), new("MessageStatus", "delivered"), new("To", "+" + sms), new("From", "+6281100000000")])).EnsureSuccessStatusCode();
        Assert.Equal("delivered", (await host.Conversation(sms).GetView()).Sent.Single(s => s.ProviderMessageId == smsHelp.Id).Status);
    }

    [Fact]
    public async Task Channel_a_provider_refusing_for_now_delays_the_reply_but_does_not_lose_it()
    {
        var number = ChannelGatewayHost.NewNumber();
        var calls = host.Providers.Calls.Count;
        host.Providers.FailNext(4, 503);
        (await host.WhatsAppSays(number, "BANTUAN")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Kirim GABUNG", StringComparison.Ordinal));
        Assert.Single(host.Providers.To(number));
        Assert.True(host.Providers.Calls.Count - calls >= 5);
    }

    [Fact]
    public async Task Channel_an_ambiguous_provider_failure_is_not_sent_twice()
    {
        var number = ChannelGatewayHost.NewNumber();
        host.Providers.FailNext(1, 500);
        (await host.WhatsAppSays(number, "HELP")).EnsureSuccessStatusCode();
        var unknown = await Eventually(async () => (await host.Conversation(number).GetView()).Sent.FirstOrDefault());
        Assert.Equal("unknown", unknown.Status);
        await Task.Delay(1500);
        Assert.Empty(host.Providers.To(number));
    }

    [Fact]
    public async Task Channel_bad_commands_unknown_codes_and_hidden_items_change_nothing()
    {
        var id = await host.CreateConsultation(moderation: "pre");
        var number = ChannelGatewayHost.NewNumber();
        (await host.WhatsAppSays(number, "GABUNG gzzzzzzz")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Kode tidak berlaku", StringComparison.Ordinal));
        (await host.WhatsAppSays(number, "Sebelum bergabung")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Kirim GABUNG", StringComparison.Ordinal));
        Assert.Null((await host.Conversation(number).GetView()).ConsultationId);

        (await host.WhatsAppSays(number, $"GABUNG {id}")).EnsureSuccessStatusCode();
        (await host.WhatsAppSays(number, "ATAS abc")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Tulis nomor kiriman", StringComparison.Ordinal));
        (await host.WhatsAppSays(number, "SETUJU 1")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Di sini Anda mendukung", StringComparison.Ordinal));

        // An item waiting for review is hidden: nobody can vote on it, by number or otherwise.
        var (webToken, _) = await host.Participant();
        using var web = host.Client(webToken);
        using var created = await web.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "hidden", text = "Belum dimoderasi" });
        var hidden = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        (await host.WhatsAppSays(number, $"ATAS {hidden[1..]}")).EnsureSuccessStatusCode();
        await host.Received(number, t => t == $"Tidak ada kiriman #{hidden[1..]} yang tampil untuk dipilih.");
        (await host.WhatsAppSays(number, "ATAS 999999")).EnsureSuccessStatusCode();
        await host.Received(number, t => t == "Tidak ada kiriman #999999 yang tampil untuk dipilih.");

        using var staff = host.Client(await host.StaffToken("moderator"));
        var page = await staff.GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.Equal(0, page!.Items.Single(i => i.Id == hidden).Votes.Up);
        Assert.Single(page.Items);

        // An image is answered politely and stored nowhere.
        (await host.PostWhatsApp(ChannelGatewayHost.WhatsAppText(number, "wamid.img-" + Guid.NewGuid().ToString("N"), null, type: "image"))).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Maaf, kami hanya dapat membaca pesan teks", StringComparison.Ordinal));
        Assert.Single((await staff.GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json))!.Items);
    }

    [Fact]
    public async Task Channel_a_code_consultation_needs_the_code_on_the_screen_and_guessing_is_stopped()
    {
        using var admin = host.Client(await host.StaffToken());
        using var createdConsultation = await admin.PostAsJsonAsync("/api/consultations", new { title = "Balai kota", description = "Kode", mode = "qa", moderation = "post", admission = "code" });
        var id = (await createdConsultation.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var code = (await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{id}/join-code")).GetProperty("code").GetString()!;
        var wrong = code == "000000" ? "111111" : "000000";

        var number = ChannelGatewayHost.NewNumber();
        (await host.WhatsAppSays(number, $"GABUNG {id}")).EnsureSuccessStatusCode();
        (await host.WhatsAppSays(number, $"GABUNG {id} {wrong}")).EnsureSuccessStatusCode();
        await Eventually(async () => host.Providers.To(number).Count(s => s.Text.StartsWith("Kode tidak berlaku", StringComparison.Ordinal)) == 2 ? "ok" : null);
        (await host.WhatsAppSays(number, $"GABUNG {id} {code[..3]} {code[3..]}")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Anda bergabung", StringComparison.Ordinal));
        (await host.WhatsAppSays(number, "Pertanyaan lewat kode")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Diterima sebagai", StringComparison.Ordinal));

        var guesser = ChannelGatewayHost.NewNumber();
        for (var i = 0; i < 10; i++)
        {
            (await host.WhatsAppSays(guesser, $"GABUNG {id} {(i + 1) % 10}{i % 10}0000")).EnsureSuccessStatusCode();
        }

        (await host.WhatsAppSays(guesser, $"GABUNG {id} {code}")).EnsureSuccessStatusCode();
        await host.Received(guesser, t => t.StartsWith("Terlalu banyak kode salah", StringComparison.Ordinal));
        Assert.Null((await host.Conversation(guesser).GetView()).ConsultationId);
    }

    [Fact]
    public async Task Channel_hostile_bodies_get_problem_details_and_change_nothing()
    {
        var huge = new string('a', 70 * 1024);
        using var tooLarge = await host.PostWhatsApp(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        await ProblemAssert.Is(tooLarge, tooLarge.StatusCode, "payload-too-large");

        foreach (var json in new[] { "{", "[]", "{\"object\":\"page\",\"entry\":[]}", "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":[{\"from\":5}]}}]}]}", "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":7}}]}]}" })
        {
            using var bad = await host.PostWhatsApp(json);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            await ProblemAssert.Is(bad, bad.StatusCode, "invalid-payload");
        }

        using var client = host.Client();
        using var json415 = await client.PostAsync("/channels/sms", new StringContent("{\"From\":\"+628\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json415.StatusCode);
        using var noSid = await host.PostSms([new("From", "+6281234567890"), new("Body", "halo")]);
        Assert.Equal(HttpStatusCode.BadRequest, noSid.StatusCode);
        using var notANumber = await host.PostSms([new("MessageSid", "SMx"), new("From", "alice"), new("Body", "halo")]);
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        await ProblemAssert.Is(notANumber, notANumber.StatusCode, "invalid-payload");
        using var hugeSms = await host.PostSms([new("MessageSid", "SMy"), new("From", "+6281234567890"), new("Body", huge)]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeSms.StatusCode);
    }

    [Fact]
    public async Task Channel_leaving_drops_the_number_and_stops_notifications()
    {
        var id = await host.CreateConsultation();
        var number = ChannelGatewayHost.NewNumber();
        (await host.WhatsAppSays(number, $"JOIN {id}")).EnsureSuccessStatusCode();
        Assert.True((await host.Conversation(number).GetView()).HasNumber);
        (await host.WhatsAppSays(number, "Where is the new bus stop?")).EnsureSuccessStatusCode();
        var receipt = await host.Received(number, t => t.StartsWith("Received as #", StringComparison.Ordinal));
        var itemId = "i" + receipt.Text["Received as #".Length..].Split(' ')[0].TrimEnd(';');
        (await host.WhatsAppSays(number, "STATUS")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Your posts:", StringComparison.Ordinal) && t.Contains($"#{itemId[1..]} published", StringComparison.Ordinal));

        (await host.WhatsAppSays(number, "STOP")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("You left", StringComparison.Ordinal));
        await Eventually(async () => await host.Conversation(number).GetView() is { HasNumber: false } v ? v : null);

        using var official = host.Client(await host.StaffToken("official"));
        (await official.PostAsJsonAsync($"/api/consultations/{id}/items/{itemId}/answer", new { text = "At the market." })).EnsureSuccessStatusCode();
        await Task.Delay(1000);
        Assert.DoesNotContain(host.Providers.To(number), s => s.Text.Contains("At the market", StringComparison.Ordinal));
    }

    private static async Task<T> Eventually<T>(Func<T?> probe)
        where T : class => await Eventually(() => Task.FromResult(probe()));

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var i = 0; i < 400; i++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("The expected state did not arrive within 10 s.");
    }
}

/// <summary>The channels with the default per-citizen limit (5 submissions a minute), like a web participant.</summary>
public sealed class ChannelRateLimitHost : ChannelGatewayHost
{
    public override Dictionary<string, string?> Settings { get; } = [];
}

[Trait("Category", "http")]
public sealed class ChannelRateLimitTests(ChannelRateLimitHost host) : IClassFixture<ChannelRateLimitHost>
{
    [Fact]
    public async Task Channel_a_number_flooding_messages_meets_the_web_rate_limit_and_is_told_once()
    {
        var id = await host.CreateConsultation();
        var number = ChannelGatewayHost.NewNumber();
        (await host.WhatsAppSays(number, $"GABUNG {id}")).EnsureSuccessStatusCode();
        for (var i = 0; i < 12; i++)
        {
            using var response = await host.WhatsAppSays(number, $"Pesan banjir nomor {i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await host.Received(number, t => t.StartsWith("Terlalu banyak pesan", StringComparison.Ordinal));
        await Task.Delay(500);
        Assert.Equal(5, host.Providers.To(number).Count(s => s.Text.StartsWith("Diterima sebagai", StringComparison.Ordinal)));
        Assert.Single(host.Providers.To(number), s => s.Text.StartsWith("Terlalu banyak pesan", StringComparison.Ordinal));
        using var staff = host.Client(await host.StaffToken("moderator"));
        var page = await staff.GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.Equal(5, page!.Items.Count);
    }
}

/// <summary>Without configuration the channel endpoints do not exist.</summary>
[Trait("Category", "http")]
public sealed class ChannelOffTests(GatewayHost host) : IClassFixture<GatewayHost>
{
    [Fact]
    public async Task Channel_endpoints_are_404_unless_configured()
    {
        using var client = host.Client();
        using var get = await client.GetAsync($"/channels/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1");
        using var post = await client.PostAsync("/channels/whatsapp", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var sms = await client.PostAsync("/channels/sms", new FormUrlEncodedContent([new("From", "+628123456789"), new("Body", "halo")]));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sms.StatusCode);
    }
}

/// <summary>Deliberation by SMS: agree, disagree and pass by number, in the language of the word used.</summary>
[Trait("Category", "http")]
public sealed class ChannelDeliberationTests(ChannelGatewayHost host) : IClassFixture<ChannelGatewayHost>
{
    [Fact]
    public async Task Channel_deliberation_votes_by_sms_replace_each_other_and_answer_in_the_word_s_language()
    {
        var id = await host.CreateConsultation(mode: "deliberation");
        var (webToken, _) = await host.Participant();
        using var web = host.Client(webToken);
        using var created = await web.PostAsJsonAsync($"/api/consultations/{id}/items", new { clientId = "s1", text = "Pasar pagi sebaiknya dipindah ke lapangan" });
        var n = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()![1..];

        var number = ChannelGatewayHost.NewNumber();
        (await host.SmsSays(number, $"GABUNG {id}")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.Contains("SETUJU/TIDAK/LEWAT", StringComparison.Ordinal));
        (await host.SmsSays(number, $"ATAS {n}")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Di sini Anda memilih pendapat", StringComparison.Ordinal));
        (await host.SmsSays(number, $"SETUJU {n}")).EnsureSuccessStatusCode();
        await host.Received(number, t => t == $"Suara Anda untuk #{n} tercatat (setuju 1, tidak 0, lewat 0).");
        (await host.SmsSays(number, $"DISAGREE {n}")).EnsureSuccessStatusCode();
        await host.Received(number, t => t == $"Your vote on #{n} is recorded (agree 0, disagree 1, pass 0).");
        (await host.SmsSays(number, "Tidak ada tempat parkir di lapangan")).EnsureSuccessStatusCode();
        await host.Received(number, t => t.StartsWith("Received as #", StringComparison.Ordinal));

        var page = await web.GetFromJsonAsync<ItemPage>($"/api/consultations/{id}/items", GatewayHost.Json);
        Assert.Equal(new VoteTally(0, 0, 1, 0), page!.Items.Single(i => i.Id == "i" + n).Votes);
        Assert.Contains(page.Items, i => i.Text == "Tidak ada tempat parkir di lapangan");
    }
}
