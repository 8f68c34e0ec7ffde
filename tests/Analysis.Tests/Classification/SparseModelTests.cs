using OpenGov.Dialogue.Analysis.Classification;

namespace OpenGov.Dialogue.Analysis.Tests.Classification;

[Trait("Category", "unit")]
public sealed class SparseTfidfTests
{
    [Fact]
    public void Weights_are_sublinear_tf_times_smoothed_idf_normalised_per_bag()
    {
        // Three texts; words only, unigrams, every term kept.
        var tfidf = SparseTfidf.Fit(["aa aa bb", "aa cc", "dd"], new SparseTfidfOptions { WordNgramTo = 1, CharNgramTo = 0, MinDocumentFrequency = 1 });
        Assert.Equal(4, tfidf.Dimension);
        Assert.Equal(["aa", "bb", "cc", "dd"], tfidf.Terms());
        var row = tfidf.Transform("aa aa bb zz");
        Assert.Equal([0, 1], row.Indices);

        // idf(aa) = ln(4/3) + 1, idf(bb) = ln(4/2) + 1; tf(aa) = 1 + ln 2; then L2 normalisation.
        var aa = (1 + Math.Log(2)) * (Math.Log(4.0 / 3) + 1);
        var bb = Math.Log(2) + 1;
        var norm = Math.Sqrt((aa * aa) + (bb * bb));
        Assert.Equal(aa / norm, row.Values[0], 5);
        Assert.Equal(bb / norm, row.Values[1], 5);
    }

    [Fact]
    public void Minimum_document_frequency_drops_rare_terms_and_bigrams_join_words()
    {
        var tfidf = SparseTfidf.Fit(["jalan rusak parah", "jalan rusak", "sekolah"], new SparseTfidfOptions { CharNgramTo = 0, MinDocumentFrequency = 2 });
        Assert.Equal(["jalan", "jalan rusak", "rusak"], tfidf.Terms());
        Assert.Empty(tfidf.Transform("sekolah parah").Indices);
    }

    [Fact]
    public void Character_grams_stay_inside_padded_words()
    {
        var options = new SparseTfidfOptions { WordNgramTo = 0, CharNgramFrom = 3, CharNgramTo = 5, MinDocumentFrequency = 1 };
        var terms = SparseTfidf.Terms("Ab cde", options, words: false);

        // " ab " has length 4: its 3-grams, then itself once as the 4-gram, and no 5-gram.
        Assert.Equal(1, terms[" ab "]);
        Assert.True(terms.ContainsKey(" ab") && terms.ContainsKey("ab "));
        Assert.True(terms.ContainsKey(" cde ") && terms.ContainsKey("cde "));
        Assert.DoesNotContain(terms.Keys, t => t.Contains("b c"));
        Assert.Equal(2 + 1 + 3 + 2 + 1, terms.Values.Sum());
    }

    [Fact]
    public void Falls_back_to_every_term_when_no_term_reaches_the_minimum()
    {
        var tfidf = SparseTfidf.Fit(["satu", "dua"], new SparseTfidfOptions { CharNgramTo = 0, MinDocumentFrequency = 2 });
        Assert.Equal(2, tfidf.Dimension);
    }

    [Fact]
    public void Written_and_read_back_it_transforms_the_same()
    {
        var tfidf = SparseTfidf.Fit(["jalan rusak parah", "jalan rusak", "sekolah rusak"], new SparseTfidfOptions { MinDocumentFrequency = 1 });
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            tfidf.Write(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var read = SparseTfidf.Read(reader);
        var before = tfidf.Transform("jalan sekolah rusak");
        var after = read.Transform("jalan sekolah rusak");
        Assert.Equal(before.Indices, after.Indices);
        Assert.Equal(before.Values, after.Values);
    }
}

[Trait("Category", "unit")]
public sealed class LinearSvmTests
{
    private static SparseVector Row(params (int Index, float Value)[] entries) => new(entries.Select(e => e.Index).ToArray(), entries.Select(e => e.Value).ToArray());

    [Fact]
    public void Separates_separable_rows_and_converges()
    {
        var rows = new List<SparseVector>();
        var labels = new List<bool>();
        var random = new Random(4);
        for (var i = 0; i < 200; i++)
        {
            var positive = i % 2 == 0;
            rows.Add(Row((positive ? 0 : 1, 1f), (2, (float)random.NextDouble())));
            labels.Add(positive);
        }

        var (weights, bias, epochs) = LinearSvm.TrainBinary(rows, labels, 3, 1, 1, tolerance: 1e-3);
        Assert.True(epochs < 1000, $"{epochs} epochs");
        Assert.All(rows.Zip(labels), p => Assert.Equal(p.Second, p.First.Dot(weights) + bias > 0));
        Assert.True(weights[0] > 0.5 && weights[1] < -0.5, $"{weights[0]} {weights[1]}");
    }

    [Fact]
    public void A_higher_cost_for_a_side_moves_the_boundary_away_from_it()
    {
        // The same conflicting evidence on both sides: one feature, 30 positives and 70 negatives all equal.
        var rows = Enumerable.Range(0, 100).Select(_ => Row((0, 1f))).ToList();
        var labels = Enumerable.Range(0, 100).Select(i => i < 30).ToList();
        var (w1, b1, _) = LinearSvm.TrainBinary(rows, labels, 1, 1, 1);
        var (w2, b2, _) = LinearSvm.TrainBinary(rows, labels, 1, 70.0 / 30, 1);
        Assert.True(w1[0] + b1 < 0, "unweighted: the majority wins");
        Assert.True(w2[0] + b2 > w1[0] + b1, "weighted positives raise the score");
    }

    [Fact]
    public void One_versus_rest_predicts_each_class()
    {
        var rows = Enumerable.Range(0, 90).Select(i => Row((i % 3, 1f), (3, 0.5f))).ToList();
        var labels = Enumerable.Range(0, 90).Select(i => i % 3).ToList();
        var (weights, biases) = LinearSvm.TrainOneVersusRest(rows, labels, 3, 4, 0.5, [1, 1, 1]);
        for (var c = 0; c < 3; c++)
        {
            var row = Row((c, 1f), (3, 0.5f));
            var scores = Enumerable.Range(0, 3).Select(k => row.Dot(weights[k]) + biases[k]).ToList();
            Assert.Equal(c, scores.IndexOf(scores.Max()));
        }
    }
}

[Trait("Category", "unit")]
public sealed class SparseBinaryModelTests
{
    [Fact]
    public void Best_f1_threshold_cuts_between_scores()
    {
        // Descending: 0.9 T, 0.8 T, 0.7 F, 0.6 T, 0.1 F. Taking the top 4 gives F1 = 6/7 (tp 3, fp 1), better than
        // the top 2 (F1 = 0.8) or all 5 (0.75); the cut is between 0.6 and 0.1.
        double[] scores = [0.7, 0.1, 0.9, 0.6, 0.8];
        bool[] labels = [false, false, true, true, true];
        Assert.Equal(0.35, SparseBinaryModel.BestF1Threshold(scores, labels), 10);
    }

    [Fact]
    public void Best_f1_threshold_keeps_tied_scores_together()
    {
        double[] scores = [0.5, 0.5, 0.2];
        bool[] labels = [true, false, false];
        Assert.Equal(0.35, SparseBinaryModel.BestF1Threshold(scores, labels), 10);
    }

    [Fact]
    public void Inner_folds_are_stratified()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i % 4 == 0).ToList();
        var folds = SparseBinaryModel.InnerFolds(labels, 3, seed: 1);
        for (var f = 0; f < 3; f++)
        {
            var positives = Enumerable.Range(0, 100).Count(i => folds[i] == f && labels[i]);
            var negatives = Enumerable.Range(0, 100).Count(i => folds[i] == f && !labels[i]);
            Assert.InRange(positives, 8, 9);
            Assert.InRange(negatives, 25, 25);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0.3)]
    public void Sparse_classifier_separates_and_survives_save_and_load(double? svmCost)
    {
        var options = new BinaryClassifierOptions { SparseFeatures = new SparseTfidfOptions(), SparseSvmCost = svmCost };
        var classifier = BinaryTextClassifier.Train(BinaryTextClassifierTests.Examples(80, seed: 3), options);
        Assert.NotNull(classifier.ChosenThreshold);
        var test = BinaryTextClassifierTests.Examples(20, seed: 8).ToList();
        var correct = test.Count(e => classifier.Probability(e.Text) >= 0.5 == e.IsPositive);
        Assert.True(correct >= 38, $"{correct} of {test.Count} correct");

        using var stream = new MemoryStream();
        classifier.Save(stream);
        stream.Position = 0;
        var loaded = BinaryTextClassifier.Load(stream);
        Assert.Equal(classifier.Probability("jalan goblok kamu"), loaded.Probability("jalan goblok kamu"));
        Assert.Equal(0, loaded.Probability("   "));
    }
}

[Trait("Category", "unit")]
public sealed class SparseTfidfWordTests
{
    [Theory]
    [InlineData("a jalan_rusak, 12 b3 x! ÄÖ", "jalan_rusak|12|b3|äö")]
    [InlineData("", "")]
    public void Words_are_the_runs_the_regular_expression_finds(string text, string expected)
    {
        var lower = text.ToLowerInvariant();
        Assert.Equal(System.Text.RegularExpressions.Regex.Matches(lower, @"\b\w\w+\b").Select(m => m.Value), SparseTfidf.Words(lower));
        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), SparseTfidf.Words(lower));
    }

    [Fact]
    public void A_lone_ideograph_is_a_word()
    {
        Assert.Equal(["道路", "很", "坏", "ab"], SparseTfidf.Words("道路 很 坏 a ab"));
    }
}
