import { byId, h, replace } from "../../lib/dom";
import { formatDate, formatNumber, t } from "../../lib/i18n";
import { answerStatusLabel } from "../../lib/render";
import type { ExportItem, OfficialAnswer } from "../../lib/types";
import { itemParagraph, today, type Report } from "./shared";

/**
 * Overdue: the due date is before today and the follow-up is not finished. Accepted and declined
 * are final decisions, so they are never overdue; under review, or no status at all, is still open.
 * An answer without a due date is never overdue. Dates compare as yyyy-MM-dd strings.
 */
export function isOverdue(answer: OfficialAnswer, now = today()): boolean {
  if (!answer.due) return false;
  if (answer.status === "accepted" || answer.status === "declined") return false;
  return answer.due < now;
}

export function renderAnswers(report: Report): void {
  const now = today();
  const answered = report.doc.items.filter((i): i is ExportItem & { answer: OfficialAnswer } => i.answer !== null);
  // Overdue first, then by due date (none last), then in the order they were posted.
  answered.sort((a, b) =>
    Number(isOverdue(b.answer, now)) - Number(isOverdue(a.answer, now)) ||
    (a.answer.due ?? "9999").localeCompare(b.answer.due ?? "9999") ||
    a.createdAt.localeCompare(b.createdAt));
  const overdue = answered.filter((i) => isOverdue(i.answer, now)).length;
  byId("answers-summary").textContent = answered.length === 0 ? t("report.answersNone") : t("report.overdueCount", { n: formatNumber(overdue), total: formatNumber(answered.length) });
  if (answered.length === 0) {
    replace(byId("answers-table"));
    return;
  }
  const head = (key: "report.col.item" | "report.col.answer" | "report.col.status" | "report.col.owner" | "report.col.due") => h("th", { scope: "col" }, t(key));
  replace(
    byId("answers-table"),
    h("table", { class: "report-table answers", "data-testid": "answers-table" },
      h("caption", { class: "visually-hidden" }, t("report.answers")),
      h("thead", {}, h("tr", {}, head("report.col.item"), head("report.col.answer"), head("report.col.status"), head("report.col.owner"), head("report.col.due"))),
      h("tbody", {}, answered.map((item) => {
        const late = isOverdue(item.answer, now);
        return h("tr", { "data-item-id": item.id, "data-overdue": String(late), class: late ? "overdue" : null },
          h("td", {}, itemParagraph(item)),
          h("td", {}, h("p", { class: "answer-text" }, item.answer.text)),
          h("td", { "data-testid": "answer-status" }, item.answer.status ? answerStatusLabel(item.answer.status) : t("answer.none")),
          h("td", {}, item.answer.owner ?? t("answer.none")),
          h("td", { "data-testid": "answer-due" },
            item.answer.due ? h("time", { datetime: item.answer.due }, formatDate(item.answer.due)) : t("answer.none"),
            late ? [" ", h("span", { class: "badge overdue-badge", "data-testid": "overdue" }, t("report.overdue"))] : null),
        );
      })),
    ),
  );
}
