using OpenGov.Dialogue.Analysis.Text;

namespace OpenGov.Dialogue.Analysis.Topics;

/// <summary>One topic of the default starting taxonomy: its key (Indonesian, used as the tag), labels, and the words that point to it.</summary>
public sealed record TaxonomyTopic(string Key, string Indonesian, string English, IReadOnlyList<string> Words);

/// <summary>
/// The team's default starting taxonomy for a new consultation, in Indonesian and English: a short list of
/// public-policy areas, each with words (and a few two-word phrases) that point to it. It suggests a topic
/// for a post before moderators have tagged anything; once they have, the consultation's own tagger takes
/// over. No model and no training data: a post is matched word by word after <see cref="TextNormalizer"/>
/// (informal spellings mapped, lower case), and a topic is suggested only when its words outnumber every
/// other topic's. The result is a suggestion, never a tag: it is sure only with two or more matching words
/// and more than half of all matches; a post that names no topic's word gets no suggestion at all.
/// </summary>
public sealed class DefaultTaxonomy
{
    /// <summary>Below this confidence (the best topic's share of matches, counting one unseen alternative) a suggestion is unsure.</summary>
    public const double SureFrom = 0.5;

    /// <summary>The word as listed, or without a clitic (-nya, -lah, -kah, -pun: <c>aspalnya</c> → <c>aspal</c>); null when neither is listed.</summary>
    private string? Known(string token)
    {
        if (_single.ContainsKey(token))
        {
            return token;
        }

        foreach (var clitic in (ReadOnlySpan<string>)["nya", "lah", "kah", "pun"])
        {
            if (token.Length > clitic.Length + 2 && token.EndsWith(clitic, StringComparison.Ordinal) && _single.ContainsKey(token[..^clitic.Length]))
            {
                return token[..^clitic.Length];
            }
        }

        return null;
    }

    /// <summary>The team's list (Indonesian first, English understood). Words are matched after normalisation; phrases are two words.</summary>
    public static IReadOnlyList<TaxonomyTopic> Standard { get; } =
    [
        new("infrastruktur", "Infrastruktur", "Infrastructure",
        [
            "jalan", "jalanan", "jembatan", "aspal", "berlubang", "lubang", "trotoar", "drainase", "gorong", "irigasi",
            "listrik", "pln", "pju", "tiang", "pdam", "pipa", "bangunan", "gedung", "konstruksi", "proyek",
            "lampu jalan", "air bersih", "jalan rusak",
            "road", "roads", "bridge", "pothole", "potholes", "sidewalk", "pavement", "streetlight", "drainage",
            "electricity", "blackout", "infrastructure", "construction", "pipes", "water supply",
        ]),
        new("transportasi", "Transportasi", "Transport",
        [
            "angkot", "bus", "transportasi", "parkir", "macet", "kemacetan", "ojek", "kereta", "terminal", "halte",
            "angkutan", "krl", "mrt", "brt", "lalu lintas", "angkutan umum",
            "traffic", "parking", "transport", "transit", "congestion", "train", "commute", "public transport",
        ]),
        new("kesehatan", "Kesehatan", "Health",
        [
            "puskesmas", "dokter", "bidan", "perawat", "obat", "pasien", "bpjs", "vaksin", "vaksinasi", "imunisasi",
            "stunting", "gizi", "posyandu", "kesehatan", "klinik", "apotek", "ambulans", "demam", "rumah sakit", "rawat inap",
            "hospital", "clinic", "doctor", "doctors", "nurse", "nurses", "medicine", "patient", "patients", "vaccine",
            "health", "healthcare", "pharmacy", "ambulance", "mental health",
        ]),
        new("pendidikan", "Pendidikan", "Education",
        [
            "sekolah", "guru", "murid", "siswa", "kelas", "kampus", "universitas", "kuliah", "mahasiswa", "beasiswa",
            "pendidikan", "ppdb", "zonasi", "sd", "smp", "sma", "smk", "seragam", "ujian", "pesantren", "madrasah", "kip",
            "school", "schools", "teacher", "teachers", "student", "students", "education", "scholarship", "university",
            "classroom", "tuition", "exam",
        ]),
        new("lingkungan", "Lingkungan", "Environment",
        [
            "sampah", "banjir", "polusi", "limbah", "pencemaran", "hutan", "pohon", "lingkungan", "sungai", "longsor",
            "asap", "tps", "tpa", "udara", "iklim", "kebakaran hutan", "ruang hijau", "daur ulang", "plastik", "abrasi",
            "trash", "garbage", "waste", "flood", "flooding", "pollution", "environment", "river", "trees", "climate",
            "recycling", "landfill", "emissions", "air quality",
        ]),
        new("keamanan", "Keamanan", "Safety and security",
        [
            "keamanan", "pencurian", "maling", "begal", "kriminal", "kejahatan", "polisi", "narkoba", "tawuran", "preman",
            "kekerasan", "judi", "perampokan", "pelecehan", "ronda", "cctv", "kdrt",
            "security", "safety", "crime", "theft", "police", "drugs", "violence", "robbery", "harassment", "gangs",
        ]),
        new("ekonomi", "Ekonomi dan lapangan kerja", "Economy and jobs",
        [
            "ekonomi", "harga", "sembako", "pasar", "umkm", "usaha", "pedagang", "pengangguran", "gaji", "upah",
            "investasi", "inflasi", "modal", "koperasi", "petani", "pupuk", "nelayan", "lapangan kerja", "harga beras",
            "economy", "prices", "jobs", "unemployment", "wage", "wages", "business", "businesses", "market", "inflation",
            "farmers", "small business", "living costs",
        ]),
        new("layanan publik", "Layanan publik", "Public services",
        [
            "pelayanan", "layanan", "ktp", "kk", "akta", "dukcapil", "administrasi", "antrean", "antre", "antri",
            "perizinan", "izin", "kelurahan", "kecamatan", "loket", "petugas", "birokrasi", "paspor", "sim", "e-ktp",
            "service", "services", "permit", "permits", "license", "queue", "paperwork", "bureaucracy", "id card",
            "public service", "waiting time",
        ]),
        new("tata kelola", "Tata kelola dan korupsi", "Governance and corruption",
        [
            "korupsi", "pungli", "suap", "pungutan", "transparansi", "anggaran", "apbd", "apbn", "pejabat", "gratifikasi",
            "nepotisme", "kolusi", "akuntabilitas", "dprd", "kades", "dana desa", "uang pelicin", "mark up",
            "corruption", "bribe", "bribes", "bribery", "budget", "transparency", "accountability", "officials", "nepotism",
            "audit", "misuse",
        ]),
        new("sosial", "Sosial dan kesejahteraan", "Social welfare",
        [
            "bansos", "bantuan", "miskin", "kemiskinan", "pkh", "blt", "disabilitas", "difabel", "lansia", "yatim",
            "rtlh", "kesejahteraan", "panti", "gelandangan", "pengemis", "dtks", "rumah layak",
            "welfare", "poverty", "poor", "elderly", "disability", "disabled", "orphans", "homeless", "housing",
            "social assistance",
        ]),
    ];

    private static readonly Lazy<DefaultTaxonomy> Shared = new(() => new DefaultTaxonomy(Standard));

    public static DefaultTaxonomy Instance => Shared.Value;

    private readonly Dictionary<string, int> _single = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), int> _pairs = [];

    public DefaultTaxonomy(IReadOnlyList<TaxonomyTopic> topics)
    {
        Topics = topics;
        for (var t = 0; t < topics.Count; t++)
        {
            foreach (var entry in topics[t].Words)
            {
                var words = TextNormalizer.Default.Tokenize(entry);
                if (words.Count == 1)
                {
                    _single.TryAdd(words[0], t);
                }
                else if (words.Count == 2)
                {
                    _pairs.TryAdd((words[0], words[1]), t);
                }
                else
                {
                    throw new ArgumentException($"Taxonomy entry '{entry}' must be one or two words.", nameof(topics));
                }
            }
        }
    }

    public IReadOnlyList<TaxonomyTopic> Topics { get; }

    /// <summary>The topic whose words the text names most, or null when it names none.</summary>
    public TopicPrediction? Predict(string text)
    {
        var tokens = TextNormalizer.Default.Tokenize(text);
        var counts = new int[Topics.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (i + 1 < tokens.Count && _pairs.TryGetValue((tokens[i], tokens[i + 1]), out var pairTopic))
            {
                if (seen.Add(tokens[i] + " " + tokens[i + 1]))
                {
                    counts[pairTopic]++;
                }

                i++;
                continue;
            }

            var word = Known(tokens[i]);
            if (word is not null && seen.Add(word))
            {
                counts[_single[word]]++;
            }
        }

        var best = -1;
        var total = 0;
        for (var t = 0; t < counts.Length; t++)
        {
            total += counts[t];
            if (counts[t] > 0 && (best < 0 || counts[t] > counts[best]))
            {
                best = t;
            }
        }

        if (best < 0)
        {
            return null;
        }

        // A tie is no evidence for either side: the first listed would win by order alone.
        var tied = counts.Count(c => c == counts[best]) > 1;
        var confidence = counts[best] / (total + 1.0);
        return new TopicPrediction(Topics[best].Key, Math.Round(confidence, 3), tied || counts[best] < 2 || confidence < SureFrom);
    }
}
