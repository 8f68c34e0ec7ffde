import "../styles.css";
import "../staff.css";
import { Announcer } from "../lib/announcer";
import { byId } from "../lib/dom";
import { applyStatic, formatNumber, mountLanguageSwitch, onLangChange, t } from "../lib/i18n";
import { ItemStore, Live } from "../lib/live";
import { connectionLabel, perFrame, relabelConnection } from "../lib/render";
import { showSignedIn, staffStart } from "../lib/staff";
import type { ItemView, VoteUpdate } from "../lib/types";
import { moderationActions } from "./moderate/actions";
import { mountCampaigns } from "./moderate/campaigns";
import { renderDuplicates } from "./moderate/duplicates";
import { mountShortcuts } from "./moderate/keyboard";
import { mountPanel } from "./moderate/panel";
import { mountQueue } from "./moderate/queue";
import type { ModerateState } from "./moderate/state";

// The moderator console: the queue, the actions and their side panel, campaign-like clusters and
// duplicates (moderate/*.ts) share one ModerateState; the live connection is wired here.

applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));
void main();

async function main(): Promise<void> {
  const { session, consultationId: id } = await staffStart(byId("gate"), ["moderator", "admin"]);
  showSignedIn(session);
  byId("console").hidden = false;

  const state: ModerateState = {
    id,
    session,
    live: new Live(() => session.token),
    store: new ItemStore(),
    selected: new Set<string>(),
    result: byId("result"),
    currentId: null,
    visible: [],
    pendingFocus: null,
  };
  const { live, store, selected } = state;
  const announcer = new Announcer(byId("live-controls"));
  const conn = byId("conn");
  const panel = mountPanel(state);
  const actions = moderationActions(state, panel, { render: () => queue.render(), setCurrent: (itemId) => queue.setCurrent(itemId) });
  const campaigns = mountCampaigns(state, panel, () => queue.render());
  const queue = mountQueue(state, actions, campaigns, (all) => renderDuplicates(store, all, actions.send));
  const scheduleRender = perFrame(() => queue.render());

  live.onState((connection) => connectionLabel(conn, connection));
  live.connection.on("changes", (cid: string, items: ItemView[], votes: VoteUpdate[] = []) => {
    if (cid !== id) return;
    const changed = store.apply(items);
    const arrivals = changed.filter((i) => i.review?.needsReview && i.seq > 0);
    if (arrivals.length > 0) announcer.say(t("live.new", { n: formatNumber(arrivals.length) }));
    // Compact vote counts come after the full views of the same round.
    store.applyVotes(votes);
    if (campaigns.outdatedBy(items)) campaigns.schedule();
    scheduleRender();
  });
  // Opinion groups are for the dashboard; the console only needs to accept the event quietly.
  live.connection.on("opinion", () => undefined);
  // Status changes and the moderation log are for the public feed and the dashboard; accepted quietly here.
  live.connection.on("consultation", () => undefined);
  live.connection.on("log", () => undefined);
  live.onConnected(async () => {
    const joined = await live.join(id, store);
    byId("c-title").textContent = `${joined.consultation.title} (${joined.consultation.id})`;
    queue.render();
    await campaigns.refresh();
  });
  await live.start();

  for (const input of ["f-status", "f-tag", "f-reason", "f-search"]) byId(input).addEventListener("input", () => queue.render());
  byId<HTMLFormElement>("filters").addEventListener("submit", (e) => e.preventDefault());
  byId<HTMLInputElement>("select-all").addEventListener("change", (e) => {
    const on = (e.target as HTMLInputElement).checked;
    for (const item of state.visible) on ? selected.add(item.id) : selected.delete(item.id);
    queue.render();
  });
  document.querySelectorAll<HTMLButtonElement>("[data-bulk]").forEach((button) =>
    button.addEventListener("click", () => void actions.command(button.dataset.bulk!, actions.targets())),
  );
  setInterval(() => queue.render(), 15_000);
  onLangChange(() => {
    queue.render();
    announcer.render();
    relabelConnection(conn);
  });
  mountShortcuts(state, queue, actions);
}
