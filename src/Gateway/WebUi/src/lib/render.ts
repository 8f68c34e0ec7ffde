import { h } from "./dom";
import { formatDate, formatDateTime, label, relativeTime, t } from "./i18n";
import type { ItemView, OfficialAnswer } from "./types";

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
