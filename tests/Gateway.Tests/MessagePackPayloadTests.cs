using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;
using OpenGov.Dialogue.Contracts;
using OpenGov.Dialogue.Gateway.Consultations;
using OpenGov.Dialogue.Gateway.Live;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>
/// The hub's MessagePack payloads carry what its JSON payloads carry, in the same shape: checked by
/// reading the MessagePack bytes as JSON and comparing with what the JSON protocol writes.
/// </summary>
[Trait("Category", "unit")]
public sealed class MessagePackPayloadTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 29, 14, 26, 3, 120, TimeSpan.Zero);

    private static readonly ItemView StaffView = new ItemView("i7", 42, "Warga-7f3a", "Kapan halte dibangun?", ItemStatus.Answered, new VoteTally(12, 0, 0, 0), Created, true)
    {
        RejectionNote = "dibuka lagi setelah banding",
        Tags = ["transport", "halte"],
        Pinned = true,
        Highlighted = true,
        Edited = true,
        OriginalText = "kapan halte dibangun??",
        Answer = new OfficialAnswer("Tahun depan.", AnswerStatus.UnderReview, "Dinas Perhubungan", new DateOnly(2027, 3, 1), "Official B", Created.AddMinutes(5)),
        Appealed = true,
        Review = new ReviewInfo(true, 0.75, "duplicate-suspected", "i3", "Moderator A", new DateTimeOffset(2026, 11, 29, 21, 30, 0, TimeSpan.FromHours(7)), "Bukan duplikat"),
    };

    private static readonly ItemView PublicView = new("i8", 43, "Warga-11aa", "Tambah jalur sepeda", ItemStatus.Published, VoteTally.Empty, Created, true);

    private static readonly ItemView RejectedOwnView = new("i9", 44, "Warga-11aa", "spam spam", ItemStatus.Rejected, VoteTally.Empty, Created, false)
    {
        RejectionReason = "spam",
    };

    public static TheoryData<string, object> Payloads() => new()
    {
        { "staff item view", StaffView },
        { "public item view", PublicView },
        { "rejected own view", RejectedOwnView },
        { "changes items", new[] { StaffView, PublicView } },
        { "changes votes", new[] { new VoteUpdate("i7", 45, new VoteTally(13, 0, 0, 0)), new VoteUpdate("i8", 46, new VoteTally(0, 3, 1, 2)) } },
        { "join response", new JoinResponse(new ConsultationInfo("k1", "Balai warga", "Tanya jawab", ConsultationMode.Deliberation, ModerationMode.Pre, ConsultationStatus.Open, Created, 44, 3), [PublicView, RejectedOwnView], 44, false) },
        { "item page", new ItemPage([PublicView], 43, true) },
        { "submit response", new SubmitItemResponse("i8", 43, ItemStatus.Pending) },
        { "vote result", new VoteResult("i8", 1, 47, new VoteTally(1, 0, 0, 0)) },
        { "presenter", new PresenterFrame("k1", null, [PublicView, StaffView], 46) },
        { "notification", new Notification("n1", "k1", "i7", "answered", null, Created, false) },
        { "moderation result", new ModerationResult([new ItemOutcome("i7", true, null, 48), new ItemOutcome("i404", false, "not-found", 0)]) },
        { "similar items", new List<SimilarItem> { new(PublicView, 0.5) } },
        {
            "opinion",
            new OpinionView(
                "k1", 3, 40, 35,
                [new OpinionGroupView(0, -0.25, 1.5, 20, [new RepresentativeView("i7", "agree", 0.875, 2.5, true)])],
                [new StatementConsensusView("i8", 0.625, 30, 4, 1)],
                ["i8"], [],
                [new OpinionPoint(0.5, -1.25, 0), new OpinionPoint(2, 3, null)],
                new OpinionPosition(0.5, -1.25, false, null, 1, 4),
                Created)
        },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void A_payload_in_MessagePack_reads_as_the_same_json_as_the_json_protocol_writes(string payload, object value)
    {
        var packed = MessagePackSerializer.Serialize(value.GetType(), value, HubMessagePack.Options);

        var asJson = JsonNode.Parse(MessagePackSerializer.ConvertToJson(packed));
        var json = JsonSerializer.SerializeToNode(value, value.GetType(), GatewayHost.Json);

        Assert.True(JsonNode.DeepEquals(json, asJson), $"{payload}:\n json        {json!.ToJsonString()}\n messagepack {asJson!.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void A_payload_reads_back_from_MessagePack_unchanged(string payload, object value)
    {
        var packed = MessagePackSerializer.Serialize(value.GetType(), value, HubMessagePack.Options);

        var read = MessagePackSerializer.Deserialize(value.GetType(), packed, HubMessagePack.Options);

        var before = JsonSerializer.Serialize(value, value.GetType(), GatewayHost.Json);
        var after = JsonSerializer.Serialize(read, value.GetType(), GatewayHost.Json);
        Assert.True(before == after, $"{payload}:\n before {before}\n after  {after}");
    }

    [Fact]
    public void A_list_whose_runtime_type_no_formatter_knows_is_written_as_an_array()
    {
        // What a hub method declared as IReadOnlyList returns from a collection expression; SignalR serialises by runtime type.
        IReadOnlyList<ItemView> queue = [StaffView, PublicView];
        var packed = MessagePackSerializer.Serialize(queue.GetType(), queue, HubMessagePack.Options);

        var read = MessagePackSerializer.Deserialize<IReadOnlyList<ItemView>>(packed, HubMessagePack.Options);

        Assert.Equal(JsonSerializer.Serialize(queue, GatewayHost.Json), JsonSerializer.Serialize(read, GatewayHost.Json));
    }

    [Fact]
    public void Empty_optional_fields_and_unset_flags_are_left_out_and_names_are_camel_case()
    {
        var map = JsonNode.Parse(MessagePackSerializer.ConvertToJson(MessagePackSerializer.Serialize(PublicView, HubMessagePack.Options)))!.AsObject();

        Assert.Equal(["id", "seq", "author", "text", "status", "votes", "createdAt", "visible", "tags"], map.Select(p => p.Key));
        Assert.Equal("published", (string?)map["status"]);
        Assert.Equal("2026-11-29T14:26:03.12+00:00", (string?)map["createdAt"]);
    }

    [Fact]
    public void A_vote_update_is_a_bare_six_element_array()
    {
        var packed = MessagePackSerializer.Serialize(new VoteUpdate("i7", 300, new VoteTally(12, 1, 2, 3)), HubMessagePack.Options);

        // fixarray(6), fixstr "i7", uint16 300, then four positive fixints.
        Assert.Equal([0x96, 0xa2, (byte)'i', (byte)'7', 0xcd, 0x01, 0x2c, 12, 1, 2, 3], packed);
    }

    [Fact]
    public void Hub_arguments_with_left_out_fields_read_with_their_defaults()
    {
        // What a non-.NET client sends for Moderate: only the fields the action needs.
        var packed = MessagePackSerializer.ConvertFromJson("""{"action":"reject","itemIds":["i7","i8"],"reason":"spam"}""");

        var request = MessagePackSerializer.Deserialize<Moderation.ModerationRequest>(packed, HubMessagePack.Options);

        Assert.Equal("reject", request.Action);
        Assert.Equal(["i7", "i8"], request.ItemIds!);
        Assert.Equal("spam", request.Reason);
        Assert.Null(request.Note);
        Assert.Null(request.LeaseSeconds);
    }

    [Fact]
    public void An_unknown_enum_name_is_refused()
    {
        var packed = MessagePackSerializer.ConvertFromJson("""{"id":"i8","seq":43,"status":"shouting"}""");

        Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<SubmitItemResponse>(packed, HubMessagePack.Options));
    }
}
