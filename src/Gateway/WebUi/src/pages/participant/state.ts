import type { Announcer } from "../../lib/announcer";
import type { Stored } from "../../lib/dom";
import type { ItemStore, Live } from "../../lib/live";
import type { ConsultationInfo } from "../../lib/types";

/** What the panels of the participant page share; each panel gets it as a parameter. */
export interface ParticipantState {
  readonly id: string;
  readonly live: Live;
  /** The public list: the newest version of each item. */
  readonly items: ItemStore;
  /** The participant's own posts, with their status, also while they are not in the public list. */
  readonly mine: ItemStore;
  readonly myIds: Set<string>;
  /** The participant's votes by item id, kept on the device. */
  readonly myVotes: Stored<Record<string, number>>;
  readonly announcer: Announcer;
  consultation: ConsultationInfo | null;
  /** Deliberation only: the statement the server suggests next (undefined: not asked yet; null: none left). */
  nextId: string | null | undefined;
}
