using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace OpenGov.Dialogue.Gateway.Lite;

/// <summary>
/// The page's words in Indonesian (the default) and English, worded as on the participant page
/// (src/Gateway/WebUi/src/lib/i18n.ts) so a citizen who moves between the two reads the same labels.
/// </summary>
public sealed class LiteText
{
    public static readonly LiteText Indonesian = new("id", new Dictionary<string, string>
    {
        ["app.name"] = "Dialog Terbuka",
        ["lite.note"] = "Versi ringan tanpa JavaScript.",
        ["lang.switch"] = "English",
        ["status.open"] = "Dibuka",
        ["status.closed"] = "Ditutup",
        ["status.archived"] = "Diarsipkan",
        ["status.draft"] = "Draf",
        ["closed.note"] = "Konsultasi ini sudah ditutup: kiriman dan suara tidak diterima lagi.",
        ["join.title"] = "Ikut serta",
        ["join.open"] = "Anda tampil dengan nama samaran. Perangkat ini mengingat Anda dengan sebuah cookie.",
        ["join.submit"] = "Gabung",
        ["join.code"] = "Kode konsultasi",
        ["join.go"] = "Buka",
        ["about.read"] = "Baca keterangan lengkap",
        ["answer.accepted"] = "Diterima",
        ["answer.under_review"] = "Sedang ditinjau",
        ["answer.declined"] = "Ditolak",
        ["item.owner"] = "Penanggung jawab: {owner}",
        ["item.due"] = "Tenggat: {date}",
        ["admit.code"] = "Kode masuk yang tampil di layar",
        ["admit.codeHint"] = "Kode berganti setiap beberapa menit.",
        ["admit.invite"] = "Kode undangan Anda",
        ["admit.inviteHint"] = "Setiap kode undangan hanya berlaku untuk satu orang.",
        ["ask.label.qa"] = "Pertanyaan Anda",
        ["ask.label.deliberation"] = "Pendapat Anda",
        ["ask.hint"] = "Tulis satu gagasan, paling banyak {n} karakter.",
        ["ask.submit"] = "Kirim",
        ["done.sent"] = "Terkirim.",
        ["done.pending"] = "Terkirim. Akan tampil setelah diperiksa moderator.",
        ["done.voted"] = "Suara Anda tercatat.",
        ["done.joined"] = "Anda sudah bergabung.",
        ["list.top"] = "Terpopuler",
        ["list.new"] = "Terbaru",
        ["list.empty"] = "Belum ada kiriman yang tampil.",
        ["list.more"] = "Lebih banyak",
        ["list.back"] = "Kembali",
        ["list.page"] = "Halaman {n}",
        ["item.by"] = "oleh {name}",
        ["item.votes"] = "{n} dukungan",
        ["item.upvote"] = "Dukung",
        ["item.unvote"] = "Batalkan dukungan",
        ["item.agree"] = "Setuju",
        ["item.disagree"] = "Tidak setuju",
        ["item.pass"] = "Lewati",
        ["item.yours"] = "Suara Anda: {v}",
        ["item.pinned"] = "Disematkan",
        ["item.answered"] = "Dijawab",
        ["item.answer"] = "Jawaban resmi",
        ["item.answerBy"] = "{name}, {date}",
        ["item.read"] = "Baca selengkapnya",
        ["item.erased"] = "[dihapus atas permintaan penulis]",
        ["mine.title"] = "Kiriman saya",
        ["mine.all"] = "Semua kiriman saya ({n})",
        ["mine.empty"] = "Anda belum mengirim apa pun.",
        ["mine.reason"] = "Alasan: {reason}",
        ["mine.note"] = "Catatan moderator: {note}",
        ["mine.appeal"] = "Ajukan banding",
        ["mine.appealText"] = "Mengapa keputusan ini perlu ditinjau ulang? (opsional)",
        ["mine.appealed"] = "Banding diajukan.",
        ["done.appealed"] = "Banding diajukan. Moderator akan meninjau ulang.",
        ["data.title"] = "Data saya",
        ["data.download"] = "Unduh semua data saya (JSON)",
        ["data.eraseHint"] = "Menghapus mengganti teks semua kiriman Anda dengan tanda \"dihapus\" dan menarik semua suara Anda. Ini tidak bisa dibatalkan.",
        ["data.eraseConfirm"] = "Saya mengerti dan ingin menghapus",
        ["data.erase"] = "Hapus kiriman dan suara saya",
        ["done.erased"] = "Kiriman dan suara Anda sudah dihapus.",
        ["error.confirmation-required"] = "Centang kotak konfirmasi untuk menghapus. Tidak ada yang diubah.",
        ["error.already-appealed"] = "Kiriman ini sudah pernah diajukan banding.",
        ["status.pending"] = "Menunggu moderasi",
        ["status.published"] = "Tampil",
        ["status.rejected"] = "Ditolak",
        ["status.answered"] = "Dijawab",
        ["status.merged"] = "Digabung",
        ["status.archived-item"] = "Diarsipkan",
        ["reason.spam"] = "Spam",
        ["reason.abuse"] = "Kasar atau menyerang",
        ["reason.duplicate"] = "Duplikat",
        ["reason.off_topic"] = "Di luar topik",
        ["reason.multiple_ideas"] = "Lebih dari satu gagasan",
        ["reason.personal_data"] = "Berisi data pribadi",
        ["reason.other"] = "Lainnya",
        ["error.title"] = "Tidak berhasil",
        ["error.back"] = "Kembali ke konsultasi",
        ["error.generic"] = "Terjadi kesalahan. Coba lagi.",
        ["error.not-found"] = "Konsultasi atau kiriman tidak ditemukan. Periksa kodenya.",
        ["error.item-hidden"] = "Kiriman ini tidak tampil (belum disetujui, ditolak atau digabung).",
        ["error.rate-limited"] = "Terlalu cepat. Tunggu sebentar lalu coba lagi.",
        ["error.identities"] = "Terlalu banyak pendaftaran baru dari alamat ini. Coba lagi beberapa menit lagi.",
        ["error.admission-required"] = "Konsultasi ini hanya untuk peserta yang masuk dengan kode.",
        ["error.invalid-join-code"] = "Kode tidak berlaku. Kode berganti setiap beberapa menit: pakai kode yang tampil di layar sekarang.",
        ["error.invalid-invite"] = "Kode undangan tidak berlaku atau sudah dipakai.",
        ["error.sanctioned"] = "Anda sedang tidak dapat mengirim di konsultasi ini.",
        ["error.invalid-text"] = "Teks tidak valid (kosong atau terlalu panjang).",
        ["error.invalid-vote"] = "Suara tidak valid.",
        ["error.consultation-closed"] = "Konsultasi sudah ditutup.",
        ["error.antiforgery"] = "Formulir ini kedaluwarsa atau tidak berasal dari halaman ini. Buka halaman lagi lalu coba lagi.",
        ["error.join-first"] = "Gabung dulu untuk mengirim atau memberi suara.",
        ["error.unavailable"] = "Layanan sedang sibuk. Coba lagi sebentar lagi.",
        ["error.typed"] = "Teks Anda (salin sebelum mencoba lagi):",
    });

    public static readonly LiteText English = new("en", new Dictionary<string, string>
    {
        ["app.name"] = "Open Dialogue",
        ["lite.note"] = "Light version without JavaScript.",
        ["lang.switch"] = "Bahasa Indonesia",
        ["status.open"] = "Open",
        ["status.closed"] = "Closed",
        ["status.archived"] = "Archived",
        ["status.draft"] = "Draft",
        ["closed.note"] = "This consultation is closed: posts and votes are no longer taken.",
        ["join.title"] = "Take part",
        ["join.open"] = "You appear under a pseudonym. This device remembers you with a cookie.",
        ["join.submit"] = "Join",
        ["join.code"] = "Consultation code",
        ["join.go"] = "Open",
        ["about.read"] = "Read the full description",
        ["answer.accepted"] = "Accepted",
        ["answer.under_review"] = "Under review",
        ["answer.declined"] = "Declined",
        ["item.owner"] = "Owner: {owner}",
        ["item.due"] = "Due: {date}",
        ["admit.code"] = "The entry code shown on the screen",
        ["admit.codeHint"] = "The code changes every few minutes.",
        ["admit.invite"] = "Your invitation code",
        ["admit.inviteHint"] = "Each invitation code is for one person.",
        ["ask.label.qa"] = "Your question",
        ["ask.label.deliberation"] = "Your statement",
        ["ask.hint"] = "Write one idea, at most {n} characters.",
        ["ask.submit"] = "Send",
        ["done.sent"] = "Sent.",
        ["done.pending"] = "Sent. It will appear once a moderator has checked it.",
        ["done.voted"] = "Your vote is recorded.",
        ["done.joined"] = "You have joined.",
        ["list.top"] = "Most popular",
        ["list.new"] = "Newest",
        ["list.empty"] = "No posts are shown yet.",
        ["list.more"] = "More",
        ["list.back"] = "Back",
        ["list.page"] = "Page {n}",
        ["item.by"] = "by {name}",
        ["item.votes"] = "{n} upvotes",
        ["item.upvote"] = "Upvote",
        ["item.unvote"] = "Withdraw upvote",
        ["item.agree"] = "Agree",
        ["item.disagree"] = "Disagree",
        ["item.pass"] = "Pass",
        ["item.yours"] = "Your vote: {v}",
        ["item.pinned"] = "Pinned",
        ["item.answered"] = "Answered",
        ["item.answer"] = "Official answer",
        ["item.answerBy"] = "{name}, {date}",
        ["item.read"] = "Read more",
        ["item.erased"] = "[removed at the author's request]",
        ["mine.title"] = "My posts",
        ["mine.all"] = "All my posts ({n})",
        ["mine.empty"] = "You have not posted anything.",
        ["mine.reason"] = "Reason: {reason}",
        ["mine.note"] = "Moderator's note: {note}",
        ["mine.appeal"] = "Appeal",
        ["mine.appealText"] = "Why should this decision be reviewed? (optional)",
        ["mine.appealed"] = "Appeal sent.",
        ["done.appealed"] = "Appeal sent. A moderator will look again.",
        ["data.title"] = "My data",
        ["data.download"] = "Download all my data (JSON)",
        ["data.eraseHint"] = "Erasing replaces the text of all your posts with a \"removed\" marker and withdraws all your votes. This cannot be undone.",
        ["data.eraseConfirm"] = "I understand and want to erase",
        ["data.erase"] = "Erase my posts and votes",
        ["done.erased"] = "Your posts and votes have been erased.",
        ["error.confirmation-required"] = "Tick the confirmation box to erase. Nothing was changed.",
        ["error.already-appealed"] = "This post was appealed already.",
        ["status.pending"] = "Awaiting moderation",
        ["status.published"] = "Published",
        ["status.rejected"] = "Rejected",
        ["status.answered"] = "Answered",
        ["status.merged"] = "Merged",
        ["status.archived-item"] = "Archived",
        ["reason.spam"] = "Spam",
        ["reason.abuse"] = "Abusive",
        ["reason.duplicate"] = "Duplicate",
        ["reason.off_topic"] = "Off topic",
        ["reason.multiple_ideas"] = "More than one idea",
        ["reason.personal_data"] = "Contains personal data",
        ["reason.other"] = "Other",
        ["error.title"] = "That did not work",
        ["error.back"] = "Back to the consultation",
        ["error.generic"] = "Something went wrong. Please try again.",
        ["error.not-found"] = "Consultation or post not found. Check the code.",
        ["error.item-hidden"] = "This post is not shown (not yet approved, rejected or merged).",
        ["error.rate-limited"] = "Too fast. Wait a moment and try again.",
        ["error.identities"] = "Too many new sign-ups from this address. Try again in a few minutes.",
        ["error.admission-required"] = "This consultation is for participants who entered with a code.",
        ["error.invalid-join-code"] = "That code is not valid. It changes every few minutes: use the one on the screen now.",
        ["error.invalid-invite"] = "That invitation code is not valid or was used already.",
        ["error.sanctioned"] = "You cannot post in this consultation at the moment.",
        ["error.invalid-text"] = "The text is not valid (empty or too long).",
        ["error.invalid-vote"] = "That vote is not valid.",
        ["error.consultation-closed"] = "The consultation is closed.",
        ["error.antiforgery"] = "This form has expired or did not come from this page. Open the page again and retry.",
        ["error.join-first"] = "Join first to post or vote.",
        ["error.unavailable"] = "The service is busy. Please try again shortly.",
        ["error.typed"] = "Your text (copy it before trying again):",
    });

    private readonly FrozenDictionary<string, string> _words;

    private LiteText(string code, Dictionary<string, string> words)
    {
        Code = code;
        _words = words.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary><c>id</c> or <c>en</c>: the page's <c>lang</c> attribute and the <c>lang=</c> carried in its links.</summary>
    public string Code { get; }

    public CultureInfo Culture => Code == "en" ? CultureInfo.GetCultureInfo("en-GB") : CultureInfo.GetCultureInfo("id-ID");

    public LiteText Other => Code == "en" ? Indonesian : English;

    public string this[string key] => _words.TryGetValue(key, out var word) ? word : key;

    public string Format(string key, string name, string value) => this[key].Replace("{" + name + "}", value, StringComparison.Ordinal);

    /// <summary>A label for a server code (status, reason, error) that falls back to the code itself, as the web page does.</summary>
    public string Label(string prefix, string code) => _words.TryGetValue($"{prefix}.{code}", out var word) ? word : code;

    public string Error(string code) => _words.TryGetValue($"error.{code}", out var word) ? word : this["error.generic"];

    /// <summary>
    /// <c>?lang=en|id</c> wins (the participant page's rule); then the first of id/en in Accept-Language
    /// by quality; Indonesian when neither is asked for.
    /// </summary>
    public static LiteText For(HttpRequest request)
    {
        var asked = request.Query["lang"].ToString();
        if (asked is "en" or "id")
        {
            return asked == "en" ? English : Indonesian;
        }

        if (StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var languages))
        {
            foreach (var language in languages.OrderByDescending(l => l.Quality ?? 1))
            {
                var tag = language.Value.Value ?? string.Empty;
                if (tag.StartsWith("id", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("in", StringComparison.OrdinalIgnoreCase))
                {
                    return Indonesian;
                }

                if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                {
                    return English;
                }
            }
        }

        return Indonesian;
    }
}
