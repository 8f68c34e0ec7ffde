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
import { byId } from "../../lib/dom";
import { formatNumber, formatTime, lang, t } from "../../lib/i18n";
import { answerStatusLabel } from "../../lib/render";
import type { ItemView } from "../../lib/types";

/** Group colours by id (stable across recomputations), dark enough for text and 3:1 against white as marks. */
const groupColours = ["#0b4f8a", "#b85c00", "#146c2e", "#a4161a", "#6a3d9a", "#00687a", "#7a5c00"];
export const groupColour = (groupId: number) => groupColours[groupId % groupColours.length];
export const groupName = (groupId: number) => t("op.group", { n: formatNumber(groupId + 1) });

/** The chart types the dashboard draws, in the page's font, without animation. */
export function setupCharts(): void {
  Chart.register(BarController, BarElement, LineController, LineElement, PointElement, ScatterController, DoughnutController, ArcElement, CategoryScale, LinearScale, Tooltip, Legend);
  Chart.defaults.color = "#1b1f24";
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.animation = false;
}

/** Number format of the charts in the page's language. */
export function chartLocale(): { locale: string } {
  return { locale: lang() === "id" ? "id-ID" : "en-GB" };
}

/** Colours go through the CSSOM: the page's CSP (style-src 'self') refuses style attributes. */
export function paint<T extends HTMLElement>(el: T, property: "backgroundColor" | "borderLeftColor", colour: string): T {
  el.style[property] = colour;
  return el;
}

/** Posts by tag, over time and by answer status; each canvas also says its figures in its aria-label. */
export function renderCharts(all: ItemView[]): Chart[] {
  const charts: Chart[] = [];
  const numberFormat = chartLocale();

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
  return charts;
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
