import { api, errorCode, participantToken } from "../../lib/api";
import { byId, h, replace } from "../../lib/dom";
import { errorText, label, t } from "../../lib/i18n";
import { answerBlock, itemText, keepFocus, statusBadge } from "../../lib/render";
import type { ItemView } from "../../lib/types";
import type { ParticipantState } from "./state";

export interface MyPosts {
  /** Reads the own posts from the server (their status, reason and answer). */
  load(): Promise<void>;
  render(): void;
}

/** "My posts": each own post with its status, the moderator's reason and note, and an appeal form. */
export function mountMine(state: ParticipantState): MyPosts {
  const { id, live, mine, myIds, announcer } = state;
  // An open appeal form and its draft survive the re-render a live update causes.
  const appealsOpen = new Set<string>();
  const appealDrafts = new Map<string, string>();

  async function load(): Promise<void> {
    try {
      const own = await api<ItemView[]>(`/api/consultations/${id}/my-items`, { token: await participantToken() });
      own.forEach((i) => myIds.add(i.id));
      mine.apply(own);
      render();
    } catch {
      // Offline: the hub brings own items once connected again.
    }
  }

  function render(): void {
    const own = [...mine.items.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    keepFocus(() =>
      replace(
        byId("mine"),
        own.length === 0
          ? h("li", { class: "muted" }, t("mine.empty"))
          : own.map((item) =>
              h(
                "li",
                { class: "card item mine", "data-item-id": item.id },
                h("p", { class: "row small" }, statusBadge(item.status)),
                itemText(item),
                item.status === "rejected" && item.rejectionReason
                  ? h("p", { class: "reason", "data-testid": "reason" }, t("mine.reason", { reason: label("reason", item.rejectionReason) }))
                  : null,
                item.status === "rejected" && item.rejectionNote ? h("p", { class: "small" }, t("mine.note", { note: item.rejectionNote })) : null,
                item.status === "rejected" ? appeal(item) : null,
                item.answer ? answerBlock(item.answer) : null,
              ),
            ),
      ),
    );
  }

  function appeal(item: ItemView): HTMLElement {
    if (item.appealed) return h("p", { class: "small" }, t("mine.appealed"));
    const areaId = `appeal-${item.id}`;
    const area = h("textarea", { id: areaId, rows: 2, maxlength: 1000, "data-focus-key": `appeal-text:${item.id}` });
    area.value = appealDrafts.get(item.id) ?? "";
    area.addEventListener("input", () => appealDrafts.set(item.id, area.value));
    const form = h(
      "form",
      { class: "stack appeal", hidden: !appealsOpen.has(item.id) },
      h("label", { for: areaId }, t("mine.appealText")),
      area,
      h("button", { type: "submit" }, t("mine.appealSend")),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const updated = live.isOnline
          ? await live.connection.invoke<ItemView>("Appeal", id, item.id, area.value || null)
          : await api<ItemView>(`/api/consultations/${id}/items/${item.id}/appeal`, { method: "POST", token: await participantToken(), body: { text: area.value } });
        mine.apply([{ ...updated, appealed: true, seq: Math.max(updated.seq, item.seq) }]);
        mine.items.set(item.id, { ...(mine.items.get(item.id) ?? updated), appealed: true });
        appealsOpen.delete(item.id);
        appealDrafts.delete(item.id);
        render();
      } catch (error) {
        announcer.say(errorText(errorCode(error)));
      }
    });
    const open = h("button", { type: "button", class: "secondary small", "aria-expanded": String(!form.hidden), "data-focus-key": `appeal:${item.id}` }, t("mine.appeal"));
    open.addEventListener("click", () => {
      form.hidden = !form.hidden;
      if (form.hidden) appealsOpen.delete(item.id);
      else appealsOpen.add(item.id);
      open.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) area.focus();
    });
    return h("div", {}, open, form);
  }

  return { load, render };
}
