using OpenGov.Dialogue.Analysis.Duplicates;

namespace OpenGov.Dialogue.Analysis.Tests.Duplicates;

[Trait("Category", "unit")]
public sealed class DuplicateIndexTests
{
    private static DuplicateIndex Filled()
    {
        var index = new DuplicateIndex();
        var n = 0;
        foreach (var (text, _) in SyntheticComments.Generate(50))
        {
            index.Add($"c{n++}", text);
        }

        index.Add("internet", "We need better internet access in rural Warren County");
        return index;
    }

    [Fact]
    public void Finds_a_reworded_comment_first_with_a_high_score()
    {
        using var index = Filled();
        var similar = index.FindSimilar("we need BETTER internet access in rural warren county!!", 5);
        Assert.Equal("internet", similar[0].Id);
        Assert.True(similar[0].Score > 0.9, $"score {similar[0].Score}");
        Assert.True(similar.Count == 1 || similar[1].Score < 0.3, $"runner-up {similar[1].Score}");
    }

    [Fact]
    public void Long_texts_get_exact_scores_from_the_rare_feature_shortcut()
    {
        using var index = Filled();
        var petition = string.Join(' ', SyntheticComments.Generate(3, seed: 42).Select(r => r.Text)) + " reforestation of the northern river catchment";
        index.Add("petition", petition);
        var similar = index.FindSimilar(petition, 3);
        Assert.Equal("petition", similar[0].Id);
        Assert.Equal(1.0, similar[0].Score, 3);
        Assert.True(index.Featurize(petition).Length > 96, "the text must be long enough to take the shortcut");
    }

    [Fact]
    public void Form_letters_find_their_copies_and_a_signed_one_its_own_signer()
    {
        // 6,000 copies of one letter, every tenth signed with a made-up name: every word but the
        // names is in every item (a number is a feature only as "a number").
        using var index = new DuplicateIndex();
        for (var n = 0; n < 6000; n++)
        {
            index.Add($"f{n}", $"Saya mendukung usulan {n} untuk anggaran kelurahan" + (n % 10 == 0 ? $" salam {Name(n)}" : ""));
        }

        var copy = index.FindSimilar("saya mendukung usulan 77 untuk anggaran kelurahan", 5);
        Assert.Equal(5, copy.Count);
        Assert.All(copy, s => Assert.Equal(1.0, s.Score, 3));

        var signed = index.FindSimilar($"saya mendukung usulan 1 untuk anggaran kelurahan salam {Name(1230)}", 5);
        Assert.Equal("f1230", signed[0].Id);
        Assert.Equal(1.0, signed[0].Score, 3);
        Assert.Equal(signed.OrderByDescending(s => s.Score).Select(s => s.Id), signed.Select(s => s.Id));

        static string Name(int n) => string.Concat(n.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(d => (char)('b' + d - '0'))) + "wati";
    }

    [Fact]
    public void Returns_at_most_top_items_best_first()
    {
        using var index = Filled();
        var similar = index.FindSimilar("jalan rusak berlubang", 5);
        Assert.Equal(5, similar.Count);
        Assert.Equal(similar.OrderByDescending(s => s.Score).Select(s => s.Id), similar.Select(s => s.Id));
    }

    [Fact]
    public void Empty_index_and_empty_text_find_nothing()
    {
        using var index = new DuplicateIndex();
        Assert.Empty(index.FindSimilar("anything"));
        index.Add("a", "jalan rusak");
        Assert.Empty(index.FindSimilar("   "));
    }

    [Fact]
    public void Saved_index_answers_the_same()
    {
        using var index = Filled();
        using var stream = new MemoryStream();
        index.Save(stream);
        stream.Position = 0;
        using var loaded = DuplicateIndex.Load(stream);
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(index.FindSimilar("sekolah guru murid"), loaded.FindSimilar("sekolah guru murid"));
    }

    [Fact]
    public void Concurrent_adds_and_queries_lose_nothing()
    {
        using var index = new DuplicateIndex();
        var texts = SyntheticComments.Generate(100).Select(r => r.Text).ToArray();
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            index.Add($"c{i}", texts[i] + $" unik{i}");
            _ = index.FindSimilar(texts[(i * 7) % texts.Length], 3);
        });

        Assert.Equal(texts.Length, index.Count);
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            Assert.Equal($"c{i}", index.FindSimilar(texts[i] + $" unik{i}", 1)[0].Id));
    }
}
