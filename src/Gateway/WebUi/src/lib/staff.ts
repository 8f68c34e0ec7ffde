import { api, ApiError, consultationFromUrl, staffSession, staffSignIn, type StaffSession } from "./api";
import { h, replace } from "./dom";
import { onLangChange, t, type Key } from "./i18n";
import type { ConsultationSummary } from "./types";

/**
 * Staff pages start here: sign in with the access key (the token stays in this tab's
 * sessionStorage), then pick a consultation unless the link names one (?c=code).
 */
export async function staffStart(container: HTMLElement, roles: string[]): Promise<{ session: StaffSession; consultationId: string }> {
  let session = staffSession.get();
  if (!session || !roles.includes(session.role)) session = await signIn(container, roles);
  const consultationId = consultationFromUrl() ?? (await pick(container));
  replace(container);
  return { session, consultationId };
}

export function signOutButton(): HTMLButtonElement {
  const button = h("button", { type: "button", class: "secondary small", "data-i18n": "signin.out" }, t("signin.out"));
  button.addEventListener("click", () => {
    staffSession.set(null);
    location.reload();
  });
  return button;
}

function signIn(container: HTMLElement, roles: string[]): Promise<StaffSession> {
  return new Promise((resolve) => {
    const key = h("input", { id: "signin-key", type: "password", required: true, autocomplete: "current-password" });
    const role = h("select", { id: "signin-role" }, roles.map((r) => h("option", { value: r, "data-i18n": `role.${r}` }, t(`role.${r}` as Key))));
    const name = h("input", { id: "signin-name", required: true, maxlength: 100, autocomplete: "name" });
    const error = h("p", { class: "error", role: "alert" });
    const form = h(
      "form",
      { class: "card stack narrow-form", "aria-labelledby": "signin-h" },
      h("h1", { id: "signin-h", "data-i18n": "signin.title" }, t("signin.title")),
      h("label", { for: "signin-key", "data-i18n": "signin.key" }, t("signin.key")),
      key,
      h("label", { for: "signin-role", "data-i18n": "signin.role" }, t("signin.role")),
      role,
      h("label", { for: "signin-name", "data-i18n": "signin.name" }, t("signin.name")),
      name,
      h("button", { type: "submit", "data-i18n": "signin.submit" }, t("signin.submit")),
      error,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        resolve(await staffSignIn(key.value, role.value, name.value.trim()));
      } catch (e) {
        error.textContent = e instanceof ApiError && e.status === 401 ? t("signin.failed") : t("error.generic");
      }
    });
    replace(container, form);
    key.focus();
  });
}

function pick(container: HTMLElement): Promise<string> {
  return new Promise((resolve) => {
    const list = h("ul", { class: "plain" });
    const render = (all: ConsultationSummary[]) =>
      replace(
        list,
        all.length === 0
          ? h("li", { class: "muted" }, t("join.none"))
          : all.map((c) =>
              h("li", { class: "card row spread" }, h("span", {}, c.title, " ", h("code", {}, c.id)), h("button", { type: "button", class: "small", onclick: () => {
                history.replaceState(null, "", `?c=${c.id}`);
                resolve(c.id);
              } }, t("pick.open"))),
            ),
      );
    replace(container, h("section", { "aria-labelledby": "pick-h" }, h("h1", { id: "pick-h", "data-i18n": "pick.title" }, t("pick.title")), list));
    void api<ConsultationSummary[]>("/api/consultations").then((all) => {
      render(all);
      onLangChange(() => render(all));
    });
  });
}
