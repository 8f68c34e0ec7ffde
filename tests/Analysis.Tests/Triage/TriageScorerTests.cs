using OpenGov.Dialogue.Analysis.Duplicates;
using OpenGov.Dialogue.Analysis.Triage;

namespace OpenGov.Dialogue.Analysis.Tests.Triage;

[Trait("Category", "unit")]
public sealed class TriageScorerTests
{
    private readonly TriageScorer _signalsOnly = new();

    [Fact]
    public void Works_without_a_text_model_and_ranks_junk_above_a_real_comment()
    {
        var real = _signalsOnly.Score("The county should fund more bus routes to the east side so workers can reach the factories.");
        var mash = _signalsOnly.Score("aksjdflaksjdf qwrtzp");
        var shortJunk = _signalsOnly.Score("foo");
        Assert.True(mash.RejectProbability > 0.5, $"mash {mash.RejectProbability}");
        Assert.True(real.RejectProbability < 0.3, $"real {real.RejectProbability}");
        Assert.True(shortJunk.RejectProbability > real.RejectProbability);
        Assert.Equal(TriageReason.Spam, mash.Reason);
        Assert.Equal(TriageReason.LowQuality, shortJunk.Reason);
        Assert.Equal(TriageReason.None, real.Reason);
    }

    [Fact]
    public void A_repeat_of_an_earlier_item_is_flagged_as_duplicate()
    {
        using var earlier = new DuplicateIndex();
        earlier.Add("1", "We need better internet access in rural areas of the county");
        earlier.Add("2", "Downtown needs more parking for visitors");
        var result = _signalsOnly.Score("we need better internet access in the rural areas of the county", earlier);
        Assert.Equal(TriageReason.Duplicate, result.Reason);
        Assert.True(result.RejectProbability > 0.7, $"p {result.RejectProbability}");
    }

    [Fact]
    public void Abusive_words_give_the_abuse_reason()
    {
        var result = _signalsOnly.Score("dasar bodoh goblok kamu");
        Assert.Equal(TriageReason.Abuse, result.Reason);
    }

    [Fact]
    public void Learns_from_decisions_which_signal_matters()
    {
        // Moderators here reject links and accept everything else.
        var decisions = Enumerable.Range(0, 200).Select(i =>
        {
            var withLink = i % 2 == 0;
            var signals = new TriageSignals(0.1, 0, 0, withLink ? 1 : 0, 12 + i % 7, 0.05, 0, 0.5);
            return new TriageDecision(signals, null, Rejected: withLink ^ (i % 10 == 1));
        }).ToList();
        var weights = TriageScorer.Fit(decisions);
        var scorer = new TriageScorer(weights);
        var link = scorer.Score(new TriageSignals(0.1, 0, 0, 1, 15, 0.05, 0, 0.5), null);
        var plain = scorer.Score(new TriageSignals(0.1, 0, 0, 0, 15, 0.05, 0, 0.5), null);
        Assert.True(link.RejectProbability > 0.7 && plain.RejectProbability < 0.3, $"link {link.RejectProbability}, plain {plain.RejectProbability}");
        Assert.Equal(TriageReason.Spam, link.Reason);
    }

    [Fact]
    public void Learning_from_one_kind_of_decision_is_a_clear_error()
    {
        var decisions = new[] { new TriageDecision(new TriageSignals(0, 0, 0, 0, 5, 0, 0, 0), null, false) };
        var error = Assert.Throws<ArgumentException>(() => TriageScorer.Fit(decisions));
        Assert.StartsWith("learning needs both accepted and rejected items", error.Message);
    }

    [Fact]
    public void Saved_scorer_scores_the_same()
    {
        var scorer = new TriageScorer(new TriageWeights(-1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]));
        using var stream = new MemoryStream();
        scorer.Save(stream);
        stream.Position = 0;
        var loaded = TriageScorer.Load(stream);
        Assert.Equal(scorer.Score("halo semua http://spam.example").RejectProbability, loaded.Score("halo semua http://spam.example").RejectProbability);
        Assert.Null(loaded.TextModel);
    }

    [Fact]
    public void An_item_like_one_the_moderator_rejected_gets_that_reason()
    {
        using var history = new ModerationHistory();
        history.Record("1", "Buy cheap watches at our shop today", rejected: true);
        history.Record("2", "The library should open on Sundays", rejected: false);
        var result = _signalsOnly.Score("buy cheap watches at our shop", history: history);
        Assert.Equal(TriageReason.LikePastRejections, result.Reason);
        Assert.Equal(2, history.Decisions);
    }

    [Theory]
    [InlineData("aksjdflaksjdf", true)]
    [InlineData("test 2134214325", true)]
    [InlineData("Pemerintah harus memperbaiki jalan", false)]
    [InlineData("Strengthen neighbourhood schools", false)]
    public void Keyboard_mash_is_recognised(string text, bool mashed) =>
        Assert.Equal(mashed, TriageSignals.MashShare(text) > 0.4);
}
