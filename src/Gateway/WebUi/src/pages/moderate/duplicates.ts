import type { ItemStore } from "../../lib/live";
import { byId, h, replace } from "../../lib/dom";
import { t } from "../../lib/i18n";
import type { ItemView, ModerationRequest } from "../../lib/types";

/** Suspected duplicates grouped by the item they repeat, each group merged in one click. */
export function renderDuplicates(store: ItemStore, all: ItemView[], send: (request: ModerationRequest) => Promise<void>): void {
  const groups = new Map<string, ItemView[]>();
  for (const item of all) {
    const target = item.review?.needsReview ? item.review.duplicateOf : null;
    if (target) groups.set(target, [...(groups.get(target) ?? []), item]);
  }
  replace(
    byId("dups"),
    groups.size === 0
      ? h("li", { class: "muted small" }, t("mod.dupNone"))
      : [...groups].map(([target, dups]) =>
          h("li", { class: "card small" },
            h("p", {}, h("code", {}, target), " ", store.items.get(target)?.text ?? ""),
            h("ul", {}, dups.map((d) => h("li", {}, h("code", {}, d.id), " ", d.text))),
            h("button", { type: "button", class: "small", onclick: () => void send({ action: "merge", itemIds: dups.map((d) => d.id), targetId: target }) }, t("mod.mergeGroup")),
          ),
        ),
  );
}
