import { api, errorCode, participantToken } from "../../lib/api";
import { h } from "../../lib/dom";
import { errorText, formatNumber, t, type Key } from "../../lib/i18n";
import type { ItemView } from "../../lib/types";
import type { ParticipantState } from "./state";

/** Vote buttons; "where" keeps focus keys apart when the same item shows twice (the suggestion card and the list). */
export type VoteButtons = (item: ItemView, where?: string) => HTMLElement;

type VoteResult = { value: number; seq: number; tally: ItemView["votes"] };

/** Upvote (Q&A) or agree / disagree / pass (deliberation); afterVote runs once the server counted the vote. */
export function voteButtons(state: ParticipantState, afterVote: () => Promise<void>): VoteButtons {
  const { id, live, items, myVotes, announcer } = state;

  async function vote(item: ItemView, value: number): Promise<void> {
    try {
      const result = live.isOnline
        ? await live.connection.invoke<VoteResult>("Vote", id, item.id, value)
        : await api<VoteResult>(`/api/consultations/${id}/items/${item.id}/votes`, { method: "POST", token: await participantToken(), body: { value } });
      myVotes.set({ ...myVotes.get(), [item.id]: value });
      const known = items.items.get(item.id);
      if (known && result.seq >= known.seq) items.items.set(item.id, { ...known, votes: result.tally, seq: result.seq });
      await afterVote();
    } catch (error) {
      announcer.say(errorText(errorCode(error)));
    }
  }

  return (item, where = "list") => {
    const mineVote = myVotes.get()[item.id];
    if (state.consultation?.mode === "deliberation") {
      const button = (value: number, key: Key, count: number) =>
        h(
          "button",
          { type: "button", class: "vote secondary small", "aria-pressed": String(mineVote === value), "data-focus-key": where === "next" ? `next:${value}` : `${item.id}:${value}`, onclick: () => void vote(item, value) },
          `${t(key)} (${formatNumber(count)})`,
        );
      return h("div", { class: "row votes", role: "group", "aria-label": t("item.voteGroup") },
        button(1, "item.agree", item.votes.agree), button(-1, "item.disagree", item.votes.disagree), button(0, "item.pass", item.votes.pass));
    }
    const up = mineVote === 1;
    return h(
      "div",
      { class: "row votes" },
      h(
        "button",
        { type: "button", class: "vote secondary small", "aria-pressed": String(up), "data-focus-key": `${item.id}:up`, onclick: () => void vote(item, up ? 0 : 1) },
        up ? t("item.upvoted") : t("item.upvote"),
      ),
      h("span", { class: "small", "data-testid": "votes" }, t("item.votes", { n: formatNumber(item.votes.up) })),
    );
  };
}
