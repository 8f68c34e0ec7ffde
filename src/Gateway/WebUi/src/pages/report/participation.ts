import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { byId } from "../../lib/dom";
import { formatNumber, lang, t } from "../../lib/i18n";
import type { Report } from "./shared";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
Chart.defaults.color = "#1b1f24";
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
// A report is read, not watched: no animation, so print and screenshots catch the final frame.
Chart.defaults.animation = false;

const Hour = 3600_000;
const Day = 24 * Hour;

export interface Bucket {
  at: number;
  items: number;
  votes: number;
}

/** Items and vote events per hour when everything happened within three days, else per day (local time). */
export function buckets(report: Report): { size: number; rows: Bucket[] } {
  const itemTimes = report.doc.items.map((i) => Date.parse(i.createdAt));
  const voteTimes = report.doc.votes.map((v) => Date.parse(v.at));
  const all = [...itemTimes, ...voteTimes];
  if (all.length === 0) return { size: Hour, rows: [] };
  const first = Math.min(...all);
  const last = Math.max(...all);
  const size = last - first < 3 * Day ? Hour : Day;
  const start = (time: number) => {
    const d = new Date(time);
    if (size === Hour) d.setMinutes(0, 0, 0);
    else d.setHours(0, 0, 0, 0);
    return d.getTime();
  };
  const rows = new Map<number, Bucket>();
  // Walk calendar steps rather than adding fixed milliseconds, so a daylight-saving change cannot skip a day.
  for (let at = start(first); at <= last; ) {
    rows.set(at, { at, items: 0, votes: 0 });
    const next = new Date(at);
    if (size === Hour) next.setHours(next.getHours() + 1);
    else next.setDate(next.getDate() + 1);
    at = next.getTime();
  }
  for (const time of itemTimes) rows.get(start(time))!.items++;
  for (const time of voteTimes) rows.get(start(time))!.votes++;
  return { size, rows: [...rows.values()] };
}

let chart: Chart | null = null;

export function renderParticipation(report: Report): void {
  chart?.destroy();
  chart = null;
  const { size, rows } = buckets(report);
  const note = byId("participation-note");
  const canvas = byId<HTMLCanvasElement>("chart-participation");
  canvas.dataset.buckets = String(rows.length);
  if (rows.length === 0) {
    note.textContent = t("report.noActivity");
    canvas.hidden = true;
    return;
  }
  canvas.hidden = false;
  note.textContent = t(size === Hour ? "report.perHour" : "report.perDay");
  const locale = lang() === "id" ? "id-ID" : "en-GB";
  const format = new Intl.DateTimeFormat(locale, size === Hour ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } : { day: "numeric", month: "short", year: "numeric" });
  const labels = rows.map((r) => format.format(r.at));
  // Screen readers get the figures the chart shows.
  canvas.setAttribute("aria-label", `${note.textContent}: ${rows.map((r, i) => `${labels[i]}: ${formatNumber(r.items)} ${t("report.items").toLowerCase()}, ${formatNumber(r.votes)} ${t("report.votes").toLowerCase()}`).join("; ")}`);
  chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: t("report.items"), data: rows.map((r) => r.items), backgroundColor: "#0b4f8a" },
        { label: t("report.votes"), data: rows.map((r) => r.votes), backgroundColor: "#b85c00" },
      ],
    },
    options: {
      locale,
      maintainAspectRatio: false,
      // Sharper bars on paper.
      devicePixelRatio: Math.max(window.devicePixelRatio, 2),
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

/** The print layout changes the box's width; redraw the chart to fit it before the page is laid out. */
export function resizeForPrint(): void {
  chart?.resize();
}
