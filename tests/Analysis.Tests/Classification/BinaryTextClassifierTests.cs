using OpenGov.Dialogue.Analysis.Classification;

namespace OpenGov.Dialogue.Analysis.Tests.Classification;

[Trait("Category", "unit")]
public sealed class BinaryTextClassifierTests
{
    private static readonly Lazy<BinaryTextClassifier> Trained = new(() => BinaryTextClassifier.Train(Examples(80, seed: 3)));

    /// <summary>Made-up insults among civil words, and civil texts alone (also the sparse model's tests' data).</summary>
    internal static IEnumerable<BinaryExample> Examples(int perClass, int seed)
    {
        var random = new Random(seed);
        string[] insults = ["bodoh", "goblok", "tolol", "sampah", "bego"];
        string[] civil = ["mohon", "perbaikan", "jalan", "terima", "kasih", "sekolah", "segera"];
        for (var i = 0; i < perClass; i++)
        {
            yield return new BinaryExample($"{civil[random.Next(civil.Length)]} {insults[random.Next(insults.Length)]} {civil[random.Next(civil.Length)]} kamu", true);
            yield return new BinaryExample($"{civil[random.Next(civil.Length)]} {civil[random.Next(civil.Length)]} {civil[random.Next(civil.Length)]} pak", false);
        }
    }

    [Fact]
    public void Separates_the_classes_it_was_taught()
    {
        var test = Examples(20, seed: 8).ToList();
        var correct = test.Count(e => Trained.Value.Probability(e.Text) >= 0.5 == e.IsPositive);
        Assert.True(correct >= 38, $"{correct} of {test.Count} correct");
    }

    [Fact]
    public void Saved_model_gives_the_same_probabilities()
    {
        using var stream = new MemoryStream();
        Trained.Value.Save(stream);
        stream.Position = 0;
        var loaded = BinaryTextClassifier.Load(stream);
        Assert.Equal(Trained.Value.Probability("jalan goblok kamu"), loaded.Probability("jalan goblok kamu"));
    }

    [Fact]
    public void Parallel_predictions_match_sequential_ones()
    {
        var texts = Examples(40, seed: 21).Select(e => e.Text).ToArray();
        var sequential = texts.Select(Trained.Value.Probability).ToArray();
        var parallel = new double[texts.Length];
        Parallel.For(0, texts.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            parallel[i % texts.Length] = Trained.Value.Probability(texts[i % texts.Length]));
        Assert.Equal(sequential, parallel);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Every_featurisation_separates_and_round_trips(bool presence, bool naiveBayes)
    {
        var model = BinaryTextClassifier.Train(Examples(80, seed: 3), new BinaryClassifierOptions { SparseFeatures = null, Presence = presence, NaiveBayesMember = naiveBayes, NaiveBayesShare = naiveBayes ? 0.5 : null });
        var test = Examples(20, seed: 8).ToList();
        Assert.True(test.Count(e => model.Probability(e.Text) >= 0.5 == e.IsPositive) >= 38);
        Assert.Equal(presence, model.UsesPresence);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.WriteByte(42); // whatever follows in the stream stays unread
        stream.Position = 0;
        var loaded = BinaryTextClassifier.Load(stream);
        Assert.Equal(42, stream.ReadByte());
        Assert.Equal(model.Probability("jalan goblok kamu"), loaded.Probability("jalan goblok kamu"));
        Assert.Equal(model.NaiveBayesShare, loaded.NaiveBayesShare);
    }

    [Fact]
    public void Presence_grams_count_each_term_once()
    {
        Assert.Equal("rusak rusak\u00a0parah parah parah\u00a0rusak ", TextFeaturization.DistinctWordGrams("rusak parah rusak parah"));
        Assert.Equal("<ab ab> <ab> ", TextFeaturization.WordBoundaryCharGrams("ab ab", 3, 4, distinct: true));
    }

    [Fact]
    public void One_class_only_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BinaryTextClassifier.Train([new BinaryExample("a b", false), new BinaryExample("c d", false)]));
        Assert.StartsWith("a binary classifier needs examples of both classes; all 2 are negative", error.Message);
    }
}
