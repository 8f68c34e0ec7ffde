// Indonesian first (the default), English second. Static labels carry data-i18n="key" (text),
// data-i18n-placeholder, data-i18n-aria-label or data-i18n-title; dynamic parts call t() and are
// re-rendered on a language change.

const id = {
  "app.name": "Dialog Terbuka",
  "lang.label": "Bahasa",
  "skip": "Langsung ke isi",
  "item.voteGroup": "Suara Anda",
  "live.pause": "Jeda pengumuman",
  "live.resume": "Lanjutkan pengumuman",
  "live.new": "{n} kiriman baru",
  "conn.online": "Terhubung",
  "conn.reconnecting": "Menyambung ulang…",
  "conn.offline": "Terputus — tulisan Anda tetap tersimpan",
  "join.title": "Ikuti konsultasi",
  "join.code": "Kode konsultasi",
  "join.submit": "Gabung",
  "join.open": "Konsultasi yang dibuka",
  "join.none": "Belum ada konsultasi.",
  "join.notFound": "Konsultasi tidak ditemukan. Periksa kodenya.",
  "ask.label.qa": "Pertanyaan Anda",
  "ask.label.deliberation": "Pendapat Anda",
  "ask.hint": "Tulis satu gagasan. Anda tampil dengan nama samaran.",
  "ask.submit": "Kirim",
  "ask.sending": "Mengirim…",
  "ask.sent": "Terkirim.",
  "ask.sentPending": "Terkirim. Akan tampil setelah diperiksa moderator.",
  "ask.queued": "Belum terkirim; akan dikirim ulang otomatis saat tersambung.",
  "ask.draft": "Draf tersimpan di perangkat ini.",
  "list.title": "Kiriman",
  "list.sort": "Urutkan",
  "sort.popular": "Terpopuler",
  "sort.recent": "Terbaru",
  "sort.trending": "Sedang naik",
  "list.empty": "Belum ada kiriman yang tampil.",
  "list.more": "Tampilkan lebih banyak ({n} lagi)",
  "item.by": "oleh {name}",
  "item.upvote": "Dukung",
  "item.upvoted": "Didukung",
  "item.votes": "{n} dukungan",
  "item.agree": "Setuju",
  "item.disagree": "Tidak setuju",
  "item.pass": "Lewati",
  "item.pinned": "Disematkan",
  "item.highlighted": "Sedang dibahas",
  "item.edited": "Disunting moderator",
  "item.answer": "Jawaban resmi",
  "item.answerBy": "{name}, {date}",
  "item.owner": "Penanggung jawab: {owner}",
  "item.due": "Tenggat: {date}",
  "mine.title": "Kiriman saya",
  "mine.empty": "Anda belum mengirim apa pun.",
  "mine.reason": "Alasan: {reason}",
  "mine.note": "Catatan moderator: {note}",
  "mine.appeal": "Ajukan banding",
  "mine.appealText": "Mengapa keputusan ini perlu ditinjau ulang? (opsional)",
  "mine.appealSend": "Kirim banding",
  "mine.appealed": "Banding diajukan.",
  "notif.title": "Pemberitahuan",
  "notif.empty": "Tidak ada pemberitahuan.",
  "notif.read": "Tandai dibaca",
  "notif.answered": "Kiriman Anda dijawab.",
  "notif.approved": "Kiriman Anda ditampilkan.",
  "notif.rejected": "Kiriman Anda tidak ditampilkan.",
  "notif.merged": "Kiriman Anda digabung dengan kiriman serupa.",
  "notif.edited": "Kiriman Anda disunting moderator.",
  "status.pending": "Menunggu moderasi",
  "status.published": "Tampil",
  "status.rejected": "Ditolak",
  "status.answered": "Dijawab",
  "status.merged": "Digabung",
  "status.archived": "Diarsipkan",
  "reason.spam": "Spam",
  "reason.abuse": "Kasar atau menyerang",
  "reason.duplicate": "Duplikat",
  "reason.off_topic": "Di luar topik",
  "reason.multiple_ideas": "Lebih dari satu gagasan",
  "reason.personal_data": "Berisi data pribadi",
  "reason.other": "Lainnya",
  "signin.title": "Masuk sebagai petugas",
  "signin.key": "Kunci akses",
  "signin.role": "Peran",
  "signin.name": "Nama Anda",
  "signin.submit": "Masuk",
  "signin.failed": "Gagal masuk: kunci tidak cocok.",
  "signin.out": "Keluar",
  "role.moderator": "Moderator",
  "role.official": "Pejabat",
  "role.admin": "Admin",
  "pick.title": "Pilih konsultasi",
  "pick.open": "Buka",
  "mod.title": "Konsol moderator",
  "mod.queue": "Antrean",
  "mod.filters": "Saring",
  "mod.status": "Status",
  "mod.status.queue": "Perlu ditinjau",
  "mod.status.all": "Semua",
  "mod.tag": "Label",
  "mod.reason": "Alasan triase",
  "mod.search": "Cari",
  "mod.any": "Semua",
  "mod.select": "Pilih",
  "mod.selectAll": "Pilih semua yang tampil",
  "mod.selected": "{n} dipilih",
  "mod.claim": "Klaim",
  "mod.release": "Lepas",
  "mod.approve": "Setujui",
  "mod.reject": "Tolak",
  "mod.rejectWith": "Tolak dengan alasan",
  "mod.merge": "Gabung ke",
  "mod.mergeInto": "Gabungkan ke kiriman (id)",
  "mod.tagAdd": "Beri label",
  "mod.tags": "Label (pisahkan dengan koma)",
  "mod.pin": "Sematkan",
  "mod.unpin": "Lepas sematan",
  "mod.highlight": "Sorot di layar",
  "mod.archive": "Arsipkan",
  "mod.sanction": "Sanksi",
  "mod.more": "Tindakan lain",
  "mod.sanctionKind": "Jenis sanksi",
  "mod.mute": "Bisukan",
  "mod.ban": "Blokir",
  "mod.minutes": "Durasi (menit, kosong = permanen)",
  "mod.apply": "Terapkan",
  "mod.cancel": "Batal",
  "mod.triage": "Skor triase {score} · {reason}",
  "mod.claimedBy": "Diklaim {name} sampai {time}",
  "mod.claimedByMe": "Diklaim Anda sampai {time}",
  "mod.duplicateOf": "Mungkin duplikat dari {id}",
  "mod.appeal": "Banding: {text}",
  "mod.empty": "Antrean kosong.",
  "mod.dupGroups": "Kelompok duplikat",
  "mod.dupNone": "Tidak ada dugaan duplikat.",
  "mod.mergeGroup": "Gabungkan kelompok",
  "mod.done": "{n} berhasil, {f} gagal",
  "mod.shortcuts": "Pintasan papan ketik",
  "mod.keys": "j/k atau ↓/↑ pindah · x pilih · c klaim · a setujui · r tolak · m gabung · t label · n berikutnya · p sematkan · h sorot · s sanksi · Esc batal",
  "dash.title": "Dasbor pejabat",
  "dash.concerns": "Kelompok topik",
  "dash.byTag": "Kiriman per label",
  "dash.trend": "Kiriman dari waktu ke waktu",
  "dash.byStatus": "Status kiriman",
  "dash.segments": "Rincian per segmen",
  "dash.groups": "Peta kelompok pendapat",
  "dash.notYet": "Belum tersedia: fitur ini menyusul.",
  "topics.computing": "Kelompok topik sedang dihitung…",
  "topics.tooFew": "Terlalu sedikit kiriman untuk dikelompokkan: {n} dari minimal {min}. Kelompok muncul setelah cukup banyak kiriman terbit.",
  "topics.summary": "{g} kelompok dari {n} kiriman · dihitung {time} · diperbarui otomatis",
  "topics.failed": "Kelompok topik tidak dapat dimuat: {error}",
  "topics.groupLabel": "Kelompok topik {n}: {terms}",
  "topics.noTerms": "(tanpa kata khas)",
  "topics.groupLine": "{n} kiriman · {pct} dari semua suara ({v} suara)",
  "topics.itemLine": "{v} suara",
  "topics.tags": "Label: {tags}",
  "topics.suggested": "Saran topik: {topic} ({pct})",
  "topics.suggestedUnsure": "Saran topik (ragu): {topic} ({pct})",
  "topics.suggestionsH": "Label dan saran topik",
  "topics.taggerWaiting": "Saran topik muncul setelah moderator memakai setidaknya dua label berbeda.",
  "topics.tagLine": "{tag}: {tagged} diberi label · {suggested} disarankan · {unsure} ragu",
  "topics.untagged": "{n} kiriman belum diberi label.",
  "dash.top": "Pertanyaan teratas",
  "dash.representative": "Pernyataan yang mewakili tiap kelompok",
  "op.title": "Kelompok pendapat",
  "op.group": "Kelompok {n}",
  "op.members": "{n} peserta",
  "op.groupHead": "{group} · {members}",
  "op.deliberationOnly": "Hanya untuk konsultasi deliberasi (setuju / tidak setuju / lewati). Konsultasi tanya jawab tidak membentuk kelompok pendapat.",
  "op.none": "Belum ada kelompok: kelompok muncul setelah cukup banyak peserta memberi suara.",
  "op.summary": "{p} peserta memberi suara, {a} masuk analisis · {g} kelompok · dihitung {time}",
  "op.unassigned": "Belum masuk kelompok",
  "op.centre": "Pusat kelompok",
  "op.mapLabel": "Peta kelompok pendapat: {groups}",
  "op.rep.agree": "{pct} anggota setuju",
  "op.rep.disagree": "{pct} anggota tidak setuju",
  "op.rep.weak": "perbedaan belum signifikan",
  "op.consensus": "Konsensus antar-kelompok",
  "op.consensusHint": "Pernyataan yang disetujui oleh semua kelompok sekaligus, tertinggi dulu.",
  "op.consensusLine": "konsensus {score} · {a} setuju, {d} tidak setuju, {p} lewati",
  "op.common": "Titik temu seluruh peserta",
  "op.commonAgreed": "Disetujui mayoritas",
  "op.commonRejected": "Ditolak mayoritas",
  "op.commonNone": "Belum ada.",
  "op.you": "Anda paling dekat dengan {group}.",
  "op.youNone": "Nilai beberapa pernyataan untuk melihat kelompok pendapat yang paling dekat dengan Anda.",
  "op.youMore": "Posisi Anda makin tepat setelah Anda menilai lebih banyak pernyataan.",
  "op.next": "Pernyataan berikutnya untuk Anda nilai",
  "op.nextNone": "Anda sudah menilai semua pernyataan. Terima kasih!",
  "op.nextGo": "Lihat di daftar",
  "op.nextBadge": "Berikutnya untuk Anda",
  "dash.answer": "Jawab",
  "dash.answerText": "Jawaban",
  "dash.answerStatus": "Status tindak lanjut",
  "dash.answerOwner": "Penanggung jawab",
  "dash.answerDue": "Tenggat",
  "dash.answerSend": "Simpan jawaban",
  "dash.answerSaved": "Jawaban tersimpan.",
  "dash.export": "Ekspor",
  "dash.exportCsv": "Unduh CSV",
  "dash.exportJson": "Unduh JSON",
  "dash.log": "Log moderasi publik",
  "dash.items": "Kiriman",
  "dash.total": "Total {n} kiriman, {v} suara",
  "dash.untagged": "(tanpa label)",
  "answer.accepted": "Diterima",
  "answer.under_review": "Sedang ditinjau",
  "answer.declined": "Ditolak",
  "answer.none": "—",
  "pres.title": "Layar presentasi",
  "pres.now": "Sedang dibahas",
  "pres.next": "Berikutnya",
  "pres.none": "Belum ada pertanyaan yang disorot.",
  "pres.join": "Ikut bertanya: buka {url} dan masukkan kode {code}",
  "error.generic": "Terjadi kesalahan. Coba lagi.",
  "error.rate-limited": "Terlalu cepat. Tunggu sebentar lalu coba lagi.",
  "error.sanctioned": "Anda sedang tidak dapat mengirim di konsultasi ini.",
  "error.invalid-text": "Teks tidak valid (kosong atau terlalu panjang).",
  "error.consultation-closed": "Konsultasi sudah ditutup.",
  "error.claimed": "Sedang ditangani moderator lain.",
};

export type Key = keyof typeof id;

const en: Record<Key, string> = {
  "app.name": "Open Dialogue",
  "lang.label": "Language",
  "skip": "Skip to content",
  "item.voteGroup": "Your vote",
  "live.pause": "Pause announcements",
  "live.resume": "Resume announcements",
  "live.new": "{n} new posts",
  "conn.online": "Connected",
  "conn.reconnecting": "Reconnecting…",
  "conn.offline": "Disconnected — your text is kept",
  "join.title": "Join a consultation",
  "join.code": "Consultation code",
  "join.submit": "Join",
  "join.open": "Open consultations",
  "join.none": "No consultations yet.",
  "join.notFound": "Consultation not found. Check the code.",
  "ask.label.qa": "Your question",
  "ask.label.deliberation": "Your statement",
  "ask.hint": "Write one idea. You appear under a pseudonym.",
  "ask.submit": "Send",
  "ask.sending": "Sending…",
  "ask.sent": "Sent.",
  "ask.sentPending": "Sent. It appears once a moderator has checked it.",
  "ask.queued": "Not sent yet; it is retried automatically when connected.",
  "ask.draft": "Draft kept on this device.",
  "list.title": "Posts",
  "list.sort": "Sort by",
  "sort.popular": "Most popular",
  "sort.recent": "Most recent",
  "sort.trending": "Trending",
  "list.empty": "Nothing published yet.",
  "list.more": "Show more ({n} more)",
  "item.by": "by {name}",
  "item.upvote": "Upvote",
  "item.upvoted": "Upvoted",
  "item.votes": "{n} upvotes",
  "item.agree": "Agree",
  "item.disagree": "Disagree",
  "item.pass": "Pass",
  "item.pinned": "Pinned",
  "item.highlighted": "On screen now",
  "item.edited": "Edited by a moderator",
  "item.answer": "Official answer",
  "item.answerBy": "{name}, {date}",
  "item.owner": "Owner: {owner}",
  "item.due": "Due: {date}",
  "mine.title": "My posts",
  "mine.empty": "You have not posted anything.",
  "mine.reason": "Reason: {reason}",
  "mine.note": "Moderator's note: {note}",
  "mine.appeal": "Appeal",
  "mine.appealText": "Why should this decision be reviewed? (optional)",
  "mine.appealSend": "Send appeal",
  "mine.appealed": "Appeal sent.",
  "notif.title": "Notifications",
  "notif.empty": "No notifications.",
  "notif.read": "Mark as read",
  "notif.answered": "Your post was answered.",
  "notif.approved": "Your post was published.",
  "notif.rejected": "Your post was not published.",
  "notif.merged": "Your post was merged with a similar one.",
  "notif.edited": "Your post was edited by a moderator.",
  "status.pending": "Awaiting moderation",
  "status.published": "Published",
  "status.rejected": "Rejected",
  "status.answered": "Answered",
  "status.merged": "Merged",
  "status.archived": "Archived",
  "reason.spam": "Spam",
  "reason.abuse": "Abusive",
  "reason.duplicate": "Duplicate",
  "reason.off_topic": "Off topic",
  "reason.multiple_ideas": "More than one idea",
  "reason.personal_data": "Contains personal data",
  "reason.other": "Other",
  "signin.title": "Staff sign-in",
  "signin.key": "Access key",
  "signin.role": "Role",
  "signin.name": "Your name",
  "signin.submit": "Sign in",
  "signin.failed": "Sign-in failed: the key does not match.",
  "signin.out": "Sign out",
  "role.moderator": "Moderator",
  "role.official": "Official",
  "role.admin": "Admin",
  "pick.title": "Choose a consultation",
  "pick.open": "Open",
  "mod.title": "Moderator console",
  "mod.queue": "Queue",
  "mod.filters": "Filters",
  "mod.status": "Status",
  "mod.status.queue": "Needs review",
  "mod.status.all": "All",
  "mod.tag": "Tag",
  "mod.reason": "Triage reason",
  "mod.search": "Search",
  "mod.any": "Any",
  "mod.select": "Select",
  "mod.selectAll": "Select all shown",
  "mod.selected": "{n} selected",
  "mod.claim": "Claim",
  "mod.release": "Release",
  "mod.approve": "Approve",
  "mod.reject": "Reject",
  "mod.rejectWith": "Reject with reason",
  "mod.merge": "Merge into",
  "mod.mergeInto": "Merge into post (id)",
  "mod.tagAdd": "Tag",
  "mod.tags": "Tags (comma separated)",
  "mod.pin": "Pin",
  "mod.unpin": "Unpin",
  "mod.highlight": "Show on screen",
  "mod.archive": "Archive",
  "mod.sanction": "Sanction",
  "mod.more": "More actions",
  "mod.sanctionKind": "Kind of sanction",
  "mod.mute": "Mute",
  "mod.ban": "Ban",
  "mod.minutes": "Duration (minutes, empty = permanent)",
  "mod.apply": "Apply",
  "mod.cancel": "Cancel",
  "mod.triage": "Triage score {score} · {reason}",
  "mod.claimedBy": "Claimed by {name} until {time}",
  "mod.claimedByMe": "Claimed by you until {time}",
  "mod.duplicateOf": "Possible duplicate of {id}",
  "mod.appeal": "Appeal: {text}",
  "mod.empty": "The queue is empty.",
  "mod.dupGroups": "Duplicate groups",
  "mod.dupNone": "No suspected duplicates.",
  "mod.mergeGroup": "Merge group",
  "mod.done": "{n} done, {f} failed",
  "mod.shortcuts": "Keyboard shortcuts",
  "mod.keys": "j/k or ↓/↑ move · x select · c claim · a approve · r reject · m merge · t tag · n next · p pin · h highlight · s sanction · Esc cancel",
  "dash.title": "Officials' dashboard",
  "dash.concerns": "Topic groups",
  "dash.byTag": "Posts by tag",
  "dash.trend": "Posts over time",
  "dash.byStatus": "Post status",
  "dash.segments": "Breakdown by segment",
  "dash.groups": "Opinion groups map",
  "dash.notYet": "Not available yet: this feature comes later.",
  "topics.computing": "Topic groups are being computed…",
  "topics.tooFew": "Too few posts to group: {n} of at least {min}. Groups appear once enough posts are published.",
  "topics.summary": "{g} groups of {n} posts · computed {time} · updates automatically",
  "topics.failed": "The topic groups could not be loaded: {error}",
  "topics.groupLabel": "Topic group {n}: {terms}",
  "topics.noTerms": "(no distinctive words)",
  "topics.groupLine": "{n} posts · {pct} of all votes ({v} votes)",
  "topics.itemLine": "{v} votes",
  "topics.tags": "Tags: {tags}",
  "topics.suggested": "Suggested topic: {topic} ({pct})",
  "topics.suggestedUnsure": "Suggested topic (unsure): {topic} ({pct})",
  "topics.suggestionsH": "Tags and suggested topics",
  "topics.taggerWaiting": "Topic suggestions appear once moderators have used at least two different tags.",
  "topics.tagLine": "{tag}: {tagged} tagged · {suggested} suggested · {unsure} unsure",
  "topics.untagged": "{n} posts have no tag yet.",
  "dash.top": "Top questions",
  "dash.representative": "Representative statements per group",
  "op.title": "Opinion groups",
  "op.group": "Group {n}",
  "op.members": "{n} participants",
  "op.groupHead": "{group} · {members}",
  "op.deliberationOnly": "Only for deliberation consultations (agree / disagree / pass). A Q&A consultation forms no opinion groups.",
  "op.none": "No groups yet: they appear once enough participants have voted.",
  "op.summary": "{p} participants voted, {a} in the analysis · {g} groups · computed {time}",
  "op.unassigned": "Not in a group yet",
  "op.centre": "Group centre",
  "op.mapLabel": "Opinion groups map: {groups}",
  "op.rep.agree": "{pct} of the group agree",
  "op.rep.disagree": "{pct} of the group disagree",
  "op.rep.weak": "difference not yet significant",
  "op.consensus": "Group-informed consensus",
  "op.consensusHint": "Statements every group agrees with at once, highest first.",
  "op.consensusLine": "consensus {score} · {a} agree, {d} disagree, {p} pass",
  "op.common": "Common ground among all participants",
  "op.commonAgreed": "Agreed by most",
  "op.commonRejected": "Rejected by most",
  "op.commonNone": "None yet.",
  "op.you": "You are closest to {group}.",
  "op.youNone": "Vote on a few statements to see which opinion group you are closest to.",
  "op.youMore": "Your position gets more precise as you vote on more statements.",
  "op.next": "Next statement to vote on",
  "op.nextNone": "You have voted on every statement. Thank you!",
  "op.nextGo": "Show in the list",
  "op.nextBadge": "Next for you",
  "dash.answer": "Answer",
  "dash.answerText": "Answer",
  "dash.answerStatus": "Follow-up status",
  "dash.answerOwner": "Owner",
  "dash.answerDue": "Due date",
  "dash.answerSend": "Save answer",
  "dash.answerSaved": "Answer saved.",
  "dash.export": "Export",
  "dash.exportCsv": "Download CSV",
  "dash.exportJson": "Download JSON",
  "dash.log": "Public moderation log",
  "dash.items": "Posts",
  "dash.total": "{n} posts in total, {v} votes",
  "dash.untagged": "(untagged)",
  "answer.accepted": "Accepted",
  "answer.under_review": "Under review",
  "answer.declined": "Declined",
  "answer.none": "—",
  "pres.title": "Presenter screen",
  "pres.now": "Now discussing",
  "pres.next": "Up next",
  "pres.none": "No question is highlighted yet.",
  "pres.join": "Ask your question: open {url} and enter code {code}",
  "error.generic": "Something went wrong. Please try again.",
  "error.rate-limited": "Too fast. Wait a moment and try again.",
  "error.sanctioned": "You cannot post in this consultation at the moment.",
  "error.invalid-text": "The text is not valid (empty or too long).",
  "error.consultation-closed": "The consultation is closed.",
  "error.claimed": "Another moderator is handling it.",
};

export type Lang = "id" | "en";
const dictionaries: Record<Lang, Record<Key, string>> = { id, en };
const locales: Record<Lang, string> = { id: "id-ID", en: "en-GB" };
const listeners: Array<() => void> = [];

let current: Lang = readLang();

function readLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl === "en" || fromUrl === "id") return fromUrl;
  try {
    return localStorage.getItem("dialogue.lang") === "en" ? "en" : "id";
  } catch {
    return "id";
  }
}

export function lang(): Lang {
  return current;
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return (dictionaries[current][key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
}

/** A label for a server code (status, reason, answer status, error) that falls back to the code itself. */
export function label(prefix: string, code: string | null | undefined): string {
  if (!code) return "";
  const key = `${prefix}.${code}` as Key;
  return key in dictionaries[current] ? t(key) : code;
}

/** The localised message for an error code, or a generic one. */
export function errorText(code: string): string {
  const key = `error.${code}` as Key;
  return key in dictionaries[current] ? t(key) : t("error.generic");
}

export function setLang(value: Lang): void {
  current = value;
  try {
    localStorage.setItem("dialogue.lang", value);
  } catch {
    // Not persisted; the switch still works for this page.
  }
  applyStatic(document.body);
  listeners.forEach((listener) => listener());
}

export function onLangChange(listener: () => void): void {
  listeners.push(listener);
}

export function applyStatic(root: ParentNode): void {
  document.documentElement.lang = current;
  root.querySelectorAll<HTMLElement>("[data-i18n]").forEach((el) => (el.textContent = t(el.dataset.i18n as Key)));
  for (const attr of ["placeholder", "aria-label", "title"] as const) {
    root.querySelectorAll<HTMLElement>(`[data-i18n-${attr}]`).forEach((el) => el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`) as Key)));
  }
  const title = document.querySelector<HTMLElement>("[data-i18n-doc-title]");
  if (title) document.title = `${t(title.dataset.i18nDocTitle as Key)} · ${t("app.name")}`;
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locales[current]).format(value);
}

export function formatPercent(value: number): string {
  return new Intl.NumberFormat(locales[current], { style: "percent", maximumFractionDigits: 0 }).format(value);
}

export function formatDateTime(value: string | Date): string {
  return new Intl.DateTimeFormat(locales[current], { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export function formatTime(value: string | Date): string {
  return new Intl.DateTimeFormat(locales[current], { timeStyle: "short" }).format(new Date(value));
}

export function formatDate(value: string): string {
  // A bare yyyy-MM-dd is a calendar date: format it without shifting it through a time zone.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00`) : new Date(value);
  return new Intl.DateTimeFormat(locales[current], { dateStyle: "long" }).format(date);
}

export function relativeTime(value: string): string {
  const seconds = Math.round((new Date(value).getTime() - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locales[current], { numeric: "auto" });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, "second");
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), "hour");
  return formatDateTime(value);
}

/** The shared header control: a labelled select, Indonesian first. */
export function mountLanguageSwitch(select: HTMLSelectElement): void {
  select.value = current;
  select.addEventListener("change", () => setLang(select.value === "en" ? "en" : "id"));
}
