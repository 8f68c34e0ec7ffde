import { h } from "./dom";
import { formatDateTime, formatNumber, t } from "./i18n";
import type { BriefConcern, BriefPost, ConsultationBrief } from "./types";

/**
 * The consultation brief as officials read it (dashboard) and print it (report): every sentence and post is
 * quoted verbatim and names the posts it stands for; nothing is generated. Lists left empty are left out.
 */
export function briefSections(brief: ConsultationBrief): HTMLElement[] {
  const m = formatNumber(brief.recentMinutes);
  const sections: HTMLElement[] = [
    h("p", { class: "small muted", "data-testid": "brief-summary" }, t("brief.summary", {
      n: formatNumber(brief.posts), v: formatNumber(brief.votes), r: formatNumber(brief.recent), m, time: formatDateTime(brief.at),
    })),
  ];
  const concerns = (key: "brief.largest" | "brief.mostVoted" | "brief.growing", list: BriefConcern[], testId: string) => {
    if (list.length > 0) sections.push(h("div", { "data-testid": testId }, h("h3", {}, t(key, { m })), h("ol", { class: "plain" }, list.map((c) => concern(c, m)))));
  };
  const posts = (key: "brief.topPosts" | "brief.unanswered" | "brief.overdue", list: BriefPost[], testId: string) => {
    if (list.length > 0) sections.push(h("div", { "data-testid": testId }, h("h3", {}, t(key)), h("ol", {}, list.map(post))));
  };
  concerns("brief.largest", brief.largest, "brief-largest");
  concerns("brief.mostVoted", brief.mostVoted, "brief-most-voted");
  concerns("brief.growing", brief.growing, "brief-growing");
  posts("brief.topPosts", brief.topPosts, "brief-top-posts");
  posts("brief.unanswered", brief.unanswered, "brief-unanswered");
  posts("brief.overdue", brief.overdue, "brief-overdue");
  if (sections.length === 1) sections.push(h("p", { class: "muted" }, t("brief.empty")));
  return sections;
}

function concern(c: BriefConcern, m: string): HTMLElement {
  return h("li", { class: "brief-concern", "data-group-id": c.groupId },
    h("p", {}, h("strong", {}, c.terms.length > 0 ? c.terms.join(" · ") : t("topics.noTerms")), " ",
      h("span", { class: "small muted" }, t("brief.concernLine", { n: formatNumber(c.posts), v: formatNumber(c.votes), r: formatNumber(c.recent), m }))),
    h("ul", { class: "brief-sentences" }, c.sentences.map((s) =>
      h("li", { "data-source-item-id": s.sourceItemId, "data-item-ids": s.itemIds.join(" "), "data-testid": "brief-sentence" },
        h("q", {}, s.text), " ",
        h("span", { class: "small muted" }, t("topics.briefLine", { n: formatNumber(s.itemIds.length), v: formatNumber(s.votes) }))))),
  );
}

function post(p: BriefPost): HTMLElement {
  return h("li", { "data-item-id": p.itemId },
    h("q", {}, p.text), " ",
    h("span", { class: "small muted" }, p.due ? t("brief.postDue", { v: formatNumber(p.votes), due: p.due }) : t("brief.postLine", { v: formatNumber(p.votes) })));
}
