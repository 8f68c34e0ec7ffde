using OpenGov.Dialogue.Analysis.Topics;

namespace OpenGov.Dialogue.Analysis.Tests.Topics;

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
    public void Predicting_before_any_model_exists_returns_null() =>
        Assert.Null(new RetrainingTopicTagger().Predict("jalan rusak"));
}
