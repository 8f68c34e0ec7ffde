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
  Tooltip,
} from "chart.js";
import { api, errorCode } from "../lib/api";
import { Announcer } from "../lib/announcer";
import { byId, h, replace } from "../lib/dom";
import { applyStatic, errorText, formatDateTime, formatNumber, formatTime, lang, mountLanguageSwitch, onLangChange, t, type Key } from "../lib/i18n";
import { ItemStore, Live } from "../lib/live";
import { answerBlock, answerStatusLabel, connectionLabel, itemMeta, itemText } from "../lib/render";
import { signOutButton, staffStart } from "../lib/staff";
import type { ConsultationInfo, ItemView, VoteUpdate } from "../lib/types";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Tooltip, Legend);
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

  const store = new ItemStore();
  const live = new Live(() => session.token);
  const announcer = new Announcer(byId("live-controls"));
  const conn = byId("conn");
  let consultation: ConsultationInfo | null = null;
  const charts: Chart[] = [];
  const openForms = new Set<string>();
  let renderTimer = 0;

  live.onState((state) => connectionLabel(conn, state));
  live.connection.on("changes", (cid: string, items: ItemView[]) => {
    if (cid !== id) return;
    const fresh = store.apply(items).filter((i) => i.visible);
    if (fresh.length > 0) announcer.say(t("live.new", { n: formatNumber(fresh.length) }));
    scheduleRender();
  });
  live.connection.on("votes", (cid: string, updates: VoteUpdate[]) => {
    if (cid !== id) return;
    store.applyVotes(updates);
    scheduleRender();
  });
  live.onConnected(async () => {
    const joined = await live.join(id, store);
    consultation = joined.consultation;
    render();
  });
  await live.start();
  onLangChange(() => {
    render();
    announcer.render();
    connectionLabel(conn, (conn.dataset.state as "online") ?? "online");
  });
  byId("export-csv").addEventListener("click", () => download(`${id}.csv`, "text/csv", toCsv(items())));
  byId("export-json").addEventListener("click", () => download(`${id}.json`, "application/json", JSON.stringify(items(), null, 2)));

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
    renderTop(all);
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
      (["accepted", "under_review", "declined"] as const).map((s) => h("option", { value: s }, t(`answer.${s}`))));
    status.value = item.answer?.status?.replace("-", "_") ?? "";
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
