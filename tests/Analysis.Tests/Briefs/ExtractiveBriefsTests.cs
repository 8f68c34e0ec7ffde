using OpenGov.Dialogue.Analysis.Briefs;

namespace OpenGov.Dialogue.Analysis.Tests.Briefs;

[Trait("Category", "unit")]
public sealed class ExtractiveBriefsTests
{
    private static readonly string[] Roads =
    [
        "Jalan di depan pasar rusak parah. Mohon segera diaspal ulang oleh dinas.",
        "Lubang di jalan raya membuat motor jatuh setiap malam. Tolong diperbaiki.",
        "Aspal jalan kampung kami rusak berat sejak musim hujan tahun lalu.",
        "Jalan menuju sekolah berlubang dan rusak parah, anak-anak kesulitan lewat.",
        "Perbaikan jalan rusak di RW 03 belum juga dikerjakan sampai sekarang.",
        "Jalan berlubang di dekat jembatan sangat berbahaya malam hari!",
        "Lampu jalan di dekat jembatan mati sejak bulan lalu dan gelap sekali.",
        "Lampu penerangan jalan mati, warga takut lewat malam hari.",
        "Lampu jalan di gang kami mati semua, mohon diganti lampu baru.",
        "Aspal jalan utama mengelupas. Jalan rusak dan berlubang di banyak titik.",
        "Mohon perbaikan jalan rusak di gang kami, banyak lubang besar.",
        "Terima kasih.",
    ];

    private static readonly string[] Schools =
    [
        "Biaya seragam sekolah terlalu mahal untuk keluarga miskin.",
        "Guru honorer di sekolah kami belum menerima gaji tiga bulan.",
        "Sekolah dasar kekurangan guru dan buku pelajaran untuk murid.",
        "Beasiswa untuk murid tidak mampu harus diperluas tahun ini.",
        "Ruang kelas sekolah bocor dan murid belajar di lantai.",
    ];

    private static (List<BriefPost> Posts, Dictionary<string, int> GroupOf) Consultation()
    {
        var posts = new List<BriefPost>();
        var groupOf = new Dictionary<string, int>();
        foreach (var (texts, group) in new[] { (Roads, 1), (Schools, 2) })
        {
            foreach (var text in texts)
            {
                var id = "i" + (posts.Count + 1);
                posts.Add(new BriefPost(id, text, posts.Count % 4));
                groupOf[id] = group;
            }
        }

        return (posts, groupOf);
    }

    [Fact]
    public void Every_sentence_is_quoted_verbatim_from_its_source_post_and_stands_for_posts_of_its_own_group()
    {
        var (posts, groupOf) = Consultation();

        var briefs = ExtractiveBriefs.Make(posts, groupOf);

        Assert.Equal([1, 2], briefs.Select(b => b.GroupId));
        var byId = posts.ToDictionary(p => p.Id);
        foreach (var brief in briefs)
        {
            Assert.InRange(brief.Sentences.Count, 2, 4);
            foreach (var sentence in brief.Sentences)
            {
                Assert.Contains(sentence.Text, byId[sentence.SourceId].Text, StringComparison.Ordinal);
                Assert.Equal(brief.GroupId, groupOf[sentence.SourceId]);
                Assert.Contains(sentence.SourceId, sentence.ItemIds);
                Assert.All(sentence.ItemIds, id => Assert.Equal(brief.GroupId, groupOf[id]));
            }

            // A post stands under one sentence at most, and the count adds up.
            var all = brief.Sentences.SelectMany(s => s.ItemIds).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
            Assert.Equal(brief.Covered, all.Count);
        }

        var roads = briefs[0];
        Assert.Equal(3, roads.Sentences.Count);
        Assert.Equal(12, roads.Posts);
        Assert.DoesNotContain(roads.Sentences, s => s.Text == "Terima kasih.");
        // 8 of the 11 complaints (words only; "Terima kasih." stands for nothing).
        Assert.DoesNotContain("i12", roads.Sentences.SelectMany(s => s.ItemIds));
        Assert.True(roads.Covered >= 8, $"coverage {roads.Coverage:0.00}: {string.Join(" | ", roads.Sentences.Select(s => s.Text + " " + string.Join(',', s.ItemIds)))}");

        // Non-redundant: the street-light complaints get their own sentence beside the potholes.
        Assert.Contains(roads.Sentences, s => s.Text.Contains("Lampu", StringComparison.Ordinal));
        Assert.Contains(roads.Sentences, s => s.Text.Contains("rusak", StringComparison.Ordinal));
    }

    [Fact]
    public void Same_input_same_brief_and_no_two_chosen_sentences_say_the_same()
    {
        var (posts, groupOf) = Consultation();
        var copies = posts.Select(p => p with { Id = p.Id + "b" }).ToList();
        foreach (var copy in copies)
        {
            groupOf[copy.Id] = groupOf[copy.Id[..^1]];
        }

        var first = ExtractiveBriefs.Make([.. posts, .. copies], groupOf);
        var second = ExtractiveBriefs.Make([.. posts, .. copies], groupOf);

        Assert.Equal(
            first.SelectMany(b => b.Sentences).Select(s => (s.Text, s.SourceId, string.Join(',', s.ItemIds))),
            second.SelectMany(b => b.Sentences).Select(s => (s.Text, s.SourceId, string.Join(',', s.ItemIds))));
        foreach (var brief in first)
        {
            Assert.Equal(brief.Sentences.Count, brief.Sentences.Select(s => s.Text).Distinct().Count());
        }
    }

    [Fact]
    public void Sentences_split_at_end_marks_and_line_breaks_and_keep_their_text()
    {
        Assert.Equal(["Satu dua.", "Tiga empat!", "Lima?", "Enam tujuh"], ExtractiveBriefs.Sentences("Satu dua. Tiga empat! Lima?\nEnam tujuh"));
        Assert.Equal(["Rp 1.500 per liter naik lagi."], ExtractiveBriefs.Sentences("Rp 1.500 per liter naik lagi."));
        Assert.Empty(ExtractiveBriefs.Make([], new Dictionary<string, int>()));
    }
}
