import { api, errorCode } from "../../lib/api";
import { byId, h } from "../../lib/dom";
import { errorText, formatNumber, t } from "../../lib/i18n";
import type { ItemOutcome, ItemView, ModerationRequest, ModerationResult } from "../../lib/types";
import { field, noteField, reasonField, type SidePanel } from "./panel";
import type { ModerateState } from "./state";

export interface Actions {
  /** Runs an action on items, asking for its details in the side panel first where it has any. */
  command(action: string, itemIds: string[]): Promise<void>;
  send(request: ModerationRequest): Promise<void>;
  /** Selected items when there are any, else the current one. */
  targets(): string[];
  /** Claims the first unclaimed item in the queue and makes it current. */
  next(): Promise<void>;
  openSanction(item: ItemView): void;
}

/** "3 done, 1 failed — 42: reason" for the result line. */
export function outcomeText(items: ItemOutcome[]): string {
  const failed = items.filter((o) => !o.ok);
  return t("mod.done", { n: formatNumber(items.length - failed.length), f: formatNumber(failed.length) }) +
    (failed.length > 0 ? ` — ${failed.map((o) => `${o.itemId}: ${errorText(o.error ?? "generic")}`).join("; ")}` : "");
}

/** The moderation actions: through the hub when connected, else REST. */
export function moderationActions(state: ModerateState, panel: SidePanel, queue: { render(): void; setCurrent(itemId: string): void }): Actions {
  const { id, session, live, store, selected, result } = state;

  function targets(): string[] {
    if (selected.size > 0) return [...selected];
    return state.currentId ? [state.currentId] : [];
  }

  async function next(): Promise<void> {
    const now = Date.now();
    const free = state.visible.find((i) => i.review?.needsReview && (!i.review.claimedBy || (i.review.claimedByAccount ?? i.review.claimedBy) === session.actor || Date.parse(i.review.claimedUntil ?? "") < now) && i.id !== state.currentId)
      ?? state.visible.find((i) => i.review?.needsReview);
    if (!free) return;
    queue.setCurrent(free.id);
    await send({ action: "claim", itemIds: [free.id], leaseSeconds: 120 });
  }

  async function command(action: string, itemIds: string[]): Promise<void> {
    if (itemIds.length === 0) return;
    switch (action) {
      case "reject":
        return panel.open(t("mod.rejectWith"), [reasonField(), noteField()], async () =>
          send({ action, itemIds, reason: (byId<HTMLSelectElement>("p-reason")).value, note: byId<HTMLInputElement>("p-note").value || undefined }),
        );
      case "merge": {
        const suggested = store.items.get(itemIds[0])?.review?.duplicateOf ?? "";
        return panel.open(t("mod.merge"), [field("p-target", t("mod.mergeInto"), h("input", { id: "p-target", required: true, value: suggested, autocomplete: "off" }))], async () =>
          send({ action, itemIds, targetId: byId<HTMLInputElement>("p-target").value.trim() }),
        );
      }
      case "tag": {
        const existing = store.items.get(itemIds[0])?.tags.join(", ") ?? "";
        return panel.open(t("mod.tagAdd"), [field("p-tags", t("mod.tags"), h("input", { id: "p-tags", value: existing, autocomplete: "off" }))], async () =>
          send({ action, itemIds, tags: byId<HTMLInputElement>("p-tags").value.split(",").map((s) => s.trim()).filter(Boolean) }),
        );
      }
      default:
        return send({ action, itemIds, leaseSeconds: action === "claim" ? 120 : undefined });
    }
  }

  async function send(request: ModerationRequest): Promise<void> {
    // Decided items leave the queue: the keyboard moves on to the item after them, whichever of
    // the reply and the live change arrives first.
    const decision = !["claim", "release", "pin", "unpin", "highlight", "unhighlight", "tag"].includes(request.action);
    const following = decision ? followingAfter(request.itemIds) : state.currentId;
    try {
      const response = live.isOnline
        ? await live.connection.invoke<ModerationResult>("Moderate", id, request)
        : await api<ModerationResult>(`/api/consultations/${id}/moderation`, { method: "POST", token: session.token, body: request });
      const failed = response.items.filter((o) => !o.ok);
      result.textContent = outcomeText(response.items);
      if (request.action !== "claim" && request.action !== "release") selected.clear();
      state.pendingFocus = failed.length > 0 ? state.currentId : following;
      const expected = state.pendingFocus;
      setTimeout(() => {
        if (state.pendingFocus === expected) state.pendingFocus = null;
      }, 5000);
      queue.render();
    } catch (error) {
      result.textContent = errorText(errorCode(error));
    }
  }

  function followingAfter(decided: string[]): string | null {
    const { currentId, visible } = state;
    if (currentId && !decided.includes(currentId)) return currentId;
    const index = visible.findIndex((i) => i.id === currentId);
    const following = visible.slice(index + 1).find((i) => !decided.includes(i.id)) ?? visible.slice(0, Math.max(index, 0)).reverse().find((i) => !decided.includes(i.id));
    return following?.id ?? null;
  }

  function openSanction(item: ItemView): void {
    panel.open(t("mod.sanction"), [
      field("p-kind", t("mod.sanctionKind"), h("select", { id: "p-kind" }, h("option", { value: "mute" }, t("mod.mute")), h("option", { value: "ban" }, t("mod.ban")))),
      reasonField(),
      field("p-minutes", t("mod.minutes"), h("input", { id: "p-minutes", type: "number", min: 1, max: 525600, inputmode: "numeric" })),
    ], async () => {
      const minutes = byId<HTMLInputElement>("p-minutes").value;
      try {
        await api(`/api/consultations/${id}/sanctions`, {
          method: "POST",
          token: session.token,
          body: { itemId: item.id, kind: byId<HTMLSelectElement>("p-kind").value, reason: byId<HTMLSelectElement>("p-reason").value, minutes: minutes ? Number(minutes) : undefined },
        });
        result.textContent = t("mod.done", { n: 1, f: 0 });
      } catch (error) {
        result.textContent = errorText(errorCode(error));
      }
    });
  }

  return { command, send, targets, next, openSanction };
}
