import { byId, h } from "../../lib/dom";
import type { ItemView } from "../../lib/types";

/** The CSV and JSON download buttons: the visible items as the dashboard holds them. */
export function mountExport(id: string, items: () => ItemView[]): void {
  byId("export-csv").addEventListener("click", () => download(`${id}.csv`, "text/csv", toCsv(items())));
  byId("export-json").addEventListener("click", () => download(`${id}.json`, "application/json", JSON.stringify(items(), null, 2)));
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
