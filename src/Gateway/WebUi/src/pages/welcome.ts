import "../styles.css";
import "../staff.css";
import { api, ApiError } from "../lib/api";
import { byId } from "../lib/dom";
import { applyStatic, mountLanguageSwitch, t } from "../lib/i18n";

// The invitation link carries the code in the fragment (#code=…), which the browser never sends to a server.
applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));

const form = byId<HTMLFormElement>("welcome");
const code = byId<HTMLInputElement>("welcome-code");
const passphrase = byId<HTMLInputElement>("welcome-passphrase");
const repeat = byId<HTMLInputElement>("welcome-repeat");
const result = byId("welcome-result");
code.value = new URLSearchParams(location.hash.slice(1)).get("code") ?? "";
history.replaceState(null, "", location.pathname);
(code.value ? passphrase : code).focus();

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (passphrase.value !== repeat.value) {
    result.textContent = t("welcome.mismatch");
    return;
  }
  try {
    const { login } = await api<{ login: string }>("/api/auth/invitation", { method: "POST", body: { code: code.value.trim(), passphrase: passphrase.value } });
    form.reset();
    result.textContent = t("welcome.done", { login });
  } catch (e) {
    result.textContent =
      e instanceof ApiError && e.code === "weak-passphrase" ? t("welcome.weak")
      : e instanceof ApiError && e.code === "invalid-invitation" ? t("welcome.invalid")
      : t("error.generic");
  }
});
