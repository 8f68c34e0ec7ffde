import { byId, h, replace } from "../../lib/dom";
import { formatNumber, formatPercent, formatTime, t } from "../../lib/i18n";
import { leaningLine, renderConsensus } from "../../lib/render";
import { itemParagraph, shownText, type Report } from "./shared";

/** Topic groups with two or three representative posts each; items without a shown text are left out. */
export function renderTopics(report: Report): void {
  const view = report.doc.topicGroups;
  const groups = view?.status === "grouped" ? [...view.groups].sort((a, b) => b.size - a.size) : [];
  replace(
    byId("topic-groups"),
    groups.length === 0
      ? h("li", { class: "muted" }, t("report.topicsNone"))
      : groups.map((g) => {
          const shown = g.items.filter((i) => shownText(report.byId.get(i.itemId)) !== null).slice(0, 3);
          return h("li", { class: "topic-group", "data-testid": "report-topic", "data-group-id": g.id },
            h("h3", {}, t("topics.groupLabel", { n: formatNumber(g.id), terms: g.terms.length > 0 ? g.terms.join(" · ") : t("topics.noTerms") })),
            h("p", { class: "small" }, t("report.topicLine", { n: formatNumber(g.size), pct: formatPercent(g.voteShare) })),
            h("ul", { class: "ranked" }, shown.map((i) => h("li", { "data-item-id": i.itemId }, itemParagraph(report.byId.get(i.itemId))))),
          );
        }),
  );
}

/** Deliberation only: group sizes with their representative statements, then the top consensus statements. */
export function renderOpinion(report: Report): void {
  const section = byId("opinion");
  const view = report.doc.opinionGroups;
  section.hidden = report.doc.consultation.mode !== "deliberation";
  if (section.hidden) return;
  const visible = (itemId: string) => shownText(report.byId.get(itemId)) !== null;
  byId("opinion-summary").textContent = view
    ? t("op.summary", { p: formatNumber(view.participants), a: formatNumber(view.participantsInAnalysis), g: formatNumber(view.groups.length), time: formatTime(view.computedAt) })
    : t("op.none");
  const groups = [...(view?.groups ?? [])].sort((a, b) => a.id - b.id);
  replace(
    byId("opinion-groups"),
    groups.length === 0
      ? h("li", { class: "muted" }, t("op.none"))
      : groups.map((g) =>
          h("li", { class: "op-group", "data-testid": "report-group", "data-group-id": g.id },
            h("h4", {}, t("op.groupHead", { group: t("op.group", { n: formatNumber(g.id + 1) }), members: t("op.members", { n: formatNumber(g.members) }) })),
            h("ol", { class: "ranked" }, g.representative.filter((r) => visible(r.itemId)).slice(0, 3).map((r) =>
              h("li", { "data-item-id": r.itemId },
                itemParagraph(report.byId.get(r.itemId)),
                leaningLine(r)))),
          )),
  );
  const consensus = [...(view?.consensus ?? [])].filter((c) => visible(c.itemId)).sort((a, b) => b.consensus - a.consensus).slice(0, 5);
  renderConsensus(byId("opinion-consensus"), consensus, (itemId) => itemParagraph(report.byId.get(itemId)));
}
