namespace OpenGov.Dialogue.Analysis.Tests;

/// <summary>Made-up civic comments on a few topics, generated from topic vocabularies with a fixed seed.</summary>
internal static class SyntheticComments
{
    public static readonly IReadOnlyDictionary<string, string[]> Vocabulary = new Dictionary<string, string[]>
    {
        ["roads"] = ["jalan", "rusak", "berlubang", "aspal", "macet", "jembatan", "trotoar", "lampu", "perbaikan", "kendaraan"],
        ["schools"] = ["sekolah", "guru", "murid", "kelas", "buku", "seragam", "beasiswa", "ujian", "pelajaran", "kurikulum"],
        ["health"] = ["rumah", "sakit", "dokter", "obat", "puskesmas", "pasien", "perawat", "vaksin", "antrean", "bpjs"],
        ["water"] = ["air", "bersih", "pdam", "sumur", "pipa", "banjir", "sungai", "saluran", "kering", "bocor"],
    };

    private static readonly string[] Filler = ["tolong", "mohon", "warga", "desa", "kami", "sudah", "lama", "segera", "pak", "bapak", "terima", "kasih"];

    public static List<(string Text, string Topic)> Generate(int perTopic, int seed = 7)
    {
        var random = new Random(seed);
        var rows = new List<(string, string)>();
        foreach (var (topic, words) in Vocabulary)
        {
            for (var i = 0; i < perTopic; i++)
            {
                var length = random.Next(6, 12);
                var tokens = Enumerable.Range(0, length)
                    .Select(_ => random.NextDouble() < 0.65 ? words[random.Next(words.Length)] : Filler[random.Next(Filler.Length)]);
                rows.Add((string.Join(' ', tokens), topic));
            }
        }

        return rows.OrderBy(_ => random.Next()).ToList();
    }
}
