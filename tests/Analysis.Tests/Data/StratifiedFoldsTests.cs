using OpenGov.Dialogue.Analysis.Data;

namespace OpenGov.Dialogue.Analysis.Tests.Data;

[Trait("Category", "unit")]
public sealed class StratifiedFoldsTests
{
    /// <summary>Distinct texts, labels in the proportions 50 : 23 : 7 (uneven on purpose).</summary>
    private static (string[] Texts, string[] Labels) Synthetic()
    {
        var labels = Enumerable.Repeat("a", 50).Concat(Enumerable.Repeat("b", 23)).Concat(Enumerable.Repeat("c", 7)).ToArray();
        var random = new Random(7);
        labels = labels.OrderBy(_ => random.Next()).ToArray();
        var texts = labels.Select((l, i) => $"text {i} about {l}").ToArray();
        return (texts, labels);
    }

    [Fact]
    public void Every_row_gets_exactly_one_fold_in_range_and_every_fold_is_used()
    {
        var (texts, labels) = Synthetic();
        var folds = StratifiedFolds.Assign(texts, labels, 5, seed: 42);
        Assert.Equal(texts.Length, folds.Length);
        Assert.All(folds, f => Assert.InRange(f, 0, 4));
        Assert.Equal([0, 1, 2, 3, 4], folds.Distinct().Order());

        // Held-out sets are disjoint and their union is every row.
        var heldOut = Enumerable.Range(0, 5).Select(k => Enumerable.Range(0, texts.Length).Where(i => folds[i] == k).ToHashSet()).ToList();
        Assert.Equal(texts.Length, heldOut.Sum(s => s.Count));
        Assert.Equal(texts.Length, heldOut.SelectMany(s => s).Distinct().Count());
    }

    [Fact]
    public void Each_label_is_spread_evenly_over_the_folds()
    {
        var (texts, labels) = Synthetic();
        var folds = StratifiedFolds.Assign(texts, labels, 5, seed: 42);
        foreach (var label in new[] { "a", "b", "c" })
        {
            var perFold = Enumerable.Range(0, 5).Select(k => Enumerable.Range(0, texts.Length).Count(i => folds[i] == k && labels[i] == label)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"label {label}: {string.Join(",", perFold)}");
            Assert.Equal(labels.Count(l => l == label), perFold.Sum());
        }
    }

    [Fact]
    public void Same_seed_same_folds_other_seed_other_folds()
    {
        var (texts, labels) = Synthetic();
        Assert.Equal(StratifiedFolds.Assign(texts, labels, 5, 42), StratifiedFolds.Assign(texts, labels, 5, 42));
        Assert.NotEqual(StratifiedFolds.Assign(texts, labels, 5, 42), StratifiedFolds.Assign(texts, labels, 5, 43));
    }

    [Fact]
    public void Identical_texts_stay_in_one_fold_even_with_different_labels()
    {
        var (texts, labels) = Synthetic();
        texts = [.. texts, "dup", "dup", "dup", "dup2", "dup2"];
        labels = [.. labels, "a", "b", "a", "c", "c"];
        var folds = StratifiedFolds.Assign(texts, labels, 5, seed: 1);
        Assert.Single(folds.Skip(80).Take(3).Distinct());
        Assert.Single(folds.Skip(83).Take(2).Distinct());
    }

    [Fact]
    public void Fewer_than_two_folds_or_mismatched_lengths_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StratifiedFolds.Assign(["x", "y"], ["a", "b"], 1, 0));
        Assert.Throws<ArgumentException>(() => StratifiedFolds.Assign(["x", "y"], ["a"], 2, 0));
    }

    [Fact]
    public void Mean_and_sample_sd()
    {
        var (mean, sd) = StratifiedFolds.MeanAndSd([1, 2, 3, 4]);
        Assert.Equal(2.5, mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), sd, 12);
    }
}
