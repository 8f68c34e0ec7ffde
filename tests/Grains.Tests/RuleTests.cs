using OpenGov.Dialogue.Citizens;
using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

[Trait("Category", "unit")]
public sealed class RuleTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    [InlineData(null)]
    public void Empty_text_is_refused(string? text) =>
        Assert.Equal(ErrorCodes.InvalidText, Assert.Throws<DialogueException>(() => TextRules.Clean(text, 2000)).Code);

    [Fact]
    public void Text_over_the_limit_is_refused_and_at_the_limit_accepted()
    {
        Assert.Equal(10, TextRules.Clean(new string('a', 10), 10).Length);
        Assert.Throws<DialogueException>(() => TextRules.Clean(new string('a', 11), 10));
    }

    [Theory]
    [InlineData("bad\u0000text")]
    [InlineData("bell\u0007")]
    [InlineData("esc\u001b[31m")]
    [InlineData("del\u007f")]
    public void Control_characters_are_refused(string text) =>
        Assert.Throws<DialogueException>(() => TextRules.Clean(text, 2000));

    [Fact]
    public void Line_breaks_and_tabs_are_kept_and_text_is_trimmed_and_composed()
    {
        Assert.Equal("a\nb\tc", TextRules.Clean("  a\nb\tc  ", 2000));
        Assert.Equal("\u00e9", TextRules.Clean("e\u0301", 2000));
    }

    [Theory]
    [InlineData(ConsultationMode.Qa, 2)]
    [InlineData(ConsultationMode.Qa, -1)]
    [InlineData(ConsultationMode.Deliberation, 2)]
    [InlineData(ConsultationMode.Deliberation, int.MinValue)]
    public void Vote_values_out_of_range_are_refused(ConsultationMode mode, int value) =>
        Assert.Equal(ErrorCodes.InvalidVote, Assert.Throws<DialogueException>(() => VoteRules.Check(mode, value)).Code);

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData(null)]
    public void Client_ids_must_be_printable_without_spaces(string? clientId) =>
        Assert.Throws<DialogueException>(() => TextRules.ClientId(clientId));

    [Fact]
    public void Token_bucket_allows_the_burst_then_refills_evenly()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var bucket = new TokenBucket(5, 5, t0);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(bucket.TryTake(t0, out _));
        }

        Assert.False(bucket.TryTake(t0, out var retry));
        Assert.Equal(12, retry.TotalSeconds, precision: 3);
        Assert.False(bucket.TryTake(t0.AddSeconds(11), out _));
        Assert.True(bucket.TryTake(t0.AddSeconds(12.5), out _));
    }

    [Fact]
    public void Pseudonyms_are_stable_per_consultation_and_differ_across_consultations_and_citizens()
    {
        var salt = new byte[32];
        salt[0] = 1;
        var other = new byte[32];
        other[0] = 2;

        Assert.Equal(Pseudonyms.For(salt, "kabcdefg"), Pseudonyms.For(salt, "kabcdefg"));
        Assert.NotEqual(Pseudonyms.For(salt, "kabcdefg"), Pseudonyms.For(salt, "kabcdefh"));
        Assert.NotEqual(Pseudonyms.For(salt, "kabcdefg"), Pseudonyms.For(other, "kabcdefg"));
        Assert.StartsWith("Warga-", Pseudonyms.For(salt, "x"), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_ids_are_valid_and_never_look_like_numbers()
    {
        for (var i = 0; i < 1000; i++)
        {
            var id = ConsultationIds.New();
            Assert.True(ConsultationIds.IsValid(id));
            Assert.False(long.TryParse(id, System.Globalization.NumberStyles.HexNumber, null, out _));
        }

        Assert.False(ConsultationIds.IsValid("abcdefgh"));
        Assert.False(ConsultationIds.IsValid("../../x"));
        Assert.True(CitizenIds.IsValid(CitizenIds.New()));
        Assert.False(CitizenIds.IsValid("p123"));
    }

    [Fact]
    public void Moderation_log_chain_detects_a_changed_or_removed_entry()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = ModerationLog.Seal(new ModerationLogEntry(1, at, "reject", "i1", "Warga-A", "spam", null, "Ana", false, "", ""), ModerationLog.Genesis);
        var second = ModerationLog.Seal(new ModerationLogEntry(2, at, "approve", "i2", "Warga-B", null, null, "Ana", false, "", ""), first.Hash);

        Assert.True(ModerationLog.Verify([first, second]).Valid);
        Assert.Equal(1, ModerationLog.Verify([first with { Reason = "abuse" }, second]).BrokenAtSeq);
        Assert.Equal(2, ModerationLog.Verify([second]).BrokenAtSeq);
    }

    [Theory]
    [InlineData(ViewerRole.Participant, "approve", false)]
    [InlineData(ViewerRole.Participant, "answer", false)]
    [InlineData(ViewerRole.Moderator, "reject", true)]
    [InlineData(ViewerRole.Moderator, "answer", false)]
    [InlineData(ViewerRole.Official, "answer", true)]
    [InlineData(ViewerRole.Official, "reject", false)]
    [InlineData(ViewerRole.Official, "highlight", true)]
    [InlineData(ViewerRole.Admin, "answer", true)]
    [InlineData(ViewerRole.Admin, "sanction", true)]
    public void Moderation_policy_matches_roles_to_actions(ViewerRole role, string action, bool allowed) =>
        Assert.Equal(allowed, ModerationPolicy.Allows(role, action));

    [Fact]
    public void Trending_favours_fresh_votes_over_old_ones()
    {
        Assert.True(Ranking.Trending(2, TimeSpan.FromMinutes(10)) > Ranking.Trending(3, TimeSpan.FromHours(30)));
        Assert.Equal(0, Ranking.Trending(0, TimeSpan.Zero));
    }
}
