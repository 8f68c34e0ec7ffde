import "../styles.css";
import "../staff.css";
import { api, ApiError } from "../lib/api";
import { byId, h, replace } from "../lib/dom";
import { applyStatic, formatDateTime, mountLanguageSwitch, onLangChange, t, type Key } from "../lib/i18n";
import { showSignedIn, staffGate } from "../lib/staff";

interface Account {
  id: string;
  login: string;
  displayName: string;
  role: string;
  consultations: string[] | null;
  enabled: boolean;
  active: boolean;
  invitationExpires: string | null;
}

interface Invitation {
  account: Account;
  code: string;
  link: string;
  expires: string;
}

applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));
void main();

async function main(): Promise<void> {
  const session = await staffGate(byId("gate"), ["admin"]);
  replace(byId("gate"));
  showSignedIn(session);
  byId("accounts").hidden = false;
  const token = session.token;
  const list = byId("account-list");
  let accounts: Account[] = [];

  const showInvitation = (invitation: Invitation) => {
    byId("invitation").hidden = false;
    byId("invitation-text").textContent = t("accounts.codeOnce", { name: invitation.account.displayName, date: formatDateTime(invitation.expires) });
    byId("invitation-link").textContent = invitation.link;
  };

  const render = () =>
    replace(
      list,
      accounts.map((a) => {
        const state = !a.enabled ? "accounts.disabled" : a.active ? "accounts.active" : "accounts.invited";
        return h(
          "li",
          { class: "card row spread", "data-login": a.login },
          h("span", {}, h("strong", {}, a.displayName), " ", h("code", {}, a.login), " · ", t(`role.${a.role}` as Key), " · ",
            a.consultations ? a.consultations.join(", ") : t("accounts.all"), " · ", h("span", { class: "muted" }, t(state))),
          h("span", { class: "row" },
            h("button", { type: "button", class: "small secondary", onclick: () => void change(a.id, { enabled: !a.enabled }) }, t(a.enabled ? "accounts.disable" : "accounts.enable")),
            h("button", { type: "button", class: "small secondary", onclick: () => void reinvite(a.id) }, t("accounts.reinvite"))),
        );
      }),
    );

  const load = async () => {
    accounts = await api<Account[]>("/api/staff/accounts", { token });
    render();
  };

  const change = async (id: string, body: object) => {
    await api(`/api/staff/accounts/${id}`, { method: "PATCH", body, token });
    await load();
  };

  const reinvite = async (id: string) => {
    showInvitation(await api<Invitation>(`/api/staff/accounts/${id}/invitation`, { method: "POST", token }));
    await load();
  };

  const form = byId<HTMLFormElement>("invite");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const scope = byId<HTMLInputElement>("invite-scope").value.split(",").map((c) => c.trim()).filter((c) => c.length > 0);
    try {
      const invitation = await api<Invitation>("/api/staff/accounts", {
        method: "POST",
        token,
        body: {
          login: byId<HTMLInputElement>("invite-login").value.trim(),
          displayName: byId<HTMLInputElement>("invite-name").value.trim(),
          role: byId<HTMLSelectElement>("invite-role").value,
          consultations: scope.length > 0 ? scope : null,
        },
      });
      form.reset();
      byId("invite-error").textContent = "";
      showInvitation(invitation);
      await load();
    } catch (e) {
      byId("invite-error").textContent = e instanceof ApiError ? e.message : t("error.generic");
    }
  });

  onLangChange(render);
  await load();
}
