import "../styles.css";
import "../staff.css";
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from "chart.js";
import { api, errorCode } from "../lib/api";
import { Announcer } from "../lib/announcer";
import { byId, h, replace } from "../lib/dom";
import { applyStatic, errorText, formatDateTime, formatNumber, formatPercent, formatTime, lang, mountLanguageSwitch, onLangChange, t, type Key } from "../lib/i18n";
import { ItemStore, Live } from "../lib/live";
import { briefSections } from "../lib/brief";
import { segmentSections } from "../lib/segments";
import { answerBlock, answerStatusLabel, connectionLabel, itemMeta, itemText } from "../lib/render";
import { signOutButton, staffStart } from "../lib/staff";
import type { ConsultationBrief, ConsultationInfo, ItemView, OpinionView, SegmentsBreakdown, TopicGroupView, TopicItemView, TopicsView, VoteUpdate } from "../lib/types";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, ScatterController, DoughnutController, ArcElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Group colours by id (stable across recomputations), dark enough for text and 3:1 against white as marks. */
const groupColours = ["#0b4f8a", "#b85c00", "#146c2e", "#a4161a", "#6a3d9a", "#00687a", "#7a5c00"];
const groupColour = (groupId: number) => groupColours[groupId % groupColours.length];
const groupName = (groupId: number) => t("op.group", { n: formatNumber(groupId + 1) });
Chart.defaults.color = "#1b1f24";
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.animation = false;

applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));
void main();

async function main(): Promise<void> {
  const { session, consultationId: id } = await staffStart(byId("gate"), ["official", "admin"]);
  byId("who").replaceChildren(`${session.name} · ${t(`role.${session.role}` as Key)} `, signOutButton());
  byId("dashboard").hidden = false;
  byId<HTMLAnchorElement>("log-link").href = `/api/consultations/${id}/moderation-log`;
  byId<HTMLAnchorElement>("report-link").href = `/report?c=${id}`;

  const store = new ItemStore();
  const live = new Live(() => session.token);
  const announcer = new Announcer(byId("live-controls"));
  const conn = byId("conn");
  let consultation: ConsultationInfo | null = null;
  let opinion: OpinionView | null = null;
  const charts: Chart[] = [];
  const openForms = new Set<string>();
  let renderTimer = 0;
  let topics: TopicsView | null = null;
  let topicsError: string | null = null;

  live.onState((state) => connectionLabel(conn, state));
  live.connection.on("changes", (cid: string, items: ItemView[], votes: VoteUpdate[] = []) => {
    if (cid !== id) return;
    const fresh = store.apply(items).filter((i) => i.visible);
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
    topics = view;
    topicsError = null;
    renderTopics();
    scheduleBrief();
  });
  live.connection.on("opinion", (view: OpinionView) => {
    if (view.consultationId !== id || (opinion && view.version < opinion.version)) return;
    opinion = view;
    scheduleRender();
  });
  live.onConnected(async () => {
    const joined = await live.join(id, store);
    consultation = joined.consultation;
    render();
    // Once per (re)connect: what a regrouping pushed while the page was away.
    void loadTopics();
    void loadBrief();
    void loadSegments();
    if (consultation.mode === "deliberation") {
      const view = await live.connection.invoke<OpinionView>("OpinionGroups", id);
      if (!opinion || view.version >= opinion.version) opinion = view;
      render();
    }
  });
  await live.start();
  onLangChange(() => {
    render();
    renderTopics();
    renderBrief();
    renderSegments();
    announcer.render();
    connectionLabel(conn, (conn.dataset.state as "online") ?? "online");
  });
  byId("export-csv").addEventListener("click", () => download(`${id}.csv`, "text/csv", toCsv(items())));
  byId("export-json").addEventListener("click", () => download(`${id}.json`, "application/json", JSON.stringify(items(), null, 2)));

  let brief: ConsultationBrief | null = null;
  let briefTimer = 0;

  /** The brief follows the pushed regroupings (and answers, through them), read at most every 5 s. */
  function scheduleBrief(): void {
    if (briefTimer) return;
    briefTimer = window.setTimeout(() => {
      briefTimer = 0;
      void loadBrief();
      void loadSegments();
    }, 5000);
  }

  async function loadBrief(): Promise<void> {
    try {
      brief = await api<ConsultationBrief>(`/api/consultations/${id}/brief`, { token: session.token });
    } catch {
      // Kept as it was: the next push tries again.
    }
    renderBrief();
  }

  let segments: SegmentsBreakdown | null = null;

  /** Who is being heard: read on (re)connect and with the brief after each pushed regrouping (at most every 5 s). */
  async function loadSegments(): Promise<void> {
    try {
      segments = await api<SegmentsBreakdown>(`/api/consultations/${id}/segments/breakdown`, { token: session.token });
    } catch {
      // Kept as it was: the next push tries again.
    }
    renderSegments();
  }

  function renderSegments(): void {
    replace(byId("segments-body"), segmentSections(segments, groupName));
  }

  function renderBrief(): void {
    replace(byId("brief-body"), brief ? briefSections(brief) : h("p", { class: "muted" }, t("topics.computing")));
  }

  /**
   * The topic groups as they are now, read once after each (re)connect; from then on the server pushes
   * a "topics" frame after every regrouping. A pushed view newer than the answer wins.
   */
  async function loadTopics(): Promise<void> {
    try {
      const view = await api<TopicsView>(`/api/consultations/${id}/topics?top=3`, { token: session.token });
      if (!topics || !topics.at || !view.at || view.at >= topics.at) topics = view;
      topicsError = null;
    } catch (error) {
      topicsError = errorText(errorCode(error));
    }
    renderTopics();
  }

  function renderTopics(): void {
    const view = topics;
    const summary = byId("topics-summary");
    summary.textContent = topicsError
      ? t("topics.failed", { error: topicsError })
      : !view || view.status === "computing"
        ? t("topics.computing")
        : view.status === "too-few-items"
          ? t("topics.tooFew", { n: formatNumber(view.items), min: formatNumber(view.minItems) })
          : t("topics.summary", { g: formatNumber(view.groups.length), n: formatNumber(view.items), time: view.computedAt ? formatTime(view.computedAt) : "", recent: formatNumber(view.recent), m: formatNumber(view.recentMinutes) });
    if (topicsError) return;
    replace(byId("topic-groups"), (view?.groups ?? []).map((g) => topicGroup(g)));
    replace(
      byId("topic-tags"),
      !view?.taggerReady ? h("li", { class: "muted" }, t("topics.taggerWaiting")) : null,
      (view?.tags ?? []).map((c) =>
        h("li", { "data-tag": c.tag }, t("topics.tagLine", {
          tag: c.tag, tagged: formatNumber(c.tagged), suggested: formatNumber(c.suggested), unsure: formatNumber(c.unsure),
        }))),
      view && view.untagged > 0 ? h("li", { class: "muted" }, t("topics.untagged", { n: formatNumber(view.untagged) })) : null,
    );
  }

  /** Numbered by the group's id, which the server keeps across recomputations, so "group 4" stays group 4. */
  function topicGroup(group: TopicGroupView): HTMLElement {
    const terms = group.terms.length > 0 ? group.terms.join(" · ") : t("topics.noTerms");
    return h("li", { class: "topic-group", "data-group-id": group.id, "data-testid": "topic-group" },
      h("h3", {}, t("topics.groupLabel", { n: formatNumber(group.id), terms })),
      h("p", { class: "small" },
        t("topics.groupLine", { n: formatNumber(group.size), pct: formatPercent(group.voteShare), v: formatNumber(group.votes) }),
        " · ",
        h("span", { class: group.recent > 0 ? "trend up" : "trend", "data-testid": "topic-trend" },
          t("topics.trend", { n: formatNumber(group.recent), m: formatNumber(topics?.recentMinutes ?? 10) }))),
      group.brief.length > 0
        ? h("div", { class: "brief", "data-testid": "topic-brief" },
          h("h4", {}, t("topics.briefH")),
          h("ul", {}, group.brief.map((s) =>
            h("li", { "data-source-item-id": s.sourceItemId, "data-item-ids": s.itemIds.join(" ") },
              h("q", {}, s.text),
              h("span", { class: "small muted" }, " ", t("topics.briefLine", { n: formatNumber(s.itemIds.length), v: formatNumber(s.votes) })))),
          ))
        : null,
      h("details", {},
        h("summary", {}, t("topics.typicalH")),
        h("ol", { class: "ranked" }, group.items.map(topicItem))),
    );
  }

  function topicItem(item: TopicItemView): HTMLElement {
    const suggestion = item.suggested;
    return h("li", { "data-item-id": item.itemId, "data-testid": "topic-item" },
      h("p", { class: "item-text" }, item.text),
      h("p", { class: "small muted" },
        t("topics.itemLine", { v: formatNumber(item.votes) }),
        item.tags.length > 0 ? [" · ", t("topics.tags", { tags: item.tags.join(", ") })] : null,
        suggestion ? [" · ", t(suggestion.unsure ? "topics.suggestedUnsure" : "topics.suggested", { topic: suggestion.topic, pct: formatPercent(suggestion.confidence) }),
          suggestion.source === "default" ? [" ", h("span", { class: "badge", "data-testid": "default-taxonomy" }, t("topics.defaultTaxonomy"))] : null] : null,
      ),
    );
  }

  function items(): ItemView[] {
    return [...store.items.values()].filter((i) => i.visible);
  }

  function scheduleRender(): void {
    // Charts redraw at most once a second in a busy hall.
    if (renderTimer) return;
    renderTimer = window.setTimeout(() => {
      renderTimer = 0;
      render();
    }, 1000);
  }

  function render(): void {
    if (consultation) byId("c-title").textContent = `${consultation.title} (${consultation.id})`;
    const all = items();
    const votes = all.reduce((sum, i) => sum + i.votes.up + i.votes.agree + i.votes.disagree + i.votes.pass, 0);
    byId("totals").textContent = t("dash.total", { n: formatNumber(all.length), v: formatNumber(votes) });
    renderCharts(all);
    renderOpinion();
    renderTop(all);
  }

  /** The opinion groups panel (deliberation only): map, groups with representative statements, consensus, common ground. */
  function renderOpinion(): void {
    const deliberation = consultation?.mode === "deliberation";
    document.querySelectorAll<HTMLElement>(".op-qa").forEach((el) => (el.hidden = !consultation || deliberation));
    document.querySelectorAll<HTMLElement>(".op-deliberation").forEach((el) => (el.hidden = !deliberation));
    byId("panels").classList.toggle("deliberation", deliberation);
    if (!deliberation) return;
    const view = opinion;
    const text = (itemId: string) => store.items.get(itemId)?.text ?? itemId;
    const shown = (itemId: string) => store.items.get(itemId)?.visible !== false;
    byId("op-summary").textContent = view
      ? t("op.summary", { p: formatNumber(view.participants), a: formatNumber(view.participantsInAnalysis), g: formatNumber(view.groups.length), time: formatTime(view.computedAt) })
      : "";

    const groups = [...(view?.groups ?? [])].sort((a, b) => a.id - b.id);
    const canvas = byId<HTMLCanvasElement>("chart-groups");
    canvas.setAttribute("aria-label", t("op.mapLabel", {
      groups: groups.length === 0 ? t("op.none") : groups.map((g) => `${groupName(g.id)} ${t("op.members", { n: formatNumber(g.members) })}`).join(", "),
    }));
    const point = (p: { x: number; y: number }) => ({ x: p.x, y: p.y });
    const unassigned = (view?.map ?? []).filter((p) => p.groupId === null || !groups.some((g) => g.id === p.groupId));
    charts.push(new Chart(canvas, {
      type: "scatter",
      data: {
        datasets: [
          ...groups.map((g) => ({
            label: `${groupName(g.id)} (${formatNumber(g.members)})`,
            data: (view?.map ?? []).filter((p) => p.groupId === g.id).map(point),
            backgroundColor: `${groupColour(g.id)}99`,
            borderColor: groupColour(g.id),
            pointRadius: 4,
          })),
          ...(unassigned.length > 0 ? [{ label: t("op.unassigned"), data: unassigned.map(point), backgroundColor: "#8a949f66", borderColor: "#6b7683", pointRadius: 3 }] : []),
          ...(groups.length > 0 ? [{
            label: t("op.centre"),
            data: groups.map(point),
            pointStyle: "crossRot" as const,
            pointRadius: 12,
            borderWidth: 4,
            borderColor: groups.map((g) => groupColour(g.id)),
            backgroundColor: "#1b1f24",
          }] : []),
        ],
      },
      options: {
        locale: lang() === "id" ? "id-ID" : "en-GB",
        maintainAspectRatio: false,
        // The axes of a PCA map have no unit: hide their numbers, keep the grid for orientation.
        scales: { x: { type: "linear", ticks: { display: false } }, y: { type: "linear", ticks: { display: false } } },
        plugins: { tooltip: { enabled: false } },
      },
    }));

    replace(
      byId("op-groups"),
      groups.length === 0
        ? h("li", { class: "muted" }, t("op.none"))
        : groups.map((g) =>
            paint(h("li", { class: "op-group", "data-group-id": g.id, "data-testid": "opinion-group" },
              h("h3", {}, paint(h("span", { class: "swatch", "aria-hidden": "true" }), "backgroundColor", groupColour(g.id)),
                t("op.groupHead", { group: groupName(g.id), members: t("op.members", { n: formatNumber(g.members) }) })),
              h("ol", { class: "ranked" },
                g.representative.filter((r) => shown(r.itemId)).map((r) =>
                  h("li", { "data-testid": "representative", "data-item-id": r.itemId },
                    h("p", { class: "item-text" }, text(r.itemId)),
                    h("p", { class: "small" },
                      h("span", { class: `lean-${r.leaning}` }, t(r.leaning === "agree" ? "op.rep.agree" : "op.rep.disagree", { pct: formatPercent(r.probability) })),
                      r.significant ? null : [" · ", h("span", { class: "muted" }, t("op.rep.weak"))]),
                  ),
                ),
              ),
            ), "borderLeftColor", groupColour(g.id)),
          ),
    );

    const consensus = [...(view?.consensus ?? [])].filter((c) => shown(c.itemId)).sort((a, b) => b.consensus - a.consensus).slice(0, 10);
    replace(
      byId("op-consensus"),
      consensus.length === 0
        ? h("li", { class: "muted" }, t("op.commonNone"))
        : consensus.map((c) =>
            h("li", { "data-item-id": c.itemId },
              h("p", { class: "item-text" }, text(c.itemId)),
              h("p", { class: "small muted" }, t("op.consensusLine", {
                score: formatPercent(c.consensus), a: formatNumber(c.agree), d: formatNumber(c.disagree), p: formatNumber(c.pass),
              })),
            ),
          ),
    );
    for (const [listId, ids] of [["op-agreed", view?.commonGroundAgreed ?? []], ["op-rejected", view?.commonGroundRejected ?? []]] as const) {
      const visible = ids.filter(shown);
      replace(byId(listId), visible.length === 0
        ? h("li", { class: "muted" }, t("op.commonNone"))
        : visible.map((itemId) => h("li", { "data-item-id": itemId }, h("p", { class: "item-text" }, text(itemId)))));
    }
  }

  function renderCharts(all: ItemView[]): void {
    charts.splice(0).forEach((chart) => chart.destroy());
    const numberFormat = { locale: lang() === "id" ? "id-ID" : "en-GB" };

    const tagCounts = new Map<string, number>();
    for (const item of all) for (const tag of item.tags.length > 0 ? item.tags : [t("dash.untagged")]) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
    const tags = [...tagCounts].sort((a, b) => b[1] - a[1]).slice(0, 12);
    charts.push(bar("chart-tags", tags.map(([tag]) => tag), tags.map(([, n]) => n), t("dash.items"), numberFormat));

    const buckets = trend(all);
    const trendCanvas = byId<HTMLCanvasElement>("chart-trend");
    trendCanvas.setAttribute("aria-label", `${t("dash.trend")}: ${buckets.map(([at, n]) => `${formatTime(at)} ${formatNumber(n)}`).join(", ")}`);
    charts.push(new Chart(trendCanvas, {
      type: "line",
      data: { labels: buckets.map(([at]) => formatTime(at)), datasets: [{ label: t("dash.items"), data: buckets.map(([, n]) => n), borderColor: "#0b4f8a", backgroundColor: "#0b4f8a" }] },
      options: { ...numberFormat, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }));

    const statuses: Array<[string, number]> = [
      [t("answer.none"), all.filter((i) => !i.answer).length],
      ...(["accepted", "under-review", "declined"] as const).map((s): [string, number] => [answerStatusLabel(s), all.filter((i) => i.answer?.status === s).length]),
    ];
    const statusCanvas = byId<HTMLCanvasElement>("chart-status");
    statusCanvas.setAttribute("aria-label", `${t("dash.answerStatus")}: ${statuses.map(([name, n]) => `${name} ${formatNumber(n)}`).join(", ")}`);
    charts.push(new Chart(statusCanvas, {
      type: "doughnut",
      data: { labels: statuses.map(([name]) => name), datasets: [{ data: statuses.map(([, n]) => n), backgroundColor: ["#6b7683", "#146c2e", "#b86e00", "#a4161a"] }] },
      options: { ...numberFormat, maintainAspectRatio: false },
    }));
  }

  function bar(canvasId: string, labels: string[], data: number[], name: string, numberFormat: { locale: string }): Chart {
    const canvas = byId<HTMLCanvasElement>(canvasId);
    canvas.setAttribute("aria-label", `${name}: ${labels.map((l, i) => `${l} ${formatNumber(data[i])}`).join(", ")}`);
    return new Chart(canvas, {
      type: "bar",
      data: { labels, datasets: [{ label: name, data, backgroundColor: "#0b4f8a" }] },
      options: { ...numberFormat, maintainAspectRatio: false, indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  /** Posts per time bucket: minutes for a short session, hours for a day, days beyond. */
  function trend(all: ItemView[]): Array<[Date, number]> {
    if (all.length === 0) return [];
    const times = all.map((i) => Date.parse(i.createdAt)).sort((a, b) => a - b);
    const span = times[times.length - 1] - times[0];
    const size = span < 2 * 3600_000 ? 5 * 60_000 : span < 3 * 86400_000 ? 3600_000 : 86400_000;
    const counts = new Map<number, number>();
    for (const time of times) counts.set(Math.floor(time / size) * size, (counts.get(Math.floor(time / size) * size) ?? 0) + 1);
    const result: Array<[Date, number]> = [];
    for (let at = Math.floor(times[0] / size) * size; at <= times[times.length - 1]; at += size) result.push([new Date(at), counts.get(at) ?? 0]);
    return result;
  }

  function renderTop(all: ItemView[]): void {
    const score = (i: ItemView) => i.votes.up + i.votes.agree;
    const top = all.sort((a, b) => Number(!!a.answer) - Number(!!b.answer) || score(b) - score(a) || a.createdAt.localeCompare(b.createdAt)).slice(0, 20);
    const list = byId("top");
    // Never re-render a form someone is typing in.
    if (list.contains(document.activeElement) && document.activeElement?.closest("form")) return;
    replace(
      list,
      top.length === 0
        ? h("li", { class: "muted" }, t("list.empty"))
        : top.map((item) =>
            h("li", { class: "card", "data-item-id": item.id },
              itemText(item),
              itemMeta(item),
              h("p", { class: "small" }, t("item.votes", { n: formatNumber(score(item)) })),
              item.answer ? answerBlock(item.answer) : null,
              answerForm(item),
            ),
          ),
    );
  }

  function answerForm(item: ItemView): HTMLElement {
    const prefix = `answer-${item.id}`;
    const text = h("textarea", { id: `${prefix}-text`, rows: 3, required: true, maxlength: 2000 });
    text.value = item.answer?.text ?? "";
    const status = h("select", { id: `${prefix}-status` }, h("option", { value: "" }, t("answer.none")),
      (["accepted", "under-review", "declined"] as const).map((s) => h("option", { value: s }, answerStatusLabel(s))));
    status.value = item.answer?.status ?? "";
    const owner = h("input", { id: `${prefix}-owner`, maxlength: 200, value: item.answer?.owner ?? "" });
    const due = h("input", { id: `${prefix}-due`, type: "date", value: item.answer?.due ?? "" });
    const form = h("form", { class: "stack", hidden: !openForms.has(item.id) },
      h("label", { for: text.id }, t("dash.answerText")), text,
      h("div", { class: "row" },
        h("label", { for: status.id }, t("dash.answerStatus")), status,
        h("label", { for: owner.id }, t("dash.answerOwner")), owner,
        h("label", { for: due.id }, t("dash.answerDue")), due),
      h("button", { type: "submit" }, t("dash.answerSend")),
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const request = { text: text.value, status: status.value || null, owner: owner.value || null, due: due.value || null };
      try {
        const updated = live.isOnline
          ? await live.connection.invoke<ItemView>("Answer", id, item.id, request)
          : await api<ItemView>(`/api/consultations/${id}/items/${item.id}/answer`, { method: "POST", token: session.token, body: request });
        store.apply([updated]);
        openForms.delete(item.id);
        byId("answer-result").textContent = `${t("dash.answerSaved")} ${formatDateTime(new Date())}`;
        (document.activeElement as HTMLElement | null)?.blur();
        render();
      } catch (error) {
        byId("answer-result").textContent = errorText(errorCode(error));
      }
    });
    const toggle = h("button", { type: "button", class: "small secondary", "aria-expanded": String(!form.hidden) }, t("dash.answer"));
    toggle.addEventListener("click", () => {
      form.hidden = !form.hidden;
      form.hidden ? openForms.delete(item.id) : openForms.add(item.id);
      toggle.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) text.focus();
    });
    return h("div", {}, toggle, form);
  }
}

/** Colours go through the CSSOM: the page's CSP (style-src 'self') refuses style attributes. */
function paint<T extends HTMLElement>(el: T, property: "backgroundColor" | "borderLeftColor", colour: string): T {
  el.style[property] = colour;
  return el;
}

function toCsv(items: ItemView[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? "" : String(value);
    // Quote everything; a leading = + - @ would run as a formula in a spreadsheet.
    return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
  };
  const header = ["id", "createdAt", "author", "status", "text", "up", "agree", "disagree", "pass", "tags", "answer", "answerStatus", "owner", "due"];
  const rows = items.map((i) => [i.id, i.createdAt, i.author, i.status, i.text, i.votes.up, i.votes.agree, i.votes.disagree, i.votes.pass, i.tags.join(" "),
    i.answer?.text, i.answer?.status, i.answer?.owner, i.answer?.due].map(cell).join(","));
  return [header.join(","), ...rows].join("\r\n") + "\r\n";
}

function download(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }));
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
