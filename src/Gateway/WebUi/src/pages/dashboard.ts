import "../styles.css";
import "../staff.css";
import type { Chart } from "chart.js";
import { Announcer } from "../lib/announcer";
import { byId } from "../lib/dom";
import { applyStatic, formatNumber, mountLanguageSwitch, onLangChange, t } from "../lib/i18n";
import { ItemStore, Live } from "../lib/live";
import { connectionLabel, relabelConnection } from "../lib/render";
import { showSignedIn, staffStart } from "../lib/staff";
import type { ItemView, OpinionView, TopicsView, VoteUpdate } from "../lib/types";
import { mountAnswers } from "./dashboard/answers";
import { mountBrief } from "./dashboard/brief";
import { renderCharts, setupCharts } from "./dashboard/charts";
import { mountExport } from "./dashboard/export";
import { renderOpinion } from "./dashboard/opinion";
import { mountSegments } from "./dashboard/segments";
import type { DashboardState } from "./dashboard/state";
import { mountTopics } from "./dashboard/topics";

// The official dashboard: charts, opinion groups, topic groups, the brief, who is being heard and the
// answers (dashboard/*.ts) share one DashboardState; the live connection is wired here.

setupCharts();
applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));
void main();

async function main(): Promise<void> {
  const { session, consultationId: id } = await staffStart(byId("gate"), ["official", "admin"]);
  showSignedIn(session);
  byId("dashboard").hidden = false;
  byId<HTMLAnchorElement>("log-link").href = `/api/consultations/${id}/moderation-log`;
  byId<HTMLAnchorElement>("report-link").href = `/report?c=${id}`;

  const state: DashboardState = { id, session, live: new Live(() => session.token), store: new ItemStore(), consultation: null, opinion: null };
  const { live, store } = state;
  const announcer = new Announcer(byId("live-controls"));
  const conn = byId("conn");
  const charts: Chart[] = [];
  const items = (): ItemView[] => [...store.items.values()].filter((i) => i.visible);
  const topics = mountTopics(state);
  const segments = mountSegments(state);
  const brief = mountBrief(state, segments.load);
  const answers = mountAnswers(state, render);
  let renderTimer = 0;

  function scheduleRender(): void {
    // Charts redraw at most once a second in a busy hall.
    if (renderTimer) return;
    renderTimer = window.setTimeout(() => {
      renderTimer = 0;
      render();
    }, 1000);
  }

  function render(): void {
    if (state.consultation) byId("c-title").textContent = `${state.consultation.title} (${state.consultation.id})`;
    const all = items();
    const votes = all.reduce((sum, i) => sum + i.votes.up + i.votes.agree + i.votes.disagree + i.votes.pass, 0);
    byId("totals").textContent = t("dash.total", { n: formatNumber(all.length), v: formatNumber(votes) });
    charts.splice(0).forEach((chart) => chart.destroy());
    charts.push(...renderCharts(all));
    const map = renderOpinion(state);
    if (map) charts.push(map);
    answers.render(all);
  }

  live.onState((connection) => connectionLabel(conn, connection));
  live.connection.on("changes", (cid: string, changed: ItemView[], votes: VoteUpdate[] = []) => {
    if (cid !== id) return;
    const fresh = store.apply(changed).filter((i) => i.visible);
    if (fresh.length > 0) announcer.say(t("live.new", { n: formatNumber(fresh.length) }));
    // Compact vote counts come after the full views of the same round.
    store.applyVotes(votes);
    scheduleRender();
  });
  // Status changes and the moderation log: accepted quietly (the dashboard shows neither live yet).
  live.connection.on("consultation", () => undefined);
  live.connection.on("log", () => undefined);
  // The topic groups after each regrouping on the server: no polling.
  live.connection.on("topics", (view: TopicsView) => {
    if (view.consultationId !== id) return;
    topics.receive(view);
    brief.schedule();
  });
  live.connection.on("opinion", (view: OpinionView) => {
    if (view.consultationId !== id || (state.opinion && view.version < state.opinion.version)) return;
    state.opinion = view;
    scheduleRender();
  });
  live.onConnected(async () => {
    const joined = await live.join(id, store);
    state.consultation = joined.consultation;
    render();
    // Once per (re)connect: what a regrouping pushed while the page was away.
    void topics.load();
    void brief.load();
    void segments.load();
    if (state.consultation.mode === "deliberation") {
      const view = await live.connection.invoke<OpinionView>("OpinionGroups", id);
      if (!state.opinion || view.version >= state.opinion.version) state.opinion = view;
      render();
    }
  });
  await live.start();
  onLangChange(() => {
    render();
    topics.render();
    brief.render();
    segments.render();
    announcer.render();
    relabelConnection(conn);
  });
  mountExport(id, items);
}
