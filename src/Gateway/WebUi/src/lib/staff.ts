import { api, ApiError, consultationFromUrl, expired, staffLogin, staffSession, staffSignIn, type StaffSession } from "./api";
import { byId, h, replace } from "./dom";
import { onLangChange, t, type Key } from "./i18n";
import type { ConsultationSummary } from "./types";

/**
 * Staff pages start here: sign in with a staff account (or the bootstrap key; the token stays in
 * this tab's sessionStorage), then pick a consultation unless the link names one (?c=code).
 */
export async function staffStart(container: HTMLElement, roles: string[]): Promise<{ session: StaffSession; consultationId: string }> {
  const session = await staffGate(container, roles);
  const consultationId = consultationFromUrl() ?? (await pick(container));
  replace(container);
  return { session, consultationId };
}

/** Signs in (or reuses this tab's session) with one of the roles the page serves. */
export async function staffGate(container: HTMLElement, roles: string[]): Promise<StaffSession> {
  let session = staffSession.get();
  if (!session || !roles.includes(session.role) || expired(session.token)) session = await signIn(container, roles);
  return session;
}

/** The signed-in line of a staff page (#who): name, role and the sign-out button. */
export function showSignedIn(session: StaffSession): void {
  byId("who").replaceChildren(`${session.name} · ${t(`role.${session.role}` as Key)} `, signOutButton());
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
    const error = h("p", { class: "error", role: "alert" });
    const accept = (session: StaffSession) => {
      if (roles.includes(session.role)) resolve(session);
      else {
        staffSession.set(null);
        error.textContent = t("signin.wrongRole");
      }
    };
    const failed = (e: unknown) => {
      error.textContent =
        e instanceof ApiError && e.status === 401 ? t("signin.failed")
        : e instanceof ApiError && e.status === 429 ? t("signin.wait")
        : e instanceof ApiError && e.code === "bootstrap-only" ? t("signin.bootstrapOnly")
        : t("error.generic");
    };

    const login = h("input", { id: "signin-login", required: true, maxlength: 64, autocomplete: "username", autocapitalize: "none" });
    const passphrase = h("input", { id: "signin-passphrase", type: "password", required: true, autocomplete: "current-password" });
    const account = h(
      "form",
      { class: "stack" },
      h("label", { for: "signin-login", "data-i18n": "signin.login" }, t("signin.login")),
      login,
      h("label", { for: "signin-passphrase", "data-i18n": "signin.passphrase" }, t("signin.passphrase")),
      passphrase,
      h("button", { type: "submit", "data-i18n": "signin.submit" }, t("signin.submit")),
    );
    account.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        accept(await staffLogin(login.value.trim(), passphrase.value));
      } catch (e) {
        failed(e);
      }
    });

    // The bootstrap key: for the first admin, before any account exists.
    const key = h("input", { id: "signin-key", type: "password", required: true, autocomplete: "off" });
    const role = h("select", { id: "signin-role" }, roles.map((r) => h("option", { value: r, "data-i18n": `role.${r}` }, t(`role.${r}` as Key))));
    const bootstrap = h(
      "form",
      { class: "stack" },
      h("label", { for: "signin-key", "data-i18n": "signin.key" }, t("signin.key")),
      key,
      h("label", { for: "signin-role", "data-i18n": "signin.role" }, t("signin.role")),
      role,
      h("button", { type: "submit", class: "secondary", "data-i18n": "signin.submitKey" }, t("signin.submitKey")),
    );
    bootstrap.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        accept(await staffSignIn(key.value, role.value));
      } catch (e) {
        failed(e);
      }
    });

    replace(
      container,
      h(
        "section",
        { class: "card stack narrow-form", "aria-labelledby": "signin-h" },
        h("h1", { id: "signin-h", "data-i18n": "signin.title" }, t("signin.title")),
        account,
        h("details", { id: "signin-bootstrap" }, h("summary", { "data-i18n": "signin.bootstrap" }, t("signin.bootstrap")), bootstrap),
        error,
      ),
    );
    login.focus();
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
