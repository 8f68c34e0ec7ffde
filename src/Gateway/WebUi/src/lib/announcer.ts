import { h } from "./dom";
import { t } from "./i18n";

/**
 * A polite live region for new items, with a pause switch: while paused nothing is announced
 * (aria-live="off"), so a screen-reader user is not flooded in a busy town hall.
 */
export class Announcer {
  readonly region: HTMLElement;
  readonly toggle: HTMLButtonElement;
  private paused = false;

  constructor(container: HTMLElement) {
    this.region = h("div", { class: "visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true", id: "announcer" });
    this.toggle = h("button", { type: "button", class: "secondary small", "aria-pressed": "false", id: "announce-toggle" });
    this.toggle.addEventListener("click", () => this.setPaused(!this.paused));
    container.append(this.toggle, this.region);
    this.render();
  }

  say(message: string): void {
    if (this.paused) return;
    // Clearing first makes a repeated message count as new for screen readers.
    this.region.textContent = "";
    setTimeout(() => (this.region.textContent = message), 50);
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.region.setAttribute("aria-live", paused ? "off" : "polite");
    this.render();
  }

  render(): void {
    this.toggle.textContent = this.paused ? t("live.resume") : t("live.pause");
    this.toggle.setAttribute("aria-pressed", String(this.paused));
  }
}
