import { api } from "../../lib/api";
import { byId, replace } from "../../lib/dom";
import { segmentSections } from "../../lib/segments";
import type { SegmentsBreakdown } from "../../lib/types";
import { groupName } from "./charts";
import type { DashboardState } from "./state";

export interface SegmentsPanel {
  load(): Promise<void>;
  render(): void;
}

/** Who is being heard: read on (re)connect and with the brief after each pushed regrouping (at most every 5 s). */
export function mountSegments(state: DashboardState): SegmentsPanel {
  const { id, session } = state;
  let segments: SegmentsBreakdown | null = null;

  async function load(): Promise<void> {
    try {
      segments = await api<SegmentsBreakdown>(`/api/consultations/${id}/segments/breakdown`, { token: session.token });
    } catch {
      // Kept as it was: the next push tries again.
    }
    render();
  }

  function render(): void {
    replace(byId("segments-body"), segmentSections(segments, groupName));
  }

  return { load, render };
}
