using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Tests.Text;

[Trait("Category", "unit")]
public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Jalannya GAK bagus yg di depan", "jalannya tidak bagus yang di depan")]
    [InlineData("bagus bgt", "bagus banget")]
    [InlineData("Lihat https://example.org/a?b=1 dan www.x.id sekarang", "lihat _url dan _url sekarang")]
    [InlineData("@pak_gubernur tolong dong", "_user tolong dong")]
    [InlineData("ada 1.500 rumah dan 20 sekolah", "ada _num rumah dan _num sekolah")]
    [InlineData("anak2 sekolah", "anak anak sekolah")]
    [InlineData("Bangeeeet parahhhh", "bangeet parahh")]
    [InlineData("gaaaak mau", "tidak mau")]
    [InlineData("I don't agree, u know", "i do not agree you know")]
    [InlineData("We can't wait, it isn't fair", "we can not wait it is not fair")]
    [InlineData("ＦＵＬＬ width", "full width")]
    [InlineData("baris satu\\nbaris dua \\xf0\\x9f\\x98\\x84", "baris satu baris dua")]
    public void Normalizes_informal_indonesian_and_english(string raw, string expected) =>
        Assert.Equal(expected, TextNormalizer.Default.Normalize(raw));

    [Fact]
    public void Removing_stop_words_keeps_negations()
    {
        var tokens = TextNormalizer.ForTopics.Tokenize("Saya tidak setuju dengan jalan yang bukan prioritas, and this is not fine");
        Assert.Equal(["tidak", "setuju", "jalan", "bukan", "prioritas", "not", "fine"], tokens);
    }

    [Fact]
    public void Chinese_characters_become_one_token_each()
    {
        Assert.Equal(["我", "覺", "得", "uber"], TextNormalizer.Default.Tokenize("我覺得 Uber"));
    }

    [Fact]
    public void Empty_text_gives_no_tokens() => Assert.Empty(TextNormalizer.Default.Tokenize(""));

    [Fact]
    public void A_consultation_can_bring_its_own_spellings()
    {
        var normalizer = new TextNormalizer(new NormalizerOptions { Spellings = new Dictionary<string, string> { ["jatim"] = "jawa timur" } });
        Assert.Equal("jawa timur gak", normalizer.Normalize("Jatim gak"));
    }
}

[Trait("Category", "unit")]
public sealed class LanguageDetectorTests
{
    [Theory]
    [InlineData("Jalan di desa kami rusak parah, tolong segera diperbaiki pak", Language.Indonesian)]
    [InlineData("gak bisa lewat yg ini, udah lama bgt", Language.Indonesian)]
    [InlineData("The city should invest more in public transport and bike lanes", Language.English)]
    [InlineData("I do not think this is a good idea for our town", Language.English)]
    [InlineData("Wir brauchen mehr regionale Produkte und weniger Verpackung im Supermarkt", Language.Other)]
    [InlineData("我覺得應該要有保險制度", Language.Other)]
    [InlineData("12345 !!!", Language.Other)]
    public void Routes_to_indonesian_english_or_other(string text, Language expected) =>
        Assert.Equal(expected, LanguageDetector.Detect(text).Language);
}
