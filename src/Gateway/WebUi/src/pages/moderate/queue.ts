import { byId, h, replace } from "../../lib/dom";
import { formatNumber, formatTime, label, t, type Key } from "../../lib/i18n";
import { itemMeta, statusBadge } from "../../lib/render";
import type { ItemView } from "../../lib/types";
import type { Actions } from "./actions";
import type { Campaigns } from "./campaigns";
import type { ModerateState } from "./state";

export interface Queue {
  render(): void;
  /** Makes a row current (roving focus) and focuses it unless focus is false. */
  setCurrent(itemId: string | null, focus?: boolean): void;
  move(delta: number): void;
  toggleSelect(itemId: string): void;
}

/** The live queue, ranked by triage score, filtered by status, tag, triage reason and free text. */
export function mountQueue(state: ModerateState, actions: Pick<Actions, "command" | "openSanction">, campaigns: Campaigns, renderDuplicates: (all: ItemView[]) => void): Queue {
  const { session, store, selected } = state;
  const queueEl = byId("queue");

  function move(delta: number): void {
    const { visible } = state;
    if (visible.length === 0) return;
    const index = visible.findIndex((i) => i.id === state.currentId);
    const nextIndex = index < 0 ? 0 : Math.min(visible.length - 1, Math.max(0, index + delta));
    setCurrent(visible[nextIndex].id);
  }

  function setCurrent(itemId: string | null, focus = true): void {
    state.currentId = itemId;
    queueEl.querySelectorAll<HTMLElement>("[data-item-id]").forEach((row) => {
      const on = row.dataset.itemId === itemId;
      row.setAttribute("aria-current", String(on));
      row.tabIndex = on ? 0 : -1;
      // Roving focus: only the current row's controls are in the Tab order; shortcuts reach the rest.
      row.querySelectorAll<HTMLElement>("button, input, summary").forEach((control) => (control.tabIndex = on ? 0 : -1));
      if (on && focus) row.focus();
    });
  }

  function toggleSelect(itemId: string): void {
    selected.has(itemId) ? selected.delete(itemId) : selected.add(itemId);
    render();
  }

  function filtered(): ItemView[] {
    const status = byId<HTMLSelectElement>("f-status").value;
    const tag = byId<HTMLSelectElement>("f-tag").value;
    const reason = byId<HTMLSelectElement>("f-reason").value;
    const search = byId<HTMLInputElement>("f-search").value.trim().toLowerCase();
    return [...store.items.values()]
      .filter((i) => (status === "queue" ? i.review?.needsReview : status === "all" || i.status === status))
      .filter((i) => !tag || i.tags.includes(tag))
      .filter((i) => !reason || i.review?.triageReason === reason)
      .filter((i) => !search || i.text.toLowerCase().includes(search) || i.author.toLowerCase().includes(search) || i.id === search)
      .sort((a, b) => (b.review?.triageScore ?? 0) - (a.review?.triageScore ?? 0) || a.createdAt.localeCompare(b.createdAt));
  }

  function renderOptions(select: HTMLSelectElement, values: string[]): void {
    const value = select.value;
    replace(select, h("option", { value: "" }, t("mod.any")), values.sort().map((v) => h("option", { value: v }, v)));
    select.value = values.includes(value) ? value : "";
  }

  function render(): void {
    const all = [...store.items.values()];
    renderOptions(byId("f-tag"), [...new Set(all.flatMap((i) => i.tags))]);
    renderOptions(byId("f-reason"), [...new Set(all.map((i) => i.review?.triageReason).filter((r): r is string => !!r))]);
    const visible = (state.visible = filtered());
    for (const itemId of [...selected]) if (!store.items.has(itemId)) selected.delete(itemId);
    byId("selected-count").textContent = t("mod.selected", { n: formatNumber(selected.size) });
    const hadFocus = queueEl.contains(document.activeElement);
    if (state.pendingFocus && !visible.some((i) => i.id === state.pendingFocus)) state.pendingFocus = null;
    if (state.pendingFocus && !visible.some((i) => i.id === state.currentId)) state.currentId = state.pendingFocus;
    if (!visible.some((i) => i.id === state.currentId)) state.currentId = visible[0]?.id ?? null;
    replace(queueEl, visible.length === 0 ? h("li", { class: "muted" }, t("mod.empty")) : visible.map(row));
    setCurrent(state.currentId, hadFocus || state.pendingFocus !== null);
    if (state.currentId === state.pendingFocus) state.pendingFocus = null;
    campaigns.render();
    renderDuplicates(all);
  }

  function row(item: ItemView): HTMLElement {
    const review = item.review;
    const now = Date.now();
    const claimed = review?.claimedBy && review.claimedUntil && Date.parse(review.claimedUntil) > now ? review : null;
    const campaign = review?.needsReview ? campaigns.labelOf(item) : null;
    const mineClaim = (claimed?.claimedByAccount ?? claimed?.claimedBy) === session.actor;
    const checkbox = h("input", { type: "checkbox", "aria-label": `${t("mod.select")}: ${item.text.slice(0, 60)}`, tabindex: -1 });
    checkbox.checked = selected.has(item.id);
    checkbox.addEventListener("change", () => toggleSelect(item.id));
    const button = (action: string, key: Key, cls = "small secondary") =>
      h("button", { type: "button", class: cls, tabindex: -1, onclick: () => { setCurrent(item.id, false); void actions.command(action, [item.id]); } }, t(key));
    const li = h(
      "li",
      { class: "card row-item", "data-item-id": item.id, tabindex: -1, "aria-current": "false", "aria-label": item.text.slice(0, 80) },
      checkbox,
      h(
        "div",
        {},
        h("p", { class: "row small" }, statusBadge(item.status), h("code", {}, item.id), item.pinned ? h("span", { class: "badge" }, t("item.pinned")) : null,
          item.highlighted ? h("span", { class: "badge live" }, t("item.highlighted")) : null, campaign ? campaigns.badge(campaign) : null, item.tags.map((tag) => h("span", { class: "badge" }, `#${tag}`))),
        h("p", { class: "item-text", "data-testid": "item-text" }, item.text),
        itemMeta(item),
        review ? h("p", { class: "small triage" }, t("mod.triage", { score: formatNumber(Math.round(review.triageScore * 100) / 100), reason: review.triageReason })) : null,
        claimed ? h("p", { class: `small claim${mineClaim ? " me" : ""}` },
          mineClaim ? t("mod.claimedByMe", { time: formatTime(claimed.claimedUntil!) }) : t("mod.claimedBy", { name: claimed.claimedBy!, time: formatTime(claimed.claimedUntil!) })) : null,
        review?.duplicateOf ? h("p", { class: "small" }, t("mod.duplicateOf", { id: review.duplicateOf }), " — ", store.items.get(review.duplicateOf)?.text.slice(0, 80) ?? "") : null,
        review?.appealText ? h("p", { class: "small" }, t("mod.appeal", { text: review.appealText })) : null,
        item.status === "rejected" && item.rejectionReason ? h("p", { class: "small" }, t("mine.reason", { reason: label("reason", item.rejectionReason) })) : null,
        h("div", { class: "actions" },
          button(mineClaim ? "release" : "claim", mineClaim ? "mod.release" : "mod.claim"),
          button("approve", "mod.approve", "small"),
          button("reject", "mod.reject", "small danger"),
          campaign ? campaigns.button(campaign.id) : null,
          h("details", { class: "more" },
            h("summary", { tabindex: -1 }, t("mod.more")),
            h("div", { class: "actions" },
              button("merge", "mod.merge"),
              button("tag", "mod.tagAdd"),
              button(item.pinned ? "unpin" : "pin", item.pinned ? "mod.unpin" : "mod.pin"),
              button(item.highlighted ? "unhighlight" : "highlight", "mod.highlight"),
              button("archive", "mod.archive"),
              h("button", { type: "button", class: "small secondary", tabindex: -1, onclick: () => actions.openSanction(item) }, t("mod.sanction")),
            ),
          ),
        ),
      ),
    );
    li.addEventListener("click", (e) => {
      if (!(e.target as HTMLElement).closest("button, input")) setCurrent(item.id);
    });
    return li;
  }

  return { render, setCurrent, move, toggleSelect };
}
