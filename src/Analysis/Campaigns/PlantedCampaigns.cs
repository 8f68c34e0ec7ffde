using System.Text;

namespace OpenGov.Dialogue.Analysis.Campaigns;

/// <summary>A post of a generated mix; <see cref="Burst"/> names the planted burst it belongs to (null: organic or a decoy).</summary>
public sealed record MixedPost(string Id, string CitizenId, string Text, DateTimeOffset At, string? Burst)
{
    public CampaignPost ToPost() => new(Id, CitizenId, Text, At);
}

/// <summary>How <see cref="PlantedCampaigns"/> mixes planted bursts into organic texts.</summary>
public sealed record MixOptions
{
    public int Seed { get; init; } = 42;

    /// <summary>The organic texts arrive at random over this span.</summary>
    public TimeSpan Span { get; init; } = TimeSpan.FromHours(3);

    /// <summary>Citizens the organic texts are drawn from (a 5,000-citizen town hall): some post more than once.</summary>
    public int Citizens { get; init; } = 5000;

    /// <summary>At most one burst per template (ten), so two bursts never share a wording.</summary>
    public int Bursts { get; init; } = 10;

    public int MinBurstCitizens { get; init; } = 6;

    public int MaxBurstCitizens { get; init; } = 40;

    /// <summary>A burst's posts arrive within this many minutes.</summary>
    public double MinBurstMinutes { get; init; } = 1;

    public double MaxBurstMinutes { get; init; } = 8;

    /// <summary>Decoys that must not be flagged: the same text from two or three citizens, and one citizen posting one text 20 times.</summary>
    public int Decoys { get; init; } = 12;
}

/// <summary>
/// Generates an evaluation mix: organic texts at random times from random citizens, plus planted bursts
/// (one template per burst, each copy varied by greetings, sign-offs, swapped words and typos, posted by
/// different citizens within a few minutes) and decoys that a campaign detector must leave alone. The
/// templates were written by the team. Seeded and deterministic.
/// </summary>
public static class PlantedCampaigns
{
    private static readonly string[] Templates =
    [
        "Kami warga menolak rencana pembangunan pabrik semen di dekat sumber mata air desa karena mengancam air bersih dan sawah kami",
        "Tolong segera perbaiki jalan provinsi yang rusak parah dan berlubang, sudah banyak kecelakaan motor setiap malam",
        "Kami minta pemerintah membatalkan kenaikan tarif air PDAM yang memberatkan keluarga kecil di kota ini",
        "Hentikan penggusuran pedagang kaki lima di pasar lama sebelum ada tempat relokasi yang layak dan terjangkau",
        "We demand that the council keeps the public library open on weekends because students need a quiet place to study",
        "Please stop the construction of the new highway through the wetlands, it destroys habitat and increases flooding downstream",
        "Mohon tambah jadwal bus sekolah gratis di pagi hari, anak anak kami terlambat setiap hari karena bus selalu penuh",
        "Kami mendukung penuh program bank sampah dan meminta anggaran tambahan untuk tempat pengolahan sampah di setiap kelurahan",
        "The city must reject the private parking contract, it doubles fees for residents and sends the profits out of town",
        "Segera usut tuntas dugaan korupsi dana bantuan sosial di kecamatan kami, warga miskin tidak menerima bantuan sama sekali",
    ];

    /// <summary>Wordings for the decoys, none shared with a burst.</summary>
    private static readonly string[] DecoyTemplates =
    [
        "Lampu penerangan jalan di gang mawar sudah mati dua minggu, mohon segera diganti supaya warga aman berjalan malam",
        "The playground at the river park needs new swings and a fence so that small children can play safely near the water",
        "Saluran air di depan sekolah dasar tersumbat sampah plastik sehingga halaman sekolah banjir setiap hujan deras",
        "Could the city add more bicycle racks near the train station, people lock their bikes to trees and fences every morning",
    ];

    private static readonly string[] Greetings =
    [
        "Selamat pagi bapak ibu,", "Assalamualaikum,", "Yth. Bapak Gubernur,", "Halo admin,", "Mohon maaf mengganggu,",
        "Dear council,", "Hello,", "Good evening,", "Salam sejahtera,", "Permisi,",
    ];

    private static readonly string[] SignOffs =
    [
        "Terima kasih.", "Mohon ditindaklanjuti.", "Salam dari warga.", "Thank you.", "Regards, a resident.", "Tolong dengar suara kami!", "Please act now.",
    ];

    /// <summary>The organic texts alone, at random times, from random citizens.</summary>
    public static List<MixedPost> Organic(IReadOnlyList<string> texts, MixOptions options)
    {
        var random = new Random(options.Seed);
        var start = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var posts = new List<MixedPost>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var at = start + options.Span * random.NextDouble();
            posts.Add(new MixedPost($"o{i}", $"citizen-{random.Next(options.Citizens)}", texts[i], at, null));
        }

        return Ordered(posts);
    }

    /// <summary>The organic texts with the planted bursts and the decoys mixed in.</summary>
    public static List<MixedPost> Mix(IReadOnlyList<string> texts, MixOptions options)
    {
        var posts = Organic(texts, options);
        var random = new Random(options.Seed + 1);
        var start = posts.Count > 0 ? posts[0].At : new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var next = 0;
        for (var b = 0; b < Math.Min(options.Bursts, Templates.Length); b++)
        {
            var template = Templates[b];
            var citizens = random.Next(options.MinBurstCitizens, options.MaxBurstCitizens + 1);
            var minutes = options.MinBurstMinutes + (options.MaxBurstMinutes - options.MinBurstMinutes) * random.NextDouble();
            var burstStart = start + options.Span * random.NextDouble();
            for (var c = 0; c < citizens; c++)
            {
                var at = burstStart + TimeSpan.FromMinutes(minutes * random.NextDouble());
                posts.Add(new MixedPost($"p{next++}", $"campaigner-{b}-{c}", Vary(template, random), at, $"burst-{b}"));
            }
        }

        for (var d = 0; d < options.Decoys; d++)
        {
            // Spread evenly, so that two decoys of one wording never meet in a window and make a campaign after all.
            var at = start + options.Span * ((d + 0.5 * random.NextDouble()) / options.Decoys);
            var template = DecoyTemplates[d % DecoyTemplates.Length];
            if (d % 2 == 0)
            {
                // Two or three neighbours who agreed on a wording: organic, not a campaign.
                var authors = random.Next(2, 4);
                for (var a = 0; a < authors; a++)
                {
                    posts.Add(new MixedPost($"d{next++}", $"neighbour-{d}-{a}", Vary(template, random), at + TimeSpan.FromMinutes(3 * random.NextDouble()), null));
                }
            }
            else
            {
                // One citizen pasting the same text 20 times: spam for the rate limits, not a campaign.
                for (var r = 0; r < 20; r++)
                {
                    posts.Add(new MixedPost($"d{next++}", $"repeater-{d}", Vary(template, random), at + TimeSpan.FromSeconds(15 * r), null));
                }
            }
        }

        return Ordered(posts);
    }

    /// <summary>One campaigner's copy: maybe a greeting and a sign-off, a swapped pair of words, a dropped word and a typo or two.</summary>
    public static string Vary(string template, Random random)
    {
        var words = template.Split(' ').ToList();
        if (random.NextDouble() < 0.5)
        {
            var i = random.Next(words.Count - 1);
            (words[i], words[i + 1]) = (words[i + 1], words[i]);
        }

        if (random.NextDouble() < 0.3)
        {
            words.RemoveAt(random.Next(words.Count));
        }

        for (var typos = random.Next(3); typos > 0; typos--)
        {
            var i = random.Next(words.Count);
            words[i] = Typo(words[i], random);
        }

        var text = new StringBuilder();
        if (random.NextDouble() < 0.5)
        {
            text.Append(Greetings[random.Next(Greetings.Length)]).Append(' ');
        }

        text.Append(string.Join(' ', words));
        if (random.NextDouble() < 0.4)
        {
            text.Append(". ").Append(SignOffs[random.Next(SignOffs.Length)]);
        }

        return text.ToString();
    }

    private static string Typo(string word, Random random)
    {
        if (word.Length < 3)
        {
            return word;
        }

        var at = random.Next(1, word.Length - 1);
        return random.Next(3) switch
        {
            0 => word.Remove(at, 1),
            1 => word.Insert(at, word[at].ToString()),
            _ => string.Concat(word.AsSpan(0, at), word.AsSpan(at + 1, 1), word.AsSpan(at, 1), word.AsSpan(at + 2)),
        };
    }

    private static List<MixedPost> Ordered(List<MixedPost> posts) =>
        [.. posts.OrderBy(p => p.At).ThenBy(p => p.Id, StringComparer.Ordinal)];
}
