import { api, errorCode, participantToken } from "./api";
import { byId, h } from "./dom";
import { errorText, formatNumber, onLangChange, t, type Key } from "./i18n";
import type { EraseResponse } from "./types";

/**
 * The participant's "My data" controls: download everything held about them (GET /api/me/data)
 * and erase their contributions (POST /api/me/erase) after an in-page confirmation dialog.
 * A <dialog> rather than window.confirm: it can explain the consequences in the page's language
 * and is styled and labelled like the rest of the page.
 */
export function mountDataRights(onErased: (result: EraseResponse) => void): void {
  const status = byId("data-status");
  const dialog = byId<HTMLDialogElement>("erase-dialog");
  const eraseButton = byId<HTMLButtonElement>("data-erase");
  // The last message, kept as a key and values so a language switch re-renders it.
  let message: { key: Key; vars?: Record<string, string>; error?: string } | null = null;
  const show = (next: typeof message) => {
    message = next;
    status.className = next?.error ? "small error" : "small";
    status.textContent = !next ? "" : next.error ? errorText(next.error) : t(next.key, next.vars);
  };
  onLangChange(() => show(message));

  byId("data-download").addEventListener("click", async () => {
    try {
      const data = await api<unknown>("/api/me/data", { token: await participantToken() });
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json;charset=utf-8" }));
      const link = h("a", { href: url, download: `data-saya-${new Date().toISOString().slice(0, 10)}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      show({ key: "data.downloaded" });
    } catch (error) {
      show({ key: "error.generic", error: errorCode(error) });
    }
  });

  eraseButton.addEventListener("click", () => {
    dialog.returnValue = "";
    dialog.showModal();
  });
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "confirm") {
      show({ key: "data.cancelled" });
      eraseButton.focus();
      return;
    }
    eraseButton.disabled = true;
    show({ key: "data.erasing" });
    try {
      const result = await api<EraseResponse>("/api/me/erase", { method: "POST", token: await participantToken(), body: { confirm: true } });
      show({ key: "data.erased", vars: { items: formatNumber(result.items), votes: formatNumber(result.votes) } });
      onErased(result);
    } catch (error) {
      show({ key: "error.generic", error: errorCode(error) });
    } finally {
      eraseButton.disabled = false;
    }
  });
}
