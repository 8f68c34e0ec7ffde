import type { StaffSession } from "../../lib/api";
import type { ItemStore, Live } from "../../lib/live";
import type { ItemView } from "../../lib/types";

/** What the parts of the moderator console share; each part gets it as a parameter. */
export interface ModerateState {
  readonly id: string;
  readonly session: StaffSession;
  readonly live: Live;
  readonly store: ItemStore;
  /** Items ticked for a bulk action. */
  readonly selected: Set<string>;
  /** The line that tells the outcome of the last action. */
  readonly result: HTMLElement;
  /** The row the keyboard acts on. */
  currentId: string | null;
  /** The queue as filtered and sorted at the last render. */
  visible: ItemView[];
  /** Where focus goes once a decided item has left the queue (the reply or the live change, whichever comes first). */
  pendingFocus: string | null;
}
