using OpenGov.Dialogue.Gateway.Auth;

namespace OpenGov.Dialogue.Gateway.Tests;

/// <summary>Join codes rotate with their window, stay valid one window longer, differ per consultation; invitation codes normalise as people type them.</summary>
[Trait("Category", "unit")]
public sealed class JoinCodeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dialogue-joincode-").FullName;

    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_code_rotates_every_window_and_is_taken_for_one_window_more()
    {
        var clock = new SetClock(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var codes = new JoinCodes(GatewayKeys.Load(new DialogueOptions(), _directory, _ => { }), clock);

        var first = codes.Current("abcd2345", 10);
        Assert.Equal(clock.Now.AddMinutes(10), first.ShownUntil);
        Assert.Equal(clock.Now.AddMinutes(20), first.AcceptedUntil);
        Assert.True(codes.Accepts("abcd2345", 10, first.Code));
        Assert.False(codes.Accepts("wxyz6789", 10, first.Code));

        clock.Now = clock.Now.AddMinutes(10);
        var second = codes.Current("abcd2345", 10);
        Assert.NotEqual(first.Code, second.Code);
        Assert.True(codes.Accepts("abcd2345", 10, first.Code));
        Assert.True(codes.Accepts("abcd2345", 10, second.Code));

        clock.Now = clock.Now.AddMinutes(10);
        Assert.False(codes.Accepts("abcd2345", 10, first.Code));
        Assert.True(codes.Accepts("abcd2345", 10, second.Code));

        foreach (var junk in new[] { null, "", "12345", "1234567", "abcdef", new string('1', 500) })
        {
            Assert.False(codes.Accepts("abcd2345", 10, junk));
        }
    }

    [Fact]
    public void The_same_signing_key_gives_every_gateway_the_same_code()
    {
        var clock = new SetClock(new DateTimeOffset(2026, 12, 5, 9, 3, 0, TimeSpan.Zero));
        var options = new DialogueOptions();
        var one = new JoinCodes(GatewayKeys.Load(options, _directory, _ => { }), clock);
        var two = new JoinCodes(GatewayKeys.Load(options, _directory, _ => { }), clock);
        Assert.Equal(one.Current("abcd2345", 5).Code, two.Current("abcd2345", 5).Code);
    }

    [Fact]
    public void Invitation_codes_hash_the_same_however_they_are_typed()
    {
        var code = InviteCodes.New();
        var hash = InviteCodes.Hash("abcd2345", code);
        Assert.NotNull(hash);
        Assert.Equal(hash, InviteCodes.Hash("abcd2345", code.ToLowerInvariant().Replace("-", " ")));
        Assert.NotEqual(hash, InviteCodes.Hash("wxyz6789", code));
        Assert.Equal(InviteCodes.Hash("c", "0111A-BCDEF"), InviteCodes.Hash("c", "oIlla-bcdef"));
        Assert.Null(InviteCodes.Hash("c", "UUUUU-UUUUU"));
        Assert.Null(InviteCodes.Hash("c", "ABCDE"));
        Assert.Null(InviteCodes.Hash("c", null));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
