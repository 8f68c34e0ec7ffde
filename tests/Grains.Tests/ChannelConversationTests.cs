using Microsoft.Extensions.DependencyInjection;
using OpenGov.Dialogue.Channels;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>Channel conversations on a real silo with SQLite storage: number expiry, remembered message ids across a restart.</summary>
[Trait("Category", "unit")]
public sealed class ChannelConversationTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Channels:Secret"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Channels:NumberKeptDays"] = "30",
    };

    private static async Task<string> OpenConsultation(TestSilo silo)
    {
        var id = ConsultationIds.New();
        await silo.Grains.GetGrain<IConsultationGrain>(id).Create(new CreateConsultation("Balai warga", "d", ConsultationMode.Qa, ModerationMode.Post, ConsultationStatus.Open, "admin"));
        return id;
    }

    private static InboundMessage Message(ChannelSecrets secrets, string number, string id, string text, ChannelJoin? join = null) =>
        new(ChannelNames.WhatsApp, id, InboundKind.Text, text, secrets.Seal(number)) { Join = join };

    [Fact]
    public async Task Channel_number_is_dropped_after_the_idle_days_and_kept_while_the_sender_writes()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var silo = await TestSilo.StartAsync(Settings, clock);
        var secrets = silo.Services.GetRequiredService<ChannelSecrets>();
        var job = silo.Services.GetRequiredService<NumberExpiryJob>();
        var id = await OpenConsultation(silo);
        const string number = "6281234567890";
        var conversation = silo.Grains.GetGrain<IChannelConversationGrain>(secrets.CitizenIdOf(number));

        await conversation.Receive(Message(secrets, number, "m1", $"GABUNG {id}", new ChannelJoin(id, Admission.Open)));
        Assert.True((await conversation.GetView()).HasNumber);
        Assert.Equal(clock.GetUtcNow().AddDays(30), (await conversation.GetView()).NumberKeptUntil);

        clock.Advance(TimeSpan.FromDays(20));
        Assert.Equal(0, await job.RunOnceAsync());
        await conversation.Receive(Message(secrets, number, "m2", "Masih aktif"));
        clock.Advance(TimeSpan.FromDays(20));
        Assert.Equal(0, await job.RunOnceAsync());
        Assert.True((await conversation.GetView()).HasNumber);

        clock.Advance(TimeSpan.FromDays(11));
        Assert.Equal(1, await job.RunOnceAsync());
        var view = await conversation.GetView();
        Assert.False(view.HasNumber);
        Assert.Null(view.NumberKeptUntil);
        Assert.Equal(id, view.ConsultationId);
        Assert.Equal(0, await job.RunOnceAsync());

        // Nothing in storage can give the number back: the sealed copy is gone, the key is a keyed hash.
        var stored = string.Join('\n', Directory.EnumerateFiles(silo.DataDirectory, "*", SearchOption.AllDirectories).Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream).ReadToEnd();
        }));
        Assert.DoesNotContain(number, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Channel_message_ids_are_remembered_across_a_restart()
    {
        await using var silo = new TestSilo(settings: Settings);
        await silo.StartHostAsync();
        var secrets = silo.Services.GetRequiredService<ChannelSecrets>();
        var id = await OpenConsultation(silo);
        const string number = "6289876543210";
        var citizen = secrets.CitizenIdOf(number);
        await silo.Grains.GetGrain<IChannelConversationGrain>(citizen).Receive(Message(secrets, number, "m1", $"JOIN {id}", new ChannelJoin(id, Admission.Open)));
        var first = await silo.Grains.GetGrain<IChannelConversationGrain>(citizen).Receive(Message(secrets, number, "m2", "Apakah ada bus malam?"));
        Assert.Equal(InboundOutcome.Handled, first.Outcome);
        Assert.NotNull(first.ItemId);

        await silo.StopHostAsync();
        await silo.StartHostAsync();
        secrets = silo.Services.GetRequiredService<ChannelSecrets>();
        var again = await silo.Grains.GetGrain<IChannelConversationGrain>(citizen).Receive(Message(secrets, number, "m2", "Apakah ada bus malam?"));
        Assert.Equal(InboundOutcome.Duplicate, again.Outcome);
        var items = await silo.Grains.GetGrain<IConsultationGrain>(id).GetItemsBy(citizen);
        Assert.Single(items);
    }
}

[Trait("Category", "unit")]
public sealed class ChannelRuleTests
{
    [Theory]
    [InlineData("GABUNG gabc2345", CommandKind.Join, "id", 0)]
    [InlineData("join gabc2345 123 456", CommandKind.Join, "en", 0)]
    [InlineData("ATAS 12", CommandKind.Up, "id", 12)]
    [InlineData("up #7", CommandKind.Up, "en", 7)]
    [InlineData("SETUJU 3", CommandKind.Agree, "id", 3)]
    [InlineData("disagree 4", CommandKind.Disagree, "en", 4)]
    [InlineData("LEWAT 5", CommandKind.Pass, "id", 5)]
    [InlineData("ATAS abc", CommandKind.BadNumber, "id", 0)]
    [InlineData("ATAS 0", CommandKind.BadNumber, "id", 0)]
    [InlineData("ATAS 99999999999", CommandKind.BadNumber, "id", 0)]
    [InlineData("TIDAK", CommandKind.BadNumber, "id", 0)]
    [InlineData("Tidak ada air bersih di RT 5", CommandKind.Text, null, 0)]
    [InlineData("Stop the construction noise at night", CommandKind.Text, null, 0)]
    [InlineData("STATUS", CommandKind.Status, null, 0)]
    [InlineData("keluar", CommandKind.Leave, "id", 0)]
    [InlineData("HAPUS", CommandKind.Erase, "id", 0)]
    [InlineData("hapus ya", CommandKind.EraseConfirmed, "id", 0)]
    [InlineData("ERASE YES", CommandKind.EraseConfirmed, "en", 0)]
    [InlineData("Hapus pungli di pasar", CommandKind.Text, null, 0)]
    [InlineData("GABUNG", CommandKind.Help, "id", 0)]
    [InlineData("", CommandKind.Text, null, 0)]
    public void Channel_commands_are_read_from_the_first_word_only_when_they_fit(string text, CommandKind kind, string? language, int number)
    {
        var command = ChannelCommand.Parse(text);
        Assert.Equal(kind, command.Kind);
        Assert.Equal(language, command.Language);
        Assert.Equal(number, command.Number);
    }

    [Theory]
    [InlineData("+62 812-3456-7890", "6281234567890")]
    [InlineData("081234567890", "6281234567890")]
    [InlineData("6281234567890", "6281234567890")]
    [InlineData("whatsapp:+6281234567890", "6281234567890")]
    [InlineData("006281234567890", "6281234567890")]
    [InlineData("alice", null)]
    [InlineData("12345", null)]
    [InlineData("+62 812 3456 7890 1234 5678", null)]
    [InlineData("", null)]
    public void Channel_numbers_are_normalised_before_they_are_hashed(string raw, string? expected)
    {
        var secrets = new ChannelSecrets(new ChannelOptions { Secret = Convert.ToBase64String(new byte[32]) });
        Assert.Equal(expected, secrets.Normalise(raw));
    }

    [Fact]
    public void Channel_citizen_id_is_keyed_and_the_seal_opens_only_under_the_same_secret()
    {
        var a = new ChannelSecrets(new ChannelOptions { Secret = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray()) });
        var b = new ChannelSecrets(new ChannelOptions { Secret = Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray()) });
        Assert.True(CitizenIds.IsValid(a.CitizenIdOf("6281234567890")));
        Assert.Equal(a.CitizenIdOf("6281234567890"), a.CitizenIdOf("6281234567890"));
        Assert.NotEqual(a.CitizenIdOf("6281234567890"), b.CitizenIdOf("6281234567890"));
        var sealedNumber = a.Seal("6281234567890");
        Assert.Equal("6281234567890", a.Open(sealedNumber));
        Assert.Null(b.Open(sealedNumber));
        sealedNumber[^1] ^= 1;
        Assert.Null(a.Open(sealedNumber));
    }

    [Fact]
    public void Channel_half_configured_channels_stop_the_start()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => new ChannelOptions { WhatsApp = { AppSecret = "x", VerifyToken = "y" } }.Validate());
        Assert.Contains("Channels:WhatsApp:AccessToken", missing.Message, StringComparison.Ordinal);
        var noSecret = Assert.Throws<InvalidOperationException>(() => new ChannelOptions { Sms = { AccountSid = "AC1", AuthToken = "t", From = "+62811" } }.Validate());
        Assert.Contains("Channels:Secret", noSecret.Message, StringComparison.Ordinal);
        new ChannelOptions().Validate();
    }

    [Theory]
    [InlineData("sent", "delivered", true)]
    [InlineData("read", "delivered", false)]
    [InlineData("read", "failed", true)]
    [InlineData("delivered", "sent", false)]
    [InlineData("unknown", "delivered", true)]
    public void Channel_delivery_reports_only_move_forward(string current, string next, bool advances) =>
        Assert.Equal(advances, DeliveryOrder.Advances(current, next));
}
