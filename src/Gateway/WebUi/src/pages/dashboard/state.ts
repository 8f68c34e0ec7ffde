import type { StaffSession } from "../../lib/api";
import type { ItemStore, Live } from "../../lib/live";
import type { ConsultationInfo, OpinionView } from "../../lib/types";

/** What the panels of the official dashboard share; each panel gets it as a parameter. */
export interface DashboardState {
  readonly id: string;
  readonly session: StaffSession;
  readonly live: Live;
  readonly store: ItemStore;
  consultation: ConsultationInfo | null;
  /** Deliberation only: the latest opinion groups (pushed or asked for); never replaced by an older version. */
  opinion: OpinionView | null;
}
