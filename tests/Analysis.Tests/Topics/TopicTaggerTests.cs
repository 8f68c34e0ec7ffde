using OpenGov.Dialogue.Analysis.Topics;

namespace OpenGov.Dialogue.Analysis.Tests.Topics;

[Trait("Category", "unit")]
public sealed class TopicTaggerTests
{
    private static readonly Lazy<TopicTagger> Trained = new(() =>
        TopicTagger.Train(SyntheticComments.Generate(60).Select(r => new LabelledText(r.Text, r.Topic))));

    [Fact]
    public void Tags_unseen_comments_with_their_topic()
    {
        var test = SyntheticComments.Generate(15, seed: 99);
        var correct = test.Count(r => Trained.Value.Predict(r.Text).Topic == r.Topic);
        Assert.True(correct >= test.Count * 0.9, $"{correct} of {test.Count} correct");
        Assert.Equal(["health", "roads", "schools", "water"], Trained.Value.Topics.Order());
    }

    [Fact]
    public void Text_from_no_topic_is_unsure()
    {
        var prediction = Trained.Value.Predict("lorem ipsum dolor sit amet consectetur");
        Assert.True(prediction.IsUnsure, $"confidence {prediction.Confidence}");
        Assert.False(Trained.Value.Predict("jalan rusak berlubang aspal jembatan").IsUnsure);
    }

    [Fact]
    public void Saved_model_predicts_the_same_probabilities()
    {
        using var stream = new MemoryStream();
        Trained.Value.Save(stream);
        stream.Position = 0;
        var loaded = TopicTagger.Load(stream);
        foreach (var (text, _) in SyntheticComments.Generate(3, seed: 5))
        {
            Assert.Equal(Trained.Value.Probabilities(text), loaded.Probabilities(text));
        }

        Assert.Equal(Trained.Value.Topics, loaded.Topics);
    }

    [Fact]
    public void Parallel_predictions_match_sequential_ones()
    {
        var texts = SyntheticComments.Generate(50, seed: 11).Select(r => r.Text).ToArray();
        var sequential = texts.Select(t => Trained.Value.Predict(t)).ToArray();
        var parallel = new TopicPrediction[texts.Length];
        Parallel.For(0, texts.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            parallel[i % texts.Length] = Trained.Value.Predict(texts[i % texts.Length]));
        Assert.Equal(sequential, parallel);
    }

    [Theory]
    [InlineData(false, TopicTrainer.Sdca)]
    [InlineData(true, TopicTrainer.Sdca)]
    [InlineData(false, TopicTrainer.Svm)]
    public void Word_boundary_char_grams_tag_and_survive_save_and_load(bool presence, TopicTrainer trainer)
    {
        var options = new TopicTaggerOptions { WordBoundaryCharGrams = true, Presence = presence, Trainer = trainer, L2Regularization = 1e-4f };
        var tagger = TopicTagger.Train(SyntheticComments.Generate(60).Select(r => new LabelledText(r.Text, r.Topic)), options);
        var test = SyntheticComments.Generate(15, seed: 99);
        var correct = test.Count(r => tagger.Predict(r.Text).Topic == r.Topic);
        Assert.True(correct >= test.Count * 0.9, $"{correct} of {test.Count} correct");

        // Probabilities over the topics, also for the SVM (calibrated one-vs-all).
        var probabilities = tagger.Probabilities(test[0].Text);
        Assert.Equal(1.0, probabilities.Sum(), 3);

        using var stream = new MemoryStream();
        tagger.Save(stream);
        stream.Position = 0;
        var loaded = TopicTagger.Load(stream);
        foreach (var (text, _) in test.Take(5))
        {
            Assert.Equal(tagger.Probabilities(text), loaded.Probabilities(text));
        }
    }

    [Fact]
    public void Min_document_frequency_leaves_terms_of_one_training_text_out_of_the_vocabulary()
    {
        var examples = SyntheticComments.Generate(40).Select(r => new LabelledText(r.Text, r.Topic)).ToList();
        examples[0] = examples[0] with { Text = examples[0].Text + " zzqx" };
        var options = new TopicTaggerOptions { Trainer = TopicTrainer.Sdca, WordBoundaryCharGrams = true, Presence = true, MinDocumentFrequency = 2, L2Regularization = 1e-4f };
        var tagger = TopicTagger.Train(examples, options);

        // "zzqx" and its character n-grams were seen in one text only: like a word never seen, it carries no evidence.
        Assert.Equal(tagger.Probabilities("vvvw"), tagger.Probabilities("zzqx"));
        var test = SyntheticComments.Generate(15, seed: 99);
        Assert.True(test.Count(r => tagger.Predict(r.Text).Topic == r.Topic) >= test.Count * 0.9);

        // The filter itself: document frequency over the rows, terms below the minimum dropped, unknown terms too.
        var filter = OpenGov.Dialogue.Analysis.Classification.TextFeaturization.MinDocumentFrequencyFilter(["a b", "b c", "c b"], 2);
        Assert.Equal("b c", filter("a b c d"));

        Assert.Throws<ArgumentException>(() => TopicTagger.Train(examples, new TopicTaggerOptions { MinDocumentFrequency = 2 }));
    }

    [Fact]
    public void Keeping_stop_words_survives_save_and_load()
    {
        var options = new TopicTaggerOptions { RemoveStopWords = false, L2Regularization = 1e-4f };
        var tagger = TopicTagger.Train(SyntheticComments.Generate(40).Select(r => new LabelledText(r.Text, r.Topic)), options);
        using var stream = new MemoryStream();
        tagger.Save(stream);
        stream.Position = 0;
        var loaded = TopicTagger.Load(stream);
        foreach (var text in new[] { "yang jalan dan rusak", "the school is closed and the teachers are gone" })
        {
            Assert.Equal(tagger.Probabilities(text), loaded.Probabilities(text));
        }
    }

    [Fact]
    public void One_topic_only_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TopicTagger.Train([new LabelledText("jalan rusak", "roads"), new LabelledText("aspal", "roads")]));
        Assert.StartsWith("topic tagging needs at least two topics; every example is 'roads'", error.Message);
    }

    [Fact]
    public void Only_empty_texts_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TopicTagger.Train([new LabelledText("  ", "roads"), new LabelledText("", "schools")]));
        Assert.StartsWith("no labelled examples with non-empty text", error.Message);
    }

    [Fact]
    public void Empty_text_to_tag_is_a_clear_error() =>
        Assert.Throws<ArgumentException>(() => Trained.Value.Predict(" "));
}

[Trait("Category", "unit")]
public sealed class SparseTopicTaggerTests
{
    private static readonly Dictionary<string, string[]> Vocabulary = new()
    {
        ["jalan"] = ["jalan", "rusak", "berlubang", "aspal", "macet", "jembatan", "trotoar", "perbaikan"],
        ["sekolah"] = ["sekolah", "guru", "murid", "kelas", "buku", "seragam", "beasiswa", "ujian"],
        ["air"] = ["air", "bersih", "pdam", "sumur", "pipa", "banjir", "saluran", "bocor"],
    };

    private static readonly string[] Filler = ["tolong", "mohon", "warga", "desa", "kami", "sudah", "lama", "segera"];

    private static List<LabelledText> Complaints(int perTopic, Random random)
    {
        var rows = new List<LabelledText>();
        for (var i = 0; i < perTopic; i++)
        {
            foreach (var (topic, words) in Vocabulary)
            {
                rows.Add(new LabelledText(string.Join(' ', Enumerable.Range(0, random.Next(6, 10))
                    .Select(_ => random.NextDouble() < 0.7 ? words[random.Next(words.Length)] : Filler[random.Next(Filler.Length)])), topic));
            }
        }

        return rows;
    }

    /// <summary>The topics grain's first model: three tags per topic (the default trainer, min df 2, on nine texts).</summary>
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Three_tags_per_topic_are_enough_to_tag_made_up_complaints(int seed)
    {
        var random = new Random(seed);
        var tagger = TopicTagger.Train(Complaints(3, random));
        var test = Complaints(5, random);
        var correct = test.Count(r => tagger.Predict(r.Text).Topic == r.Label);
        Assert.True(correct >= 13, $"{correct} of {test.Count} correct");
    }

    [Fact]
    public void Chinese_comments_are_tagged()
    {
        // The normaliser splits CJK text into one-character tokens; they must reach the TF-IDF.
        string[] roads = ["道路很坏", "马路有坑", "道路堵车", "修路太慢", "路灯坏了"];
        string[] schools = ["学校老师", "学生考试", "学校书本", "老师上课", "学生作业"];
        var examples = roads.Select(t => new LabelledText(t, "roads")).Concat(schools.Select(t => new LabelledText(t, "schools"))).ToList();
        var tagger = TopicTagger.Train(examples);
        Assert.Equal("roads", tagger.Predict("道路有坑").Topic);
        Assert.Equal("schools", tagger.Predict("学校考试").Topic);
    }

    [Fact]
    public void Default_tagger_survives_save_and_load_and_sums_to_one()
    {
        var tagger = TopicTagger.Train(Complaints(10, new Random(3)));
        Assert.Equal(TopicTrainer.SparseSvm, new TopicTaggerOptions().Trainer);
        using var stream = new MemoryStream();
        tagger.Save(stream);
        stream.WriteByte(7);
        stream.Position = 0;
        var loaded = TopicTagger.Load(stream);
        Assert.Equal(7, stream.ReadByte());
        var probabilities = tagger.Probabilities("jalan rusak berlubang");
        Assert.Equal(probabilities, loaded.Probabilities("jalan rusak berlubang"));
        Assert.Equal(1, probabilities.Sum(), 4);
        Assert.Equal("jalan", loaded.Predict("jalan rusak berlubang").Topic);
    }
}
