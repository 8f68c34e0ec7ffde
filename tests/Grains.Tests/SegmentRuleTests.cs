using OpenGov.Dialogue.Consultations.Segments;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Tests;

/// <summary>What an admin may ask and a participant may answer (pure rules).</summary>
[Trait("Category", "unit")]
public sealed class SegmentRuleTests
{
    private static readonly SegmentQuestion Usia = new("usia", "Usia", ["< 25", "25–44", "45+"]);

    private static void Refused(Action action, string contains)
    {
        var error = Assert.Throws<DialogueException>(action);
        Assert.Equal(ErrorCodes.InvalidSegments, error.Code);
        Assert.Contains(contains, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Questions_are_trimmed_and_bad_ones_refused_with_the_reason()
    {
        var ok = SegmentRules.CheckQuestions([new SegmentQuestion("usia", "  Usia  ", [" < 25", "25–44 ", "45+"], new Dictionary<string, double> { ["< 25"] = 0.4, ["25–44"] = 0.35, ["45+"] = 0.25 })]);
        Assert.Equal("Usia", ok[0].Label);
        Assert.Equal(["< 25", "25–44", "45+"], ok[0].Options);

        Refused(() => SegmentRules.CheckQuestions(null), "required");
        Refused(() => SegmentRules.CheckQuestions([.. Enumerable.Range(0, 6).Select(n => Usia with { Key = $"q{n}" })]), "At most 5");
        Refused(() => SegmentRules.CheckQuestions([Usia, Usia]), "twice");
        Refused(() => SegmentRules.CheckQuestions([Usia with { Key = "Usia Saya" }]), "lower-case");
        Refused(() => SegmentRules.CheckQuestions([Usia with { Label = " " }]), "label");
        Refused(() => SegmentRules.CheckQuestions([Usia with { Options = ["semua"] }]), "options");
        Refused(() => SegmentRules.CheckQuestions([Usia with { Options = ["a", "A"] }]), "differ");
        Refused(() => SegmentRules.CheckQuestions([Usia with { ReferenceShares = new Dictionary<string, double> { ["< 25"] = 0.4, ["25–44"] = 0.3 } }]), "add up to 0.7");
        Refused(() => SegmentRules.CheckQuestions([Usia with { ReferenceShares = new Dictionary<string, double> { ["lain"] = 1 } }]), "not one of its options");
        Refused(() => SegmentRules.CheckQuestions([Usia with { ReferenceShares = new Dictionary<string, double> { ["< 25"] = double.NaN, ["45+"] = 1 } }]), "between 0 and 1");
        Assert.Empty(SegmentRules.CheckQuestions([]));
    }

    [Fact]
    public void Answers_must_name_a_question_and_one_of_its_options_and_null_means_not_answered()
    {
        Assert.Equal(new Dictionary<string, string> { ["usia"] = "45+" }, SegmentRules.CheckAnswers([Usia], new Dictionary<string, string?> { ["usia"] = "45+" }));
        Assert.Empty(SegmentRules.CheckAnswers([Usia], new Dictionary<string, string?> { ["usia"] = null }));
        Refused(() => SegmentRules.CheckAnswers([Usia], new Dictionary<string, string?> { ["nama"] = "Budi" }), "not a question");
        Refused(() => SegmentRules.CheckAnswers([Usia], new Dictionary<string, string?> { ["usia"] = "45 +" }), "not an option");
        Refused(() => SegmentRules.CheckAnswers([Usia], null), "required");
    }

    [Fact]
    public void Answers_that_no_longer_fit_changed_questions_are_dropped()
    {
        var kept = SegmentRules.StillValid([Usia with { Options = ["< 25", "25+"] }], new Dictionary<string, string> { ["usia"] = "45+", ["gone"] = "x" });
        Assert.Empty(kept);
        Assert.Single(SegmentRules.StillValid([Usia], new Dictionary<string, string> { ["usia"] = "45+", ["gone"] = "x" }));
    }
}
