namespace OpenGov.Dialogue.Analysis.Text;

/// <summary>
/// Informal and chat spellings mapped to their standard form. Written by the team from common usage;
/// it is deliberately small and readable so moderators can extend it per consultation.
/// </summary>
public static class InformalSpellings
{
    /// <summary>Indonesian chat spellings ("gak" → "tidak") and a few English ones ("u" → "you").</summary>
    public static IReadOnlyDictionary<string, string> Default { get; } = Build();

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);

        void Add(string standard, params string[] informal)
        {
            foreach (var word in informal)
            {
                map[word] = standard;
            }
        }

        // Indonesian negations first: keeping them recognisable matters for abuse and stance.
        Add("tidak", "gak", "ga", "gk", "nggak", "ngga", "enggak", "engga", "tdk", "tak", "kagak", "kaga", "ndak", "gag", "gax");
        Add("bukan", "bkn", "bukn");
        Add("belum", "blm", "blum", "belom");
        Add("jangan", "jgn", "jngn", "jangn");
        Add("yang", "yg", "yng", "ygy");
        Add("banget", "bgt", "bngt", "bangett");
        Add("sudah", "udah", "udh", "sdh", "dah", "sdah", "uda");
        Add("saja", "aja", "aj", "sj", "ajah");
        Add("dengan", "dg", "dgn", "dng");
        Add("untuk", "utk", "bwt", "untk");
        Add("karena", "krn", "karna", "krna", "soalnya");
        Add("tetapi", "tp", "tapi", "ttp");
        Add("kalau", "kalo", "klo", "klw", "kalu");
        Add("bisa", "bs", "bsa");
        Add("dari", "dr", "dri");
        Add("pada", "pd");
        Add("sekarang", "skrg", "skr", "skrng", "skarang");
        Add("orang", "org", "orng");
        Add("juga", "jg", "jga");
        Add("lagi", "lg", "lgi");
        Add("sama", "sm", "sma");
        Add("apa", "ap", "apaan");
        Add("begitu", "gitu", "gt", "bgtu");
        Add("begini", "gini");
        Add("bagaimana", "gmn", "gimana", "gmna", "gmana", "bgmn");
        Add("kenapa", "knp", "napa", "knapa");
        Add("aku", "aq", "ak", "gue", "gw", "gua");
        Add("kamu", "km", "lu", "loe", "elo", "elu", "kmu");
        Add("dia", "doi");
        Add("mereka", "mrk", "mrka");
        Add("kita", "kt");
        Add("terima kasih", "makasih", "makasi", "mksh", "trims", "tq", "trimakasih", "terimakasih");
        Add("tolong", "tlg", "tlong");
        Add("mohon", "mhn");
        Add("sangat", "sgt", "sngt");
        Add("sedang", "sdg");
        Add("harus", "hrs", "kudu");
        Add("benar", "bener", "bnr");
        Add("tahu", "tau", "tw");
        Add("mau", "mo", "mw", "pengen", "pgn", "pingin", "pengin");
        Add("lihat", "liat", "lht");
        Add("bilang", "blg", "bilng");
        Add("pakai", "pake", "pk");
        Add("masih", "msh", "masi");
        Add("memang", "emang", "emg", "mmg");
        Add("seperti", "kayak", "kyk", "kaya", "spt", "kek");
        Add("banyak", "byk", "bnyk", "banyk");
                Add("jalan", "jln", "jl");
        Add("dulu", "dl", "dlu");
        Add("nanti", "ntar", "ntr", "nnti");
        Add("cepat", "cpt", "cepet");
        Add("sampai", "sampe", "ampe");
        Add("bagus", "bgs");
        Add("saya", "sy", "sya");
        Add("dimana", "dmn", "dmana");
        Add("kapan", "kpn");
        Add("sebelum", "sblm");
        Add("setelah", "stlh");
        Add("hanya", "cuma", "cuman", "cm");
        Add("semua", "smua", "smw");
        Add("kasih", "ksh");
        Add("ada", "ad");
        Add("adalah", "adlh", "adl");
        Add("atau", "ato", "atw");
        Add("kerja", "krj");
        Add("jadi", "jd", "jdi");

        // English chat spellings; contractions of "not" are split so the negation survives.
        Add("you", "u", "yu");
        Add("your", "ur", "yr");
        Add("you are", "youre", "ure");
                Add("please", "pls", "plz", "plse");
        Add("because", "bc", "cuz", "coz", "bcz");
        Add("people", "ppl");
        Add("thanks", "thx", "thnx");
        Add("do not", "dont");
        Add("does not", "doesnt");
        Add("did not", "didnt");
        Add("is not", "isnt", "aint");
        Add("are not", "arent");
        Add("was not", "wasnt");
        Add("can not", "cant", "cannot", "can't");
        Add("will not", "wont", "won't");
        Add("should not", "shouldnt");
        Add("would not", "wouldnt");
        Add("going to", "gonna");
        Add("want to", "wanna");
        Add("got to", "gotta");
        Add("okay", "ok", "okey");
        Add("before", "b4");
        Add("government", "govt", "gov");
        return map;
    }
}
