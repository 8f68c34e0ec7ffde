import { api, errorCode } from "../../lib/api";
import { byId, h, replace } from "../../lib/dom";
import { errorText, formatNumber, formatPercent, formatTime, t } from "../../lib/i18n";
import type { TopicGroupView, TopicItemView, TopicsView } from "../../lib/types";
import type { DashboardState } from "./state";

export interface TopicsPanel {
  /** Reads the groups as they are now (once after each (re)connect). */
  load(): Promise<void>;
  /** The groups the server pushed after a regrouping. */
  receive(view: TopicsView): void;
  render(): void;
}

/**
 * The topic groups: read once after each (re)connect; from then on the server pushes a "topics" frame
 * after every regrouping. A pushed view newer than the answer wins.
 */
export function mountTopics(state: DashboardState): TopicsPanel {
  const { id, session } = state;
  let topics: TopicsView | null = null;
  let topicsError: string | null = null;

  async function load(): Promise<void> {
    try {
      const view = await api<TopicsView>(`/api/consultations/${id}/topics?top=3`, { token: session.token });
      if (!topics || !topics.at || !view.at || view.at >= topics.at) topics = view;
      topicsError = null;
    } catch (error) {
      topicsError = errorText(errorCode(error));
    }
    render();
  }

  function receive(view: TopicsView): void {
    topics = view;
    topicsError = null;
    render();
  }

  function render(): void {
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
    replace(byId("topic-groups"), (view?.groups ?? []).map((g) => topicGroup(g, view?.recentMinutes ?? 10)));
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

  return { load, receive, render };
}

/** Numbered by the group's id, which the server keeps across recomputations, so "group 4" stays group 4. */
function topicGroup(group: TopicGroupView, recentMinutes: number): HTMLElement {
  const terms = group.terms.length > 0 ? group.terms.join(" · ") : t("topics.noTerms");
  return h("li", { class: "topic-group", "data-group-id": group.id, "data-testid": "topic-group" },
    h("h3", {}, t("topics.groupLabel", { n: formatNumber(group.id), terms })),
    h("p", { class: "small" },
      t("topics.groupLine", { n: formatNumber(group.size), pct: formatPercent(group.voteShare), v: formatNumber(group.votes) }),
      " · ",
      h("span", { class: group.recent > 0 ? "trend up" : "trend", "data-testid": "topic-trend" },
        t("topics.trend", { n: formatNumber(group.recent), m: formatNumber(recentMinutes) }))),
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
