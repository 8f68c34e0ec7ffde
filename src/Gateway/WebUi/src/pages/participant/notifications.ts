import { api, participantToken } from "../../lib/api";
import { byId, h, replace } from "../../lib/dom";
import { label, relativeTime, t } from "../../lib/i18n";
import type { Notification } from "../../lib/types";
import type { ParticipantState } from "./state";

export interface Notifications {
  /** The unread notifications of this consultation, read once on open. */
  load(bearer: string): Promise<void>;
  /** One that arrived live: shown first and announced. */
  receive(n: Notification): void;
  render(): void;
}

/** "Your post was answered" and the like, until marked as read. */
export function mountNotifications(state: ParticipantState): Notifications {
  const { id, announcer } = state;
  let notifications: Notification[] = [];

  async function load(bearer: string): Promise<void> {
    try {
      const all = await api<Notification[]>("/api/me/notifications", { token: bearer });
      notifications = all.filter((n) => n.consultationId === id && !n.read);
      render();
    } catch {
      // Not fatal: notifications also arrive live.
    }
  }

  function receive(n: Notification): void {
    notifications = [n, ...notifications.filter((x) => x.id !== n.id)];
    announcer.say(notificationText(n));
    render();
  }

  function notificationText(n: Notification): string {
    return label("notif", n.kind) || n.kind;
  }

  function render(): void {
    byId("notif-section").hidden = notifications.length === 0;
    replace(
      byId("notifs"),
      notifications.map((n) =>
        h(
          "li",
          { class: "card notif", "data-kind": n.kind },
          h("p", {}, h("strong", {}, notificationText(n)), " ", h("time", { datetime: n.at, class: "small muted" }, relativeTime(n.at))),
          n.detail && n.kind !== "rejected" ? h("p", { class: "small" }, n.detail) : null,
          n.kind === "rejected" && n.detail ? h("p", { class: "small" }, t("mine.reason", { reason: label("reason", n.detail) })) : null,
          h(
            "button",
            {
              type: "button",
              class: "secondary small",
              onclick: async () => {
                notifications = notifications.filter((x) => x.id !== n.id);
                render();
                await api(`/api/me/notifications/${n.id}/read`, { method: "POST", token: await participantToken() }).catch(() => undefined);
              },
            },
            t("notif.read"),
          ),
        ),
      ),
    );
  }

  return { load, receive, render };
}
