import { api, errorCode } from "../../lib/api";
import { byId, h, replace } from "../../lib/dom";
import { errorText, formatDateTime, formatNumber, t } from "../../lib/i18n";
import { answerBlock, answerStatusLabel, itemMeta, itemText } from "../../lib/render";
import type { ItemView } from "../../lib/types";
import type { DashboardState } from "./state";

export interface AnswersPanel {
  render(all: ItemView[]): void;
}

/** The top posts, unanswered first, each with its official answer and the form to give or change it. */
export function mountAnswers(state: DashboardState, renderPage: () => void): AnswersPanel {
  const { id, session, live, store } = state;
  const openForms = new Set<string>();

  function render(all: ItemView[]): void {
    const score = (i: ItemView) => i.votes.up + i.votes.agree;
    const top = all.sort((a, b) => Number(!!a.answer) - Number(!!b.answer) || score(b) - score(a) || a.createdAt.localeCompare(b.createdAt)).slice(0, 20);
    const list = byId("top");
    // Never re-render a form someone is typing in.
    if (list.contains(document.activeElement) && document.activeElement?.closest("form")) return;
    replace(
      list,
      top.length === 0
        ? h("li", { class: "muted" }, t("list.empty"))
        : top.map((item) =>
            h("li", { class: "card", "data-item-id": item.id },
              itemText(item),
              itemMeta(item),
              h("p", { class: "small" }, t("item.votes", { n: formatNumber(score(item)) })),
              item.answer ? answerBlock(item.answer) : null,
              answerForm(item),
            ),
          ),
    );
  }

  function answerForm(item: ItemView): HTMLElement {
    const prefix = `answer-${item.id}`;
    const text = h("textarea", { id: `${prefix}-text`, rows: 3, required: true, maxlength: 2000 });
    text.value = item.answer?.text ?? "";
    const status = h("select", { id: `${prefix}-status` }, h("option", { value: "" }, t("answer.none")),
      (["accepted", "under-review", "declined"] as const).map((s) => h("option", { value: s }, answerStatusLabel(s))));
    status.value = item.answer?.status ?? "";
    const owner = h("input", { id: `${prefix}-owner`, maxlength: 200, value: item.answer?.owner ?? "" });
    const due = h("input", { id: `${prefix}-due`, type: "date", value: item.answer?.due ?? "" });
    const form = h("form", { class: "stack", hidden: !openForms.has(item.id) },
      h("label", { for: text.id }, t("dash.answerText")), text,
      h("div", { class: "row" },
        h("label", { for: status.id }, t("dash.answerStatus")), status,
        h("label", { for: owner.id }, t("dash.answerOwner")), owner,
        h("label", { for: due.id }, t("dash.answerDue")), due),
      h("button", { type: "submit" }, t("dash.answerSend")),
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const request = { text: text.value, status: status.value || null, owner: owner.value || null, due: due.value || null };
      try {
        const updated = live.isOnline
          ? await live.connection.invoke<ItemView>("Answer", id, item.id, request)
          : await api<ItemView>(`/api/consultations/${id}/items/${item.id}/answer`, { method: "POST", token: session.token, body: request });
        store.apply([updated]);
        openForms.delete(item.id);
        byId("answer-result").textContent = `${t("dash.answerSaved")} ${formatDateTime(new Date())}`;
        (document.activeElement as HTMLElement | null)?.blur();
        renderPage();
      } catch (error) {
        byId("answer-result").textContent = errorText(errorCode(error));
      }
    });
    const toggle = h("button", { type: "button", class: "small secondary", "aria-expanded": String(!form.hidden) }, t("dash.answer"));
    toggle.addEventListener("click", () => {
      form.hidden = !form.hidden;
      form.hidden ? openForms.delete(item.id) : openForms.add(item.id);
      toggle.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) text.focus();
    });
    return h("div", {}, toggle, form);
  }

  return { render };
}
