import { byId, h, replace } from "../../lib/dom";
import { label, t } from "../../lib/i18n";
import { rejectionReasons } from "../../lib/types";
import type { ModerateState } from "./state";

/** The side form that asks for the details of an action (reason, note, target, tags, sanction). */
export interface SidePanel {
  open(title: string, fields: HTMLElement[], apply: () => Promise<void>): void;
  close(): void;
}

export function mountPanel(state: ModerateState): SidePanel {
  const panel = byId<HTMLFormElement>("panel");
  let panelApply: (() => Promise<void>) | null = null;

  byId("panel-cancel").addEventListener("click", close);
  panel.addEventListener("submit", async (e) => {
    e.preventDefault();
    const apply = panelApply;
    close();
    await apply?.();
  });
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });

  function open(title: string, fields: HTMLElement[], apply: () => Promise<void>): void {
    byId("panel-h").textContent = title;
    replace(byId("panel-fields"), fields);
    panelApply = apply;
    panel.hidden = false;
    const first = panel.querySelector<HTMLElement>("select, input");
    first?.focus();
    // Digits pick a rejection reason straight away.
    const reason = panel.querySelector<HTMLSelectElement>("#p-reason");
    reason?.addEventListener("keydown", (e) => {
      const n = Number(e.key);
      if (n >= 1 && n <= rejectionReasons.length) {
        e.preventDefault();
        reason.value = rejectionReasons[n - 1];
      }
    });
  }

  function close(): void {
    panel.hidden = true;
    panelApply = null;
    const row = state.currentId ? byId("queue").querySelector<HTMLElement>(`[data-item-id="${CSS.escape(state.currentId)}"]`) : null;
    row?.focus();
  }

  return { open, close };
}

export function reasonField(): HTMLElement {
  return field("p-reason", t("mod.reject"), h("select", { id: "p-reason" }, rejectionReasons.map((r, i) => h("option", { value: r }, `${i + 1}. ${label("reason", r)}`))));
}

export function noteField(): HTMLElement {
  return field("p-note", t("mine.note", { note: "" }).replace(/[:：]\s*$/, ""), h("input", { id: "p-note", maxlength: 1000, autocomplete: "off" }));
}

export function field(inputId: string, text: string, control: HTMLElement): HTMLElement {
  return h("div", { class: "stack" }, h("label", { for: inputId }, text), control);
}
