using OpenGov.Dialogue.Analysis.Topics;

namespace OpenGov.Dialogue.Analysis.Tests.Topics;

[Trait("Category", "unit")]
public sealed class RetrainingTopicTaggerTests
{
    [Fact]
    public async Task Learns_new_topics_as_moderators_tag_them()
    {
        var tagger = new RetrainingTopicTagger();
        var examples = SyntheticComments.Generate(30).Select(r => new LabelledText(r.Text, r.Topic)).ToList();

        tagger.Add(examples.Where(e => e.Label == "roads"));
        await tagger.WhenIdleAsync();
        Assert.Null(tagger.Current);
        Assert.StartsWith("topic tagging needs at least two topics", tagger.LastError);

        tagger.Add(examples.Where(e => e.Label != "roads"));
        await tagger.WhenIdleAsync();
        Assert.NotNull(tagger.Current);
        Assert.Null(tagger.LastError);
        Assert.Equal("schools", tagger.Predict("guru murid sekolah ujian")!.Topic);
        Assert.Equal(examples.Count, tagger.ExampleCount);
    }

    [Fact]
    public async Task Replacing_the_examples_forgets_the_old_taxonomy()
    {
        var tagger = new RetrainingTopicTagger();
        var examples = SyntheticComments.Generate(30).Select(r => new LabelledText(r.Text, r.Topic)).ToList();
        tagger.Add(examples);
        await tagger.WhenIdleAsync();
        Assert.Contains("roads", tagger.Current!.Topics);

        tagger.Replace(examples.Where(e => e.Label is "schools" or "health"));
        await tagger.WhenIdleAsync();

        Assert.Equal(["health", "schools"], tagger.Current!.Topics.Order());
        Assert.Equal(60, tagger.ExampleCount);
    }

    [Fact]
    public void Predicting_before_any_model_exists_returns_null() =>
        Assert.Null(new RetrainingTopicTagger().Predict("jalan rusak"));
}
