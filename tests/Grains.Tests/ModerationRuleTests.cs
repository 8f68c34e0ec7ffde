using OpenGov.Dialogue.Consultations;
using OpenGov.Dialogue.Consultations.Moderation;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>The moderation rules on their own (<see cref="ModerationRules"/>); ModerationTests runs them through the grain.</summary>
[Trait("Category", "unit")]
public sealed class ModerationRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Moderator = new("Budi", ViewerRole.Moderator) { AccountId = "s1" };
    private static readonly Actor Official = new("Sari", ViewerRole.Official) { AccountId = "s2" };

    private static ConsultationLedger.Entry Item(string id, ItemStatus status, string citizen = "c1") => new(id, citizen, "Warga-A", "Jalan rusak", Now, status);

    private static string Code(Action rule) => Assert.Throws<DialogueException>(rule).Code;

    [Fact]
    public void A_bulk_action_is_known_allowed_to_the_role_and_names_1_to_50_distinct_items()
    {
        Assert.Equal(["i1", "i2"], ModerationRules.Bulk(new(ModerationActions.Approve, ["i1", "i2", "i1"], Moderator)));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Bulk(new("publish-anyway", ["i1"], Moderator))));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Bulk(new(ModerationActions.Approve, [], Moderator))));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Bulk(new(ModerationActions.Approve, [.. Enumerable.Range(0, 51).Select(i => $"i{i}")], Moderator))));
        Assert.Single(ModerationRules.Bulk(new(ModerationActions.Approve, [.. Enumerable.Repeat("i1", 60)], Moderator)));

        // An official may highlight and mark answered, never approve or reject.
        Assert.Equal(ErrorCodes.Forbidden, Code(() => ModerationRules.Bulk(new(ModerationActions.Approve, ["i1"], Official))));
        Assert.Single(ModerationRules.Bulk(new(ModerationActions.Highlight, ["i1"], Official)));
    }

    [Fact]
    public void A_rejection_names_a_published_reason()
    {
        ModerationRules.Reason(ModerationActions.Reject, "spam");
        ModerationRules.Reason(ModerationActions.Approve, null);
        Assert.Equal(ErrorCodes.InvalidReason, Code(() => ModerationRules.Reason(ModerationActions.Reject, null)));
        Assert.Equal(ErrorCodes.InvalidReason, Code(() => ModerationRules.Reason(ModerationActions.Reject, "dislike")));
    }

    [Fact]
    public void Another_moderators_claim_holds_until_it_ends_and_a_merged_item_takes_no_decision()
    {
        var claimed = Item("i1", ItemStatus.Pending);
        claimed.ClaimedBy = "s9";
        claimed.ClaimedUntil = Now.AddSeconds(30);

        Assert.Equal(ErrorCodes.Claimed, Code(() => ModerationRules.Decision(claimed, ModerationActions.Approve, Moderator.Key, null, Now)));
        ModerationRules.Decision(claimed, ModerationActions.Approve, "s9", null, Now);
        ModerationRules.Decision(claimed, ModerationActions.Approve, Moderator.Key, null, Now.AddSeconds(31));

        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Decision(Item("i2", ItemStatus.Merged), ModerationActions.Approve, Moderator.Key, null, Now)));
    }

    [Theory]
    [InlineData(ItemStatus.Published, true)]
    [InlineData(ItemStatus.Pending, true)]
    [InlineData(ItemStatus.Rejected, false)]
    [InlineData(ItemStatus.Merged, false)]
    public void A_merge_goes_into_another_item_that_is_neither_merged_nor_rejected(ItemStatus targetStatus, bool allowed)
    {
        var item = Item("i1", ItemStatus.Published);
        var target = Item("i2", targetStatus);
        if (allowed)
        {
            ModerationRules.Decision(item, ModerationActions.Merge, Moderator.Key, target, Now);
        }
        else
        {
            Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Decision(item, ModerationActions.Merge, Moderator.Key, target, Now)));
        }

        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Decision(item, ModerationActions.Merge, Moderator.Key, item, Now)));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Decision(item, ModerationActions.Merge, Moderator.Key, null, Now)));
    }

    [Theory]
    [InlineData(ItemStatus.Pending)]
    [InlineData(ItemStatus.Rejected)]
    public void Nothing_brings_an_unpublished_text_to_the_screen_or_an_answer(ItemStatus status)
    {
        var item = Item("i1", status);
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Decision(item, ModerationActions.Highlight, Official.Key, null, Now)));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Decision(item, ModerationActions.MarkAnswered, Official.Key, null, Now)));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Answerable(item)));

        var published = Item("i2", ItemStatus.Published);
        ModerationRules.Decision(published, ModerationActions.Highlight, Official.Key, null, Now);
        ModerationRules.Answerable(published);
    }

    [Theory]
    [InlineData("spam", 1, null)]
    [InlineData("abuse", null, null)]
    [InlineData("abuse", 525_600, null)]
    [InlineData("abuse", 0, ErrorCodes.InvalidAction)]
    [InlineData("abuse", 525_601, ErrorCodes.InvalidAction)]
    [InlineData("grumpy", 10, ErrorCodes.InvalidReason)]
    public void A_sanction_has_a_reason_and_lasts_a_minute_to_a_year_or_for_good(string reason, int? minutes, string? error)
    {
        if (error is null)
        {
            ModerationRules.Sanction(reason, minutes);
        }
        else
        {
            Assert.Equal(error, Code(() => ModerationRules.Sanction(reason, minutes)));
        }
    }

    [Fact]
    public void Only_the_author_appeals_a_rejected_item_and_only_once()
    {
        var rejected = Item("i1", ItemStatus.Rejected);
        Assert.Same(rejected, ModerationRules.Appeal(rejected, "c1", "i1"));

        // Someone else's item, or none: the same answer, so items cannot be probed.
        Assert.Equal(ErrorCodes.NotFound, Code(() => ModerationRules.Appeal(rejected, "c2", "i1")));
        Assert.Equal(ErrorCodes.NotFound, Code(() => ModerationRules.Appeal(null, "c1", "i9")));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Appeal(Item("i2", ItemStatus.Published), "c1", "i2")));

        rejected.Appealed = true;
        Assert.Equal(ErrorCodes.AlreadyAppealed, Code(() => ModerationRules.Appeal(rejected, "c1", "i1")));
    }

    [Fact]
    public void Tags_are_trimmed_lower_cased_without_repeats_and_bounded()
    {
        Assert.Equal(["jalan", "banjir"], ModerationRules.Tags([" Jalan", "jalan", "BANJIR ", "  "]));
        Assert.Empty(ModerationRules.Tags(null));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Tags([.. Enumerable.Range(0, 11).Select(i => $"t{i}")])));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Tags([new string('x', 41)])));
        Assert.Equal(ErrorCodes.InvalidAction, Code(() => ModerationRules.Tags(["a\u0007b"])));
    }
}
