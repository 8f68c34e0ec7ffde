import { api } from "../../lib/api";
import { briefSections } from "../../lib/brief";
import { byId, h, replace } from "../../lib/dom";
import { t } from "../../lib/i18n";
import type { ConsultationBrief } from "../../lib/types";
import type { DashboardState } from "./state";

export interface BriefPanel {
  load(): Promise<void>;
  /** Reads the brief (and whoever else follows the regroupings) again in 5 s, once for a burst of pushes. */
  schedule(): void;
  render(): void;
}

/** The consultation brief: it follows the pushed regroupings (and answers, through them), read at most every 5 s. */
export function mountBrief(state: DashboardState, alsoOnSchedule: () => Promise<void>): BriefPanel {
  const { id, session } = state;
  let brief: ConsultationBrief | null = null;
  let briefTimer = 0;

  function schedule(): void {
    if (briefTimer) return;
    briefTimer = window.setTimeout(() => {
      briefTimer = 0;
      void load();
      void alsoOnSchedule();
    }, 5000);
  }

  async function load(): Promise<void> {
    try {
      brief = await api<ConsultationBrief>(`/api/consultations/${id}/brief`, { token: session.token });
    } catch {
      // Kept as it was: the next push tries again.
    }
    render();
  }

  function render(): void {
    replace(byId("brief-body"), brief ? briefSections(brief) : h("p", { class: "muted" }, t("topics.computing")));
  }

  return { load, schedule, render };
}
