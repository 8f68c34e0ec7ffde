import { api, errorCode, participantToken } from "../../lib/api";
import { byId, newClientId, store } from "../../lib/dom";
import { errorText, t, type Key } from "../../lib/i18n";
import type { SubmitItemResponse } from "../../lib/types";
import type { ParticipantState } from "./state";

interface Pending {
  clientId: string;
  text: string;
}

export interface Compose {
  /** Sends the post that waits for the server, if any (every 5 s and after each reconnect). */
  sendPending(): Promise<void>;
  /** Writes the status line again in the current language. */
  renderStatus(): void;
}

/**
 * The ask / state box. Typed text lives on the device until the server has acknowledged it: a draft
 * survives a reload, and a post sent while offline waits and is retried with the same client id.
 */
export function mountCompose(state: ParticipantState, loadMine: () => Promise<void>): Compose {
  const { id, live, myIds } = state;
  const draft = store<string>(`dialogue.draft.${id}`, "");
  const pending = store<Pending | null>(`dialogue.pending.${id}`, null);
  const text = byId<HTMLTextAreaElement>("ask-text");
  const status = byId("ask-status");
  const sendButton = byId<HTMLButtonElement>("ask-send");
  let sending = false;
  let statusKey: Key | null = null;
  let statusError: string | null = null;

  text.value = pending.get()?.text ?? draft.get();
  text.addEventListener("input", () => draft.set(text.value));
  byId<HTMLFormElement>("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!text.value.trim() || pending.get()) return;
    pending.set({ clientId: newClientId(), text: text.value });
    void sendPending();
  });

  async function sendPending(): Promise<void> {
    const submission = pending.get();
    if (!submission || sending) return;
    sending = true;
    lockAsk(true);
    setStatus("ask.sending");
    try {
      // Retrying with the same clientId returns the first result: a lost acknowledgement never makes a duplicate.
      const result = live.isOnline
        ? await live.connection.invoke<SubmitItemResponse>("Submit", id, submission.clientId, submission.text)
        : await api<SubmitItemResponse>(`/api/consultations/${id}/items`, { method: "POST", token: await participantToken(), body: submission });
      pending.set(null);
      draft.set(null);
      text.value = "";
      myIds.add(result.id);
      setStatus(result.status === "pending" ? "ask.sentPending" : "ask.sent");
      await loadMine();
    } catch (error) {
      const code = errorCode(error);
      if (code === "generic" || code.startsWith("http-5") || !navigator.onLine) {
        setStatus("ask.queued");
      } else {
        // The server refused it (rate limit, sanction, invalid text): keep the text, let the author change it.
        pending.set(null);
        setStatus(null, code);
      }
    } finally {
      sending = false;
      lockAsk(pending.get() !== null);
    }
  }

  function lockAsk(locked: boolean): void {
    text.readOnly = locked;
    sendButton.disabled = locked;
  }

  function setStatus(key: Key | null, error: string | null = null): void {
    statusKey = key;
    statusError = error;
    status.textContent = error !== null ? errorText(error) : key ? t(key) : "";
    status.className = error !== null ? "small error" : "small";
  }

  setInterval(() => void sendPending(), 5000);
  if (pending.get()) {
    lockAsk(true);
    setStatus("ask.queued");
  }

  return { sendPending, renderStatus: () => setStatus(statusKey, statusError) };
}
