import { api, errorCode, expired, solvedChallenge, useAdmission } from "./api";
import { byId, store } from "./dom";
import { errorText, onLangChange, t } from "./i18n";
import type { ConsultationInfo } from "./types";

interface Identity {
  token: string;
  citizenId: string;
}

/**
 * Consultations that admit by join code or invitation: ask for the code once (or take it from the link,
 * ?k=…), keep the token it gives for this consultation on this device, and act with it there. Open
 * consultations need nothing: the anonymous token is minted when first needed.
 */
export async function admit(consultationId: string): Promise<void> {
  let info: ConsultationInfo;
  try {
    info = await api<ConsultationInfo>(`/api/consultations/${consultationId}`);
  } catch {
    return; // The page says "not found" itself.
  }
  const admission = info.admission ?? "open";
  if (admission === "open") return;
  const saved = store<Identity | null>(`dialogue.admitted.${consultationId}`, null);
  const kept = saved.get();
  if (kept && !expired(kept.token)) {
    useAdmission(consultationId, kept);
    return;
  }

  const view = byId("admit-view");
  const form = byId<HTMLFormElement>("admit-form");
  const input = byId<HTMLInputElement>("admit-code");
  const status = byId("admit-status");
  const error = byId("admit-error");
  const button = byId<HTMLButtonElement>("admit-send");
  const labels = () => {
    byId("admit-name").textContent = info.title;
    byId("admit-label").textContent = t(admission === "code" ? "admit.code" : "admit.invite");
    byId("admit-hint").textContent = t(admission === "code" ? "admit.codeHint" : "admit.inviteHint");
    input.inputMode = admission === "code" ? "numeric" : "text";
  };
  labels();
  onLangChange(labels);
  view.hidden = false;

  return new Promise<void>((resolve) => {
    const enter = async () => {
      const code = input.value.trim();
      if (!code) return;
      button.disabled = true;
      error.textContent = "";
      status.textContent = t("admit.working");
      try {
        const identity =
          admission === "code"
            ? await api<Identity>("/api/auth/join", { method: "POST", body: { consultationId, code, ...(await solvedChallenge()) } })
            : await api<Identity>("/api/auth/invite", { method: "POST", body: { consultationId, code } });
        saved.set(identity);
        useAdmission(consultationId, identity);
        view.hidden = true;
        resolve();
      } catch (e) {
        error.textContent = errorText(errorCode(e));
        input.focus();
      } finally {
        status.textContent = "";
        button.disabled = false;
      }
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void enter();
    });
    const fromLink = new URLSearchParams(location.search).get("k");
    if (fromLink) {
      input.value = fromLink;
      void enter();
    } else {
      input.focus();
    }
  });
}
