using System.Globalization;
using System.Text;
using OpenGov.Dialogue.Contracts;

namespace OpenGov.Dialogue.Channels;

/// <summary>
/// Every message the channels send, in Indonesian ("id") and English ("en"). Short on purpose: one SMS is
/// 160 characters, and a phone on a slow network shows the first line first.
/// </summary>
public static class ChannelTexts
{
    public static string Help(string lang) => lang == "en"
        ? "Send JOIN <code> to take part (the code is on the screen or the invitation). Then: your question as text, UP <n>, AGREE/DISAGREE/PASS <n>, STATUS, STOP, ERASE."
        : "Kirim GABUNG <kode> untuk ikut (kode ada di layar atau undangan). Lalu: kirim pertanyaan Anda, ATAS <n>, SETUJU/TIDAK/LEWAT <n>, STATUS, KELUAR, HAPUS. English: JOIN <code>";

    public static string Joined(string lang, ConsultationInfo info) => (lang, info.Mode) switch
    {
        ("en", ConsultationMode.Qa) => $"You joined \"{Short(info.Title, 60)}\". Send your question as a message. UP <n> upvotes question n. STOP leaves.",
        ("en", _) => $"You joined \"{Short(info.Title, 60)}\". Send your statement as a message. AGREE/DISAGREE/PASS <n> votes on statement n. STOP leaves.",
        (_, ConsultationMode.Qa) => $"Anda bergabung di \"{Short(info.Title, 60)}\". Kirim pertanyaan Anda sebagai pesan. ATAS <n> mendukung pertanyaan n. KELUAR untuk berhenti.",
        _ => $"Anda bergabung di \"{Short(info.Title, 60)}\". Kirim pendapat Anda sebagai pesan. SETUJU/TIDAK/LEWAT <n> untuk memilih pendapat n. KELUAR untuk berhenti.",
    };

    public static string JoinFailed(string lang) => lang == "en"
        ? "That code is not valid. Check the code on the screen (it changes every few minutes) and send JOIN <code> again."
        : "Kode tidak berlaku. Periksa kode di layar (berganti tiap beberapa menit) lalu kirim GABUNG <kode> lagi.";

    public static string JoinLocked(string lang) => lang == "en"
        ? "Too many wrong codes. Please try again in 10 minutes."
        : "Terlalu banyak kode salah. Silakan coba lagi 10 menit lagi.";

    public static string NotOpen(string lang) => lang == "en"
        ? "This consultation is not open for contributions."
        : "Konsultasi ini tidak sedang menerima kiriman.";

    public static string Receipt(string lang, SubmitResult result) => (lang, result.Status) switch
    {
        ("en", ItemStatus.Pending) => $"Received as {Number(result.ItemId)}; it waits for a moderator. STATUS shows your posts.",
        ("en", _) => $"Received as {Number(result.ItemId)} and published. STATUS shows your posts.",
        (_, ItemStatus.Pending) => $"Diterima sebagai {Number(result.ItemId)}; menunggu moderator. STATUS menampilkan kiriman Anda.",
        _ => $"Diterima sebagai {Number(result.ItemId)} dan sudah tampil. STATUS menampilkan kiriman Anda.",
    };

    public static string Voted(string lang, int n, int value, VoteTally tally, ConsultationMode mode)
    {
        var counts = mode == ConsultationMode.Qa
            ? (lang == "en" ? $"{tally.Up} upvotes" : $"{tally.Up} dukungan")
            : (lang == "en" ? $"agree {tally.Agree}, disagree {tally.Disagree}, pass {tally.Pass}" : $"setuju {tally.Agree}, tidak {tally.Disagree}, lewat {tally.Pass}");
        return lang == "en" ? $"Your vote on #{n} is recorded ({counts})." : $"Suara Anda untuk #{n} tercatat ({counts}).";
    }

    public static string WrongVote(string lang, ConsultationMode mode) => (lang, mode) switch
    {
        ("en", ConsultationMode.Qa) => "Here you upvote questions: UP <n>.",
        ("en", _) => "Here you vote on statements: AGREE <n>, DISAGREE <n> or PASS <n>.",
        (_, ConsultationMode.Qa) => "Di sini Anda mendukung pertanyaan: ATAS <n>.",
        _ => "Di sini Anda memilih pendapat: SETUJU <n>, TIDAK <n> atau LEWAT <n>.",
    };

    public static string BadNumber(string lang) => lang == "en"
        ? "Write the item number after the word, for example: UP 12."
        : "Tulis nomor kiriman setelah kata perintah, misalnya: ATAS 12.";

    public static string NoItem(string lang, int n) => lang == "en"
        ? $"There is no published item #{n} to vote on."
        : $"Tidak ada kiriman #{n} yang tampil untuk dipilih.";

    public static string Refused(string lang, DialogueException error) => (error.Code, lang) switch
    {
        (ErrorCodes.RateLimited, "en") => $"Too many messages. Please wait {error.RetryAfterSeconds ?? 60} seconds.",
        (ErrorCodes.RateLimited, _) => $"Terlalu banyak pesan. Mohon tunggu {error.RetryAfterSeconds ?? 60} detik.",
        (ErrorCodes.Sanctioned, "en") => "A moderator has stopped your contributions in this consultation.",
        (ErrorCodes.Sanctioned, _) => "Moderator menghentikan kiriman Anda di konsultasi ini.",
        (ErrorCodes.Closed, _) => NotOpen(lang),
        (ErrorCodes.InvalidText, "en") => "That message cannot be posted (empty or too long).",
        (ErrorCodes.InvalidText, _) => "Pesan itu tidak dapat dikirim (kosong atau terlalu panjang).",
        (_, "en") => "That could not be done. Send HELP for the commands.",
        _ => "Itu tidak dapat dilakukan. Kirim BANTUAN untuk daftar perintah.",
    };

    public static string Status(string lang, IReadOnlyList<ItemView> items)
    {
        if (items.Count == 0)
        {
            return lang == "en" ? "You have not posted anything here yet." : "Anda belum mengirim apa pun di sini.";
        }

        var text = new StringBuilder(lang == "en" ? "Your posts:" : "Kiriman Anda:");
        foreach (var item in items.OrderByDescending(i => i.CreatedAt).Take(5))
        {
            text.Append('\n').Append(Number(item.Id)).Append(' ').Append(StatusWord(lang, item.Status));
            if (item.Status is ItemStatus.Published or ItemStatus.Answered)
            {
                text.Append(" (").Append(item.Votes.Total().ToString(CultureInfo.InvariantCulture)).Append(lang == "en" ? " votes)" : " suara)");
            }

            if (item.Status == ItemStatus.Rejected && item.RejectionReason is { } reason)
            {
                text.Append(": ").Append(Short(reason, 60));
            }
        }

        return text.ToString();
    }

    public static string EraseAsk(string lang) => lang == "en"
        ? "Erase all your posts and votes? This cannot be undone. Reply ERASE YES to confirm."
        : "Hapus semua kiriman dan suara Anda? Ini tidak dapat dibatalkan. Balas HAPUS YA untuk memastikan.";

    public static string Erased(string lang, int items, int votes) => lang == "en"
        ? $"Erased: {items} posts and {votes} votes. Your number is no longer kept."
        : $"Terhapus: {items} kiriman dan {votes} suara. Nomor Anda tidak disimpan lagi.";

    public static string Left(string lang) => lang == "en"
        ? "You left. Your number is no longer kept. Send JOIN <code> to take part again."
        : "Anda keluar. Nomor Anda tidak disimpan lagi. Kirim GABUNG <kode> untuk ikut lagi.";

    public static string Unsupported(string lang) => lang == "en"
        ? "Sorry, we can only read text messages. Please type your question."
        : "Maaf, kami hanya dapat membaca pesan teks. Silakan ketik pertanyaan Anda.";

    /// <summary>What a notification says on a phone; null for kinds a phone is not told about.</summary>
    public static string? Notification(string lang, Notification n, int maxLength)
    {
        var item = Number(n.ItemId);
        var en = lang == "en";
        var text = n.Kind switch
        {
            "approved" => en ? $"Your post {item} is now published." : $"Kiriman Anda {item} sudah tampil.",
            "rejected" => en ? $"Your post {item} was not published. Reason: {n.Detail ?? "-"}." : $"Kiriman Anda {item} tidak ditampilkan. Alasan: {n.Detail ?? "-"}.",
            "answered" when n.Detail is { } answer => en ? $"Official answer to {item}: {answer}" : $"Jawaban resmi untuk {item}: {answer}",
            "answered" => en ? $"{item} was marked answered." : $"{item} ditandai sudah dijawab.",
            "merged" => en ? $"Your post {item} was merged with the similar {Number(n.Detail ?? "")}." : $"Kiriman Anda {item} digabung dengan kiriman serupa {Number(n.Detail ?? "")}.",
            "edited" => en ? $"A moderator edited your post {item}." : $"Moderator menyunting kiriman Anda {item}.",
            "on-screen" => en ? $"Your question {item} is on the screen now." : $"Pertanyaan Anda {item} sedang tampil di layar.",
            _ => null,
        };
        return text is null ? null : Short(text, maxLength);
    }

    /// <summary>Item ids are "i" + a number: people type and read the number ("#12").</summary>
    public static string Number(string itemId) =>
        itemId.Length > 1 && itemId[0] == 'i' && itemId.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0 ? "#" + itemId[1..] : itemId;

    private static string StatusWord(string lang, ItemStatus status) => (lang, status) switch
    {
        ("en", ItemStatus.Pending) => "waiting for review",
        ("en", ItemStatus.Published) => "published",
        ("en", ItemStatus.Rejected) => "not published",
        ("en", ItemStatus.Answered) => "answered",
        ("en", ItemStatus.Merged) => "merged",
        ("en", _) => "archived",
        (_, ItemStatus.Pending) => "menunggu moderasi",
        (_, ItemStatus.Published) => "tampil",
        (_, ItemStatus.Rejected) => "tidak ditampilkan",
        (_, ItemStatus.Answered) => "dijawab",
        (_, ItemStatus.Merged) => "digabung",
        _ => "diarsipkan",
    };

    private static string Short(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
