import "../styles.css";
import { api, consultationFromUrl, participantToken } from "../lib/api";
import { admit } from "../lib/admission";
import { mountDataRights } from "../lib/data-rights";
import { mountSegmentQuestions } from "../lib/segments";
import { Announcer } from "../lib/announcer";
import { byId, store } from "../lib/dom";
import { applyStatic, formatNumber, mountLanguageSwitch, onLangChange, t } from "../lib/i18n";
import { ItemStore, Live } from "../lib/live";
import { connectionLabel, perFrame, relabelConnection } from "../lib/render";
import type { ConsultationInfo, ItemView, Notification, OpinionView, VoteUpdate } from "../lib/types";
import { mountCompose } from "./participant/compose";
import { mountFeed } from "./participant/feed";
import { showJoin } from "./participant/join";
import { mountMine } from "./participant/mine";
import { mountNotifications } from "./participant/notifications";
import { mountOpinion } from "./participant/opinion";
import type { ParticipantState } from "./participant/state";
import { voteButtons } from "./participant/votes";

// The participant page: the join form without a code, else one consultation with its panels
// (participant/*.ts), which share one ParticipantState and the live connection wired here.

const consultationId = consultationFromUrl();
applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));

if (consultationId) void openConsultation(consultationId);
else void showJoin();

async function openConsultation(id: string): Promise<void> {
  const view = byId("consultation-view");
  await admit(id);
  const token = await participantToken();
  const state: ParticipantState = {
    id,
    live: new Live(participantToken),
    items: new ItemStore(),
    mine: new ItemStore(),
    myIds: new Set<string>(),
    myVotes: store<Record<string, number>>(`dialogue.votes.${id}`, {}),
    announcer: new Announcer(byId("live-controls")),
    consultation: null,
    nextId: undefined,
  };
  const { live, items, mine: mineStore, myIds, announcer } = state;
  const conn = byId("conn");
  live.onState((connection) => connectionLabel(conn, connection));
  connectionLabel(conn, "reconnecting");

  const mine = mountMine(state);
  const compose = mountCompose(state, mine.load);
  const notifications = mountNotifications(state);
  const votes = voteButtons(state, async () => {
    feed.render();
    opinion.render();
    if (state.consultation?.mode === "deliberation") {
      opinion.schedule(true);
      await opinion.refreshNext();
    }
  });
  const feed = mountFeed(state, votes);
  const opinion = mountOpinion(state, votes, feed);

  const renderNextFrame = perFrame(() => {
    feed.render();
    mine.render();
    opinion.render();
  });
  const scheduleRender = () => {
    if (renderNextFrame()) feed.scheduleTrending();
  };

  live.connection.on("changes", (cid: string, changed: ItemView[], voteUpdates: VoteUpdate[] = []) => {
    if (cid !== id) return;
    const fresh = items.apply(changed.filter((i) => !myIds.has(i.id) || i.visible));
    mineStore.apply(changed.filter((i) => myIds.has(i.id)));
    const newlyVisible = fresh.filter((i) => i.visible && i.seq > 0 && !myIds.has(i.id));
    if (newlyVisible.length > 0) announcer.say(t("live.new", { n: formatNumber(newlyVisible.length) }));
    // Nothing was left to vote on, or the suggestion was withdrawn: ask again.
    const nextId = state.nextId;
    if ((nextId === null && newlyVisible.length > 0) || (nextId && fresh.some((i) => i.id === nextId && !i.visible))) void opinion.refreshNext();
    // Compact vote counts come after the full views of the same round.
    items.applyVotes(voteUpdates);
    mineStore.applyVotes(voteUpdates);
    scheduleRender();
  });
  live.connection.on("opinion", (pushed: OpinionView) => opinion.receive(pushed));
  // A status change (closed, reopened) shows on the next load; accepted quietly until then.
  live.connection.on("consultation", () => undefined);
  live.connection.on("notification", (n: Notification) => {
    if (n.consultationId !== id) return;
    notifications.receive(n);
    void mine.load();
  });
  live.onConnected(async () => {
    const joined = await live.join(id, items);
    for (const item of joined.items) if (myIds.has(item.id)) mineStore.apply([item]);
    state.consultation = joined.consultation;
    renderHeader(state.consultation);
    scheduleRender();
    if (state.consultation.mode === "deliberation") {
      void opinion.refresh();
      if (state.nextId === undefined) void opinion.refreshNext();
    }
    await compose.sendPending();
  });

  try {
    state.consultation = await api<ConsultationInfo>(`/api/consultations/${id}`);
  } catch {
    byId("join-view").hidden = false;
    byId("join-error").textContent = t("join.notFound");
    void showJoin();
    return;
  }
  view.hidden = false;
  renderHeader(state.consultation);
  mountSegmentQuestions(id);
  mountDataRights(() => {
    // Every vote was withdrawn on the server: forget them here too, in every consultation.
    try {
      for (const key of Object.keys(localStorage)) if (key.startsWith("dialogue.votes.")) localStorage.removeItem(key);
    } catch {
      // Storage unavailable: nothing was kept.
    }
    // The texts arrive as erased items through the hub; ask for the own items again for their status.
    void mine.load();
    feed.render();
  });
  await Promise.all([mine.load(), notifications.load(token)]);
  await live.start();
  feed.mountSort();

  onLangChange(() => {
    renderHeader(state.consultation);
    feed.render();
    mine.render();
    notifications.render();
    opinion.render();
    announcer.render();
    compose.renderStatus();
    relabelConnection(conn);
  });
}

function renderHeader(consultation: ConsultationInfo | null): void {
  if (!consultation) return;
  byId("c-title").textContent = consultation.title;
  byId("c-desc").textContent = consultation.description;
  byId("ask-label").textContent = t(consultation.mode === "qa" ? "ask.label.qa" : "ask.label.deliberation");
  document.title = `${consultation.title} · ${t("app.name")}`;
}
