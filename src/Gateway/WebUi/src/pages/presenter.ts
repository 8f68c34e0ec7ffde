import "../styles.css";
import "../staff.css";
import { api, consultationFromUrl, participantToken, staffSession } from "../lib/api";
import { Announcer } from "../lib/announcer";
import { byId, h, replace } from "../lib/dom";
import { applyStatic, formatNumber, mountLanguageSwitch, onLangChange, t } from "../lib/i18n";
import { Live } from "../lib/live";
import { answerBlock, connectionLabel } from "../lib/render";
import type { ConsultationInfo, PresenterFrame } from "../lib/types";

applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));
const id = consultationFromUrl();
if (id) void show(id);
else {
  const form = byId<HTMLFormElement>("code-form");
  form.hidden = false;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.search = `?c=${encodeURIComponent(byId<HTMLInputElement>("code").value.trim().toLowerCase())}`;
  });
}

async function show(consultationId: string): Promise<void> {
  byId("stage").hidden = false;
  const consultation = await api<ConsultationInfo>(`/api/consultations/${consultationId}`);
  // The screen is public: it reads with an anonymous participant token, like any phone in the hall.
  const live = new Live(participantToken);
  const announcer = new Announcer(byId("live-controls"));
  const conn = byId("conn");
  let frame: PresenterFrame | null = null;
  let joinCode: string | null = null;

  // Code admission: the rotating join code is shown when a moderator opened this screen (their session
  // is in this tab); it is fetched again when it changes.
  const staff = staffSession.get();
  if (consultation.admission === "code" && staff) {
    const refresh = async () => {
      let wait = 20_000;
      try {
        const current = await api<{ code: string; shownUntil: string }>(`/api/consultations/${consultationId}/join-code`, { token: staff.token });
        joinCode = current.code;
        wait = Math.min(wait, Math.max(1_000, Date.parse(current.shownUntil) - Date.now() + 500));
        render();
      } catch {
        // Keep the last code; try again soon.
      }
      setTimeout(() => void refresh(), wait);
    };
    void refresh();
  }

  live.onState((state) => connectionLabel(conn, state));
  live.connection.on("presenter", (next: PresenterFrame) => {
    if (next.consultationId !== consultationId || (frame && next.seq < frame.seq)) return;
    const changed = next.highlighted?.id !== frame?.highlighted?.id;
    frame = next;
    if (changed && next.highlighted) announcer.say(`${t("pres.now")}: ${next.highlighted.text}`);
    render();
  });
  live.onConnected(async () => {
    frame = await live.connection.invoke<PresenterFrame>("JoinPresenter", consultationId);
    render();
  });
  await live.start();
  onLangChange(() => {
    render();
    announcer.render();
  });

  function render(): void {
    byId("c-title").textContent = consultation.title;
    document.title = `${consultation.title} · ${t("pres.title")}`;
    const now = frame?.highlighted;
    replace(
      byId("now"),
      now
        ? h("div", { "data-item-id": now.id }, h("p", { class: "now", "data-testid": "now" }, now.text),
          h("p", { class: "muted" }, `${now.author} · ${t("item.votes", { n: formatNumber(now.votes.up + now.votes.agree) })}`),
          now.answer ? answerBlock(now.answer) : null)
        : h("p", { class: "now muted" }, t("pres.none")),
    );
    replace(byId("next"), (frame?.next ?? []).slice(0, 5).map((item) => h("li", { "data-item-id": item.id }, item.text,
      h("span", { class: "muted" }, ` · ${formatNumber(item.votes.up + item.votes.agree)}`))));
    byId("join").textContent =
      consultation.admission === "code"
        ? joinCode
          ? t("pres.joinCode", { url: `${location.host}/?c=${consultation.id}`, code: joinCode })
          : t("pres.joinNoCode", { url: `${location.host}/?c=${consultation.id}` })
        : consultation.admission === "invite"
          ? t("pres.joinInvite", { url: `${location.host}/?c=${consultation.id}` })
          : t("pres.join", { url: location.host, code: consultation.id });
  }
}
