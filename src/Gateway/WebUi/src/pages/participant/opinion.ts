import { api, participantToken } from "../../lib/api";
import { byId, h, replace } from "../../lib/dom";
import { formatNumber, t } from "../../lib/i18n";
import { itemText, keepFocus } from "../../lib/render";
import type { OpinionGroupView, OpinionPosition, OpinionView } from "../../lib/types";
import type { Feed } from "./feed";
import type { ParticipantState } from "./state";
import type { VoteButtons } from "./votes";

export interface OpinionCard {
  render(): void;
  /** Asks for the groups and the own position now. */
  refresh(): Promise<void>;
  /** Asks for the own position later: soon after an own vote, throttled after a pushed recomputation. */
  schedule(afterVote: boolean): void;
  /** Asks for the statement to vote on next. */
  refreshNext(attempt?: number): Promise<void>;
  /** A pushed recomputation (without "you"). */
  receive(view: OpinionView): void;
}

/**
 * Deliberation only: the participant's place among the opinion groups (no map on the phone) and the
 * statement the server suggests next.
 */
export function mountOpinion(state: ParticipantState, votes: VoteButtons, feed: Pick<Feed, "render" | "showInList">): OpinionCard {
  const { id, live, items, myVotes } = state;
  let groups: OpinionGroupView[] = [];
  let you: OpinionPosition | null = null;
  let opinionVersion = -1;
  let opinionTimer = 0;
  let opinionDue = 0;
  let lastOpinionFetch = 0;

  function receive(view: OpinionView): void {
    if (view.consultationId !== id || view.version < opinionVersion) return;
    // The pushed view has no "you": keep the group sizes, ask for the own position later (throttled).
    groups = view.groups;
    opinionVersion = view.version;
    render();
    schedule(false);
  }

  async function refresh(): Promise<void> {
    lastOpinionFetch = Date.now();
    try {
      const view = live.isOnline
        ? await live.connection.invoke<OpinionView>("OpinionGroups", id)
        : await api<OpinionView>(`/api/consultations/${id}/opinion-groups`, { token: await participantToken() });
      if (view.version >= opinionVersion) {
        groups = view.groups;
        opinionVersion = view.version;
      }
      you = view.you;
      render();
    } catch {
      // Offline: the next vote or recomputation asks again.
    }
  }

  /**
   * The own position is asked for soon after an own vote (at most every 3 s) and, after a pushed
   * recomputation, at most every 15 s with a random delay, so a hall of phones does not ask at once.
   */
  function schedule(afterVote: boolean): void {
    const now = Date.now();
    const due = Math.max(now + (afterVote ? 800 : 2000 + Math.random() * 3000), lastOpinionFetch + (afterVote ? 3000 : 15_000));
    if (opinionTimer && opinionDue <= due) return;
    clearTimeout(opinionTimer);
    opinionDue = due;
    opinionTimer = window.setTimeout(() => {
      opinionTimer = 0;
      void refresh();
    }, due - now);
  }

  async function refreshNext(attempt = 0): Promise<void> {
    try {
      const next = await api<{ itemId: string | null }>(`/api/consultations/${id}/opinion-groups/next`, { token: await participantToken() });
      // A vote reaches the analysis a moment after its acknowledgement: a just-voted suggestion means "ask again shortly".
      if (next.itemId !== null && next.itemId in myVotes.get() && attempt < 3) {
        setTimeout(() => void refreshNext(attempt + 1), 400 * (attempt + 1));
        return;
      }
      if (next.itemId !== state.nextId) {
        state.nextId = next.itemId;
        feed.render();
        render();
      }
    } catch {
      // Keep the last suggestion.
    }
  }

  function render(): void {
    const section = byId("opinion-section");
    section.hidden = state.consultation?.mode !== "deliberation";
    if (section.hidden) return;
    const closest = you?.closestGroupId ?? null;
    const group = groups.find((g) => g.id === closest);
    byId("you-group").textContent =
      closest === null
        ? groups.length === 0 ? t("op.none") : t("op.youNone")
        : t("op.you", { group: t("op.group", { n: formatNumber(closest + 1) }) + (group ? ` (${t("op.members", { n: formatNumber(group.members) })})` : "") });
    byId("you-hint").textContent = closest !== null && you && !you.inAnalysis ? t("op.youMore") : "";

    const nextId = state.nextId;
    const item = nextId ? items.items.get(nextId) : undefined;
    keepFocus(() =>
      replace(
        byId("next-card"),
        nextId === null
          ? h("p", { class: "small" }, t("op.nextNone"))
          : item && item.visible
            ? [
                h("h3", {}, t("op.next")),
                itemText(item),
                votes(item, "next"),
                h("button", { type: "button", class: "secondary small", "data-focus-key": "next:go", onclick: () => feed.showInList(item.id) }, t("op.nextGo")),
              ]
            : null,
      ),
    );
  }

  return { render, refresh, schedule, refreshNext, receive };
}
