import { api } from "../../lib/api";
import { byId, h, replace } from "../../lib/dom";
import { onLangChange, t } from "../../lib/i18n";
import type { ConsultationSummary } from "../../lib/types";

/** No code in the link (or an unknown one): the join form and the open consultations. */
export async function showJoin(): Promise<void> {
  byId("join-view").hidden = false;
  const form = byId<HTMLFormElement>("join-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = byId<HTMLInputElement>("join-code").value.trim().toLowerCase();
    location.search = `?c=${encodeURIComponent(code)}`;
  });
  const list = byId("open-list");
  const render = (all: ConsultationSummary[]) => {
    const open = all.filter((c) => c.status === "open");
    replace(list, open.length === 0 ? h("li", { class: "muted" }, t("join.none")) : open.map((c) => h("li", {}, h("a", { href: `/?c=${c.id}` }, c.title), " ", h("code", {}, c.id))));
  };
  try {
    const all = await api<ConsultationSummary[]>("/api/consultations");
    render(all);
    onLangChange(() => render(all));
  } catch {
    replace(list, h("li", { class: "error" }, t("error.generic")));
  }
}
