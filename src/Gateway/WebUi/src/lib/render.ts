import { h, replace } from "./dom";
import { formatDate, formatDateTime, formatNumber, formatPercent, label, relativeTime, t } from "./i18n";
import type { ItemView, OfficialAnswer, RepresentativeView, StatementConsensusView } from "./types";

/** The item's text as a paragraph of plain text (user data: text nodes only). */
export function itemText(item: ItemView): HTMLElement {
  // The server stores the Indonesian marker in place of an erased text; show it in the page's language.
  return item.erased
    ? h("p", { class: "item-text erased", "data-testid": "item-text", "data-erased": "true" }, t("item.erased"))
    : h("p", { class: "item-text", "data-testid": "item-text" }, item.text);
}

export function itemMeta(item: ItemView): HTMLElement {
  return h(
    "p",
    { class: "meta small" },
    // An erased post is no longer anyone's: its pseudonym is not shown either.
    item.erased ? null : [t("item.by", { name: item.author }), " · "],
    h("time", { datetime: item.createdAt, title: formatDateTime(item.createdAt) }, relativeTime(item.createdAt)),
    item.edited ? [" · ", t("item.edited")] : null,
  );
}

export function statusBadge(status: string): HTMLElement {
  return h("span", { class: `badge status-${status}` }, label("status", status));
}

export function answerBlock(answer: OfficialAnswer): HTMLElement {
  return h(
    "div",
    { class: "answer", "data-testid": "answer" },
    h("p", { class: "answer-h small" }, h("strong", {}, t("item.answer")), answer.status ? [" · ", answerStatusLabel(answer.status)] : null),
    h("p", {}, answer.text),
    h(
      "p",
      { class: "meta small" },
      t("item.answerBy", { name: answer.by, date: formatDateTime(answer.at) }),
      answer.owner ? [" · ", t("item.owner", { owner: answer.owner })] : null,
      answer.due ? [" · ", t("item.due", { date: formatDate(answer.due) })] : null,
    ),
  );
}

export function answerStatusLabel(status: string): string {
  return label("answer", status.replace("-", "_"));
}

/** Re-rendering replaces nodes; put keyboard focus back on the control with the same key. */
export function keepFocus(render: () => void): void {
  const key = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  render();
  if (key) document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
}

export function connectionLabel(el: HTMLElement, state: "online" | "reconnecting" | "offline"): void {
  el.dataset.state = state;
  el.textContent = t(`conn.${state}`);
}

/** Writes the connection label again in the current language (after a language switch). */
export function relabelConnection(el: HTMLElement): void {
  connectionLabel(el, (el.dataset.state as "online" | "reconnecting" | "offline" | undefined) ?? "online");
}

/** How an opinion group leans on one of its representative statements; "weak" when not significant. */
export function leaningLine(r: RepresentativeView): HTMLElement {
  return h("p", { class: "small" },
    h("span", { class: `lean-${r.leaning}` }, t(r.leaning === "agree" ? "op.rep.agree" : "op.rep.disagree", { pct: formatPercent(r.probability) })),
    r.significant ? null : [" · ", h("span", { class: "muted" }, t("op.rep.weak"))]);
}

/** The statements the groups agree on, each with its text (paragraph) and its consensus and counts. */
export function renderConsensus(list: HTMLElement, consensus: StatementConsensusView[], paragraph: (itemId: string) => HTMLElement): void {
  replace(
    list,
    consensus.length === 0
      ? h("li", { class: "muted" }, t("op.commonNone"))
      : consensus.map((c) =>
          h("li", { "data-item-id": c.itemId },
            paragraph(c.itemId),
            h("p", { class: "small muted" }, t("op.consensusLine", { score: formatPercent(c.consensus), a: formatNumber(c.agree), d: formatNumber(c.disagree), p: formatNumber(c.pass) })))),
  );
}

/** A function that runs render once in the next animation frame however often it is called; it returns true when it queued one. */
export function perFrame(render: () => void): () => boolean {
  let queued = false;
  return () => {
    if (queued) return false;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
    return true;
  };
}
