import { byId, h, replace } from "../../lib/dom";
import { formatDate, formatDateTime, formatNumber, label, t, type Key } from "../../lib/i18n";
import type { Report } from "./shared";

/** Distinct participants: authors and voters, by the export's pseudonymous numbers (never shown themselves). */
export function participantCount(report: Report): number {
  const numbers = new Set<number>();
  for (const item of report.doc.items) if (item.participant >= 0) numbers.add(item.participant);
  for (const vote of report.doc.votes) if (vote.participant >= 0) numbers.add(vote.participant);
  return numbers.size;
}

/** Current votes from the tallies (vote events include changes of mind, so they would overcount). */
export function voteCount(report: Report): number {
  return report.doc.items.reduce((sum, i) => sum + i.votes.up + i.votes.agree + i.votes.disagree + i.votes.pass, 0);
}

export function renderHeader(report: Report): void {
  const c = report.doc.consultation;
  byId("c-title").textContent = c.title;
  byId("c-desc").textContent = c.description;
  document.title = `${c.title} · ${t("report.title")}`;
  const fact = (key: Key, value: string, testId: string) =>
    h("div", { "data-testid": testId }, h("dt", {}, t(key)), h("dd", {}, value));
  replace(
    byId("facts"),
    fact("report.mode", label("mode", c.mode), "fact-mode"),
    fact("report.status", label("cstatus", c.status), "fact-status"),
    fact("report.created", formatDate(c.createdAt), "fact-created"),
    c.closedAt ? fact("report.closedAt", formatDate(c.closedAt), "fact-closed") : null,
    fact("report.participants", formatNumber(participantCount(report)), "fact-participants"),
    fact("report.items", formatNumber(report.doc.items.length), "fact-items"),
    fact("report.votes", formatNumber(voteCount(report)), "fact-votes"),
    fact("report.asOf", formatDateTime(report.doc.exportedAt), "fact-as-of"),
  );
}
