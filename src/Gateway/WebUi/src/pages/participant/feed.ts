import { api } from "../../lib/api";
import { byId, h, replace } from "../../lib/dom";
import { formatNumber, t } from "../../lib/i18n";
import { answerBlock, itemMeta, itemText, keepFocus } from "../../lib/render";
import type { ItemView } from "../../lib/types";
import type { ParticipantState } from "./state";
import type { VoteButtons } from "./votes";

type Sort = "popular" | "recent" | "trending";
const PageSize = 50;

export interface Feed {
  render(): void;
  /** Listens to the sort menu. */
  mountSort(): void;
  /** Asks the server for the trending order soon (at most every 2 s) when that order is shown. */
  scheduleTrending(): void;
  /** Scrolls to an item in the list (paging on if it is not rendered yet) and focuses it. */
  showInList(itemId: string): void;
}

/** The live list of the consultation: sorted by popular, recent or trending, pinned first, a page at a time. */
export function mountFeed(state: ParticipantState, votes: VoteButtons): Feed {
  const { id, items } = state;
  let sort: Sort = "popular";
  let trendingOrder: string[] = [];
  let shown = PageSize;
  let trendingTimer = 0;

  function mountSort(): void {
    const sortSelect = byId<HTMLSelectElement>("sort");
    sortSelect.addEventListener("change", () => {
      sort = sortSelect.value as Sort;
      void refreshTrending();
      render();
    });
  }

  function scheduleTrending(): void {
    // In a busy hall changes arrive many times a second: ask the server for the order at most every 2 s.
    if (sort !== "trending" || trendingTimer) return;
    trendingTimer = window.setTimeout(() => {
      trendingTimer = 0;
      void refreshTrending();
    }, 2000);
  }

  async function refreshTrending(): Promise<void> {
    if (sort !== "trending") return;
    try {
      const ranked = await api<ItemView[]>(`/api/consultations/${id}/ranking?sort=trending&pinnedFirst=true&limit=200`);
      trendingOrder = ranked.map((i) => i.id);
      render();
    } catch {
      // Keep the last order.
    }
  }

  function showInList(itemId: string): void {
    const index = sorted().findIndex((i) => i.id === itemId);
    if (index >= shown) shown = Math.ceil((index + 1) / PageSize) * PageSize;
    render();
    const li = byId("items").querySelector<HTMLElement>(`li[data-item-id="${CSS.escape(itemId)}"]`);
    if (!li) return;
    li.tabIndex = -1;
    li.scrollIntoView({ block: "center" });
    li.focus();
  }

  function sorted(): ItemView[] {
    const visible = [...items.items.values()].filter((i) => i.visible);
    if (sort === "trending" && trendingOrder.length > 0) {
      const rank = new Map(trendingOrder.map((itemId, index) => [itemId, index]));
      return visible.sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || b.createdAt.localeCompare(a.createdAt));
    }
    const score = (i: ItemView) => (state.consultation?.mode === "qa" ? i.votes.up : i.votes.agree - i.votes.disagree);
    return visible.sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        (sort === "popular" ? score(b) - score(a) : 0) ||
        b.createdAt.localeCompare(a.createdAt),
    );
  }

  function render(): void {
    const list = sorted();
    // A cheap phone stays responsive in a hall with thousands of posts: render a page at a time.
    const page = list.slice(0, shown);
    const more = list.length - page.length;
    keepFocus(() =>
      replace(
        byId("items"),
        list.length === 0
          ? h("li", { class: "muted" }, t("list.empty"))
          : page.map((item) => h("li", { class: item.id === state.nextId ? "card item suggested" : "card item", "data-item-id": item.id }, itemBody(item))),
        more > 0
          ? h("li", {}, h("button", { type: "button", class: "secondary", "data-focus-key": "more", onclick: () => { shown += PageSize; render(); } }, t("list.more", { n: formatNumber(more) })))
          : null,
      ),
    );
  }

  function itemBody(item: ItemView): Node[] {
    const suggested = item.id === state.nextId;
    return [
      item.pinned || item.highlighted || suggested
        ? h("p", { class: "flags small" },
            item.pinned ? h("span", { class: "badge" }, t("item.pinned")) : null,
            item.highlighted ? h("span", { class: "badge live" }, t("item.highlighted")) : null,
            suggested ? h("span", { class: "badge", "data-testid": "next-badge" }, t("op.nextBadge")) : null)
        : document.createTextNode(""),
      itemText(item),
      itemMeta(item),
      votes(item),
      item.answer ? answerBlock(item.answer) : document.createTextNode(""),
    ];
  }

  return { render, mountSort, scheduleTrending, showInList };
}
