using OpenGov.Dialogue.Analysis.Topics;

namespace OpenGov.Dialogue.Analysis.Tests.Topics;

[Trait("Category", "unit")]
public sealed class DefaultTaxonomyTests
{
    [Theory]
    [InlineData("Jalan di depan pasar rusak dan berlubang, aspalnya hilang", "infrastruktur")]
    [InlineData("Puskesmas kekurangan dokter dan obat, pasien antre sampai sore", "kesehatan")]
    [InlineData("Guru honorer di sekolah kami belum digaji, murid terlantar", "pendidikan")]
    [InlineData("Sampah menumpuk di sungai dan banjir tiap hujan", "lingkungan")]
    [InlineData("Ada pungli dan korupsi dana desa oleh oknum pejabat", "tata kelola")]
    [InlineData("Bansos tidak sampai ke lansia dan warga miskin", "sosial")]
    [InlineData("Mengurus KTP dan akta di dukcapil antrean panjang", "layanan publik")]
    [InlineData("The potholes on this road and the broken streetlight near the bridge", "infrastruktur")]
    [InlineData("Our school needs more teachers and scholarships for poor students", "pendidikan")]
    [InlineData("Gak ada polisi, begal dan maling tiap malam", "keamanan")]
    public void Names_the_topic_whose_words_a_post_uses_most(string text, string topic)
    {
        var prediction = DefaultTaxonomy.Instance.Predict(text);

        Assert.NotNull(prediction);
        Assert.Equal(topic, prediction.Topic);
        Assert.False(prediction.IsUnsure, $"confidence {prediction.Confidence}");
    }

    [Fact]
    public void A_post_naming_no_topic_gets_no_suggestion_and_weak_or_tied_evidence_is_unsure()
    {
        Assert.Null(DefaultTaxonomy.Instance.Predict("Terima kasih atas acaranya, semoga sukses selalu"));
        Assert.Null(DefaultTaxonomy.Instance.Predict(""));

        var one = DefaultTaxonomy.Instance.Predict("Bagaimana dengan sekolah?");
        Assert.True(one!.IsUnsure);

        var tie = DefaultTaxonomy.Instance.Predict("sekolah dan puskesmas");
        Assert.True(tie!.IsUnsure);
    }

    [Fact]
    public void Every_topic_has_both_languages_and_no_word_points_to_two_topics()
    {
        var topics = DefaultTaxonomy.Standard;
        Assert.True(topics.Count >= 9);
        Assert.All(topics, t => Assert.False(string.IsNullOrWhiteSpace(t.Indonesian) || string.IsNullOrWhiteSpace(t.English)));
        var words = topics.SelectMany(t => t.Words.Select(w => (Word: w.ToLowerInvariant(), t.Key))).ToList();
        var clashes = words.GroupBy(w => w.Word).Where(g => g.Select(x => x.Key).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(clashes);
        Assert.Throws<ArgumentException>(() => new DefaultTaxonomy([new("x", "X", "X", ["three word phrase"])]));
    }
}
