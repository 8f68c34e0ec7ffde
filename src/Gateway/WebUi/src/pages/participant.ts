import "../styles.css";
import { api, consultationFromUrl, errorCode, participantToken } from "../lib/api";
import { admit } from "../lib/admission";
import { mountDataRights } from "../lib/data-rights";
import { mountSegmentQuestions } from "../lib/segments";
import { Announcer } from "../lib/announcer";
import { byId, h, newClientId, replace, store } from "../lib/dom";
import { applyStatic, errorText, formatNumber, label, mountLanguageSwitch, onLangChange, relativeTime, t, type Key } from "../lib/i18n";
import { ItemStore, Live } from "../lib/live";
import { answerBlock, connectionLabel, itemMeta, itemText, keepFocus, statusBadge } from "../lib/render";
import type { ConsultationInfo, ConsultationSummary, ItemView, Notification, OpinionGroupView, OpinionPosition, OpinionView, SubmitItemResponse, VoteUpdate } from "../lib/types";

type Sort = "popular" | "recent" | "trending";
const PageSize = 50;
interface Pending {
  clientId: string;
  text: string;
}

const consultationId = consultationFromUrl();
applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));

if (consultationId) void openConsultation(consultationId);
else void showJoin();

async function showJoin(): Promise<void> {
  byId("join-view").hidden = false;
  const form = byId<HTMLFormElement>("join-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = byId<HTMLInputElement>("join-code").value.trim().toLowerCase();
    location.search = `?c=${encodeURIComponent(code)}`;
  });
  const list = byId("open-list");
  const render = (all: ConsultationSummary[]) => {
    const open = all.filter((c) => c.status === "open");
    replace(list, open.length === 0 ? h("li", { class: "muted" }, t("join.none")) : open.map((c) => h("li", {}, h("a", { href: `/?c=${c.id}` }, c.title), " ", h("code", {}, c.id))));
  };
  try {
    const all = await api<ConsultationSummary[]>("/api/consultations");
    render(all);
    onLangChange(() => render(all));
  } catch {
    replace(list, h("li", { class: "error" }, t("error.generic")));
  }
}

async function openConsultation(id: string): Promise<void> {
  const view = byId("consultation-view");
  await admit(id);
  const token = await participantToken();
  const live = new Live(participantToken);
  const items = new ItemStore();
  const mine = new ItemStore();
  const myIds = new Set<string>();
  const myVotes = store<Record<string, number>>(`dialogue.votes.${id}`, {});
  const draft = store<string>(`dialogue.draft.${id}`, "");
  const pending = store<Pending | null>(`dialogue.pending.${id}`, null);
  let consultation: ConsultationInfo | null = null;
  let notifications: Notification[] = [];
  let sort: Sort = "popular";
  let trendingOrder: string[] = [];
  let sending = false;
  let shown = PageSize;
  let renderQueued = false;
  let statusKey: Key | null = null;
  let statusError: string | null = null;
  // Deliberation only: the participant's place among the opinion groups (no map on the phone) and
  // the statement the server suggests next (undefined: not asked yet; null: none left).
  let groups: OpinionGroupView[] = [];
  let you: OpinionPosition | null = null;
  let opinionVersion = -1;
  let nextId: string | null | undefined;
  let opinionTimer = 0;
  let opinionDue = 0;
  let lastOpinionFetch = 0;

  const announcer = new Announcer(byId("live-controls"));
  const conn = byId("conn");
  const text = byId<HTMLTextAreaElement>("ask-text");
  const status = byId("ask-status");
  const sendButton = byId<HTMLButtonElement>("ask-send");

  live.onState((state) => connectionLabel(conn, state));
  connectionLabel(conn, "reconnecting");

  // Typed text lives on the device until the server has acknowledged it.
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

  live.connection.on("changes", (cid: string, changed: ItemView[], votes: VoteUpdate[] = []) => {
    if (cid !== id) return;
    const fresh = items.apply(changed.filter((i) => !myIds.has(i.id) || i.visible));
    mine.apply(changed.filter((i) => myIds.has(i.id)));
    const newlyVisible = fresh.filter((i) => i.visible && i.seq > 0 && !myIds.has(i.id));
    if (newlyVisible.length > 0) announcer.say(t("live.new", { n: formatNumber(newlyVisible.length) }));
    // Nothing was left to vote on, or the suggestion was withdrawn: ask again.
    if ((nextId === null && newlyVisible.length > 0) || (nextId && fresh.some((i) => i.id === nextId && !i.visible))) void refreshNext();
    // Compact vote counts come after the full views of the same round.
    items.applyVotes(votes);
    mine.applyVotes(votes);
    scheduleRender();
  });
  live.connection.on("opinion", (view: OpinionView) => {
    if (view.consultationId !== id || view.version < opinionVersion) return;
    // The pushed view has no "you": keep the group sizes, ask for the own position later (throttled).
    groups = view.groups;
    opinionVersion = view.version;
    renderOpinion();
    scheduleOpinion(false);
  });
  // A status change (closed, reopened) shows on the next load; accepted quietly until then.
  live.connection.on("consultation", () => undefined);
  live.connection.on("notification", (n: Notification) => {
    if (n.consultationId !== id) return;
    notifications = [n, ...notifications.filter((x) => x.id !== n.id)];
    announcer.say(notificationText(n));
    renderNotifications();
    void loadMine();
  });
  live.onConnected(async () => {
    const joined = await live.join(id, items);
    for (const item of joined.items) if (myIds.has(item.id)) mine.apply([item]);
    consultation = joined.consultation;
    renderHeader();
    scheduleRender();
    if (consultation.mode === "deliberation") {
      void refreshOpinion();
      if (nextId === undefined) void refreshNext();
    }
    await sendPending();
  });

  try {
    consultation = await api<ConsultationInfo>(`/api/consultations/${id}`);
  } catch {
    byId("join-view").hidden = false;
    byId("join-error").textContent = t("join.notFound");
    void showJoin();
    return;
  }
  view.hidden = false;
  renderHeader();
  mountSegmentQuestions(id);
  mountDataRights(() => {
    // Every vote was withdrawn on the server: forget them here too, in every consultation.
    try {
      for (const key of Object.keys(localStorage)) if (key.startsWith("dialogue.votes.")) localStorage.removeItem(key);
    } catch {
      // Storage unavailable: nothing was kept.
    }
    // The texts arrive as erased items through the hub; ask for the own items again for their status.
    void loadMine();
    renderItems();
  });
  await Promise.all([loadMine(), loadNotifications(token)]);
  await live.start();

  const sortSelect = byId<HTMLSelectElement>("sort");
  sortSelect.addEventListener("change", () => {
    sort = sortSelect.value as Sort;
    void refreshTrending();
    renderItems();
  });

  onLangChange(() => {
    renderHeader();
    renderItems();
    renderMine();
    renderNotifications();
    renderOpinion();
    announcer.render();
    setStatus(statusKey, statusError);
    connectionLabel(conn, (conn.dataset.state as "online") ?? "online");
  });

  async function loadMine(): Promise<void> {
    try {
      const own = await api<ItemView[]>(`/api/consultations/${id}/my-items`, { token: await participantToken() });
      own.forEach((i) => myIds.add(i.id));
      mine.apply(own);
      renderMine();
    } catch {
      // Offline: the hub brings own items once connected again.
    }
  }

  async function loadNotifications(bearer: string): Promise<void> {
    try {
      const all = await api<Notification[]>("/api/me/notifications", { token: bearer });
      notifications = all.filter((n) => n.consultationId === id && !n.read);
      renderNotifications();
    } catch {
      // Not fatal: notifications also arrive live.
    }
  }

  let trendingTimer = 0;
  function scheduleTrending(): void {
    // In a busy hall changes arrive many times a second: ask the server for the order at most every 2 s.
    if (sort !== "trending" || trendingTimer) return;
    trendingTimer = window.setTimeout(() => {
      trendingTimer = 0;
      void refreshTrending();
    }, 2000);
  }

  async function refreshTrending(): Promise<void> {
    if (sort !== "trending") return;
    try {
      const ranked = await api<ItemView[]>(`/api/consultations/${id}/ranking?sort=trending&pinnedFirst=true&limit=200`);
      trendingOrder = ranked.map((i) => i.id);
      renderItems();
    } catch {
      // Keep the last order.
    }
  }

  function scheduleRender(): void {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      renderItems();
      renderMine();
      renderOpinion();
    });
    scheduleTrending();
  }

  async function refreshOpinion(): Promise<void> {
    lastOpinionFetch = Date.now();
    try {
      const view = live.isOnline
        ? await live.connection.invoke<OpinionView>("OpinionGroups", id)
        : await api<OpinionView>(`/api/consultations/${id}/opinion-groups`, { token: await participantToken() });
      if (view.version >= opinionVersion) {
        groups = view.groups;
        opinionVersion = view.version;
      }
      you = view.you;
      renderOpinion();
    } catch {
      // Offline: the next vote or recomputation asks again.
    }
  }

  /**
   * The own position is asked for soon after an own vote (at most every 3 s) and, after a pushed
   * recomputation, at most every 15 s with a random delay, so a hall of phones does not ask at once.
   */
  function scheduleOpinion(afterVote: boolean): void {
    const now = Date.now();
    const due = Math.max(now + (afterVote ? 800 : 2000 + Math.random() * 3000), lastOpinionFetch + (afterVote ? 3000 : 15_000));
    if (opinionTimer && opinionDue <= due) return;
    clearTimeout(opinionTimer);
    opinionDue = due;
    opinionTimer = window.setTimeout(() => {
      opinionTimer = 0;
      void refreshOpinion();
    }, due - now);
  }

  async function refreshNext(attempt = 0): Promise<void> {
    try {
      const next = await api<{ itemId: string | null }>(`/api/consultations/${id}/opinion-groups/next`, { token: await participantToken() });
      // A vote reaches the analysis a moment after its acknowledgement: a just-voted suggestion means "ask again shortly".
      if (next.itemId !== null && next.itemId in myVotes.get() && attempt < 3) {
        setTimeout(() => void refreshNext(attempt + 1), 400 * (attempt + 1));
        return;
      }
      if (next.itemId !== nextId) {
        nextId = next.itemId;
        renderItems();
        renderOpinion();
      }
    } catch {
      // Keep the last suggestion.
    }
  }

  function renderOpinion(): void {
    const section = byId("opinion-section");
    section.hidden = consultation?.mode !== "deliberation";
    if (section.hidden) return;
    const closest = you?.closestGroupId ?? null;
    const group = groups.find((g) => g.id === closest);
    byId("you-group").textContent =
      closest === null
        ? groups.length === 0 ? t("op.none") : t("op.youNone")
        : t("op.you", { group: t("op.group", { n: formatNumber(closest + 1) }) + (group ? ` (${t("op.members", { n: formatNumber(group.members) })})` : "") });
    byId("you-hint").textContent = closest !== null && you && !you.inAnalysis ? t("op.youMore") : "";

    const item = nextId ? items.items.get(nextId) : undefined;
    keepFocus(() =>
      replace(
        byId("next-card"),
        nextId === null
          ? h("p", { class: "small" }, t("op.nextNone"))
          : item && item.visible
            ? [
                h("h3", {}, t("op.next")),
                itemText(item),
                votes(item, "next"),
                h("button", { type: "button", class: "secondary small", "data-focus-key": "next:go", onclick: () => showInList(item.id) }, t("op.nextGo")),
              ]
            : null,
      ),
    );
  }

  /** Scrolls to the suggested statement in the list (paging on if it is not rendered yet) and focuses it. */
  function showInList(itemId: string): void {
    const index = sorted().findIndex((i) => i.id === itemId);
    if (index >= shown) shown = Math.ceil((index + 1) / PageSize) * PageSize;
    renderItems();
    const li = byId("items").querySelector<HTMLElement>(`li[data-item-id="${CSS.escape(itemId)}"]`);
    if (!li) return;
    li.tabIndex = -1;
    li.scrollIntoView({ block: "center" });
    li.focus();
  }

  function renderHeader(): void {
    if (!consultation) return;
    byId("c-title").textContent = consultation.title;
    byId("c-desc").textContent = consultation.description;
    byId("ask-label").textContent = t(consultation.mode === "qa" ? "ask.label.qa" : "ask.label.deliberation");
    document.title = `${consultation.title} · ${t("app.name")}`;
  }

  function sorted(): ItemView[] {
    const visible = [...items.items.values()].filter((i) => i.visible);
    if (sort === "trending" && trendingOrder.length > 0) {
      const rank = new Map(trendingOrder.map((itemId, index) => [itemId, index]));
      return visible.sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || b.createdAt.localeCompare(a.createdAt));
    }
    const score = (i: ItemView) => (consultation?.mode === "qa" ? i.votes.up : i.votes.agree - i.votes.disagree);
    return visible.sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        (sort === "popular" ? score(b) - score(a) : 0) ||
        b.createdAt.localeCompare(a.createdAt),
    );
  }

  function renderItems(): void {
    const list = sorted();
    // A cheap phone stays responsive in a hall with thousands of posts: render a page at a time.
    const page = list.slice(0, shown);
    const more = list.length - page.length;
    keepFocus(() =>
      replace(
        byId("items"),
        list.length === 0
          ? h("li", { class: "muted" }, t("list.empty"))
          : page.map((item) => h("li", { class: item.id === nextId ? "card item suggested" : "card item", "data-item-id": item.id }, itemBody(item))),
        more > 0
          ? h("li", {}, h("button", { type: "button", class: "secondary", "data-focus-key": "more", onclick: () => { shown += PageSize; renderItems(); } }, t("list.more", { n: formatNumber(more) })))
          : null,
      ),
    );
  }

  function itemBody(item: ItemView): Node[] {
    const suggested = item.id === nextId;
    return [
      item.pinned || item.highlighted || suggested
        ? h("p", { class: "flags small" },
            item.pinned ? h("span", { class: "badge" }, t("item.pinned")) : null,
            item.highlighted ? h("span", { class: "badge live" }, t("item.highlighted")) : null,
            suggested ? h("span", { class: "badge", "data-testid": "next-badge" }, t("op.nextBadge")) : null)
        : document.createTextNode(""),
      itemText(item),
      itemMeta(item),
      votes(item),
      item.answer ? answerBlock(item.answer) : document.createTextNode(""),
    ];
  }

  /** Vote buttons; "where" keeps focus keys apart when the same item shows twice (the suggestion card and the list). */
  function votes(item: ItemView, where = "list"): HTMLElement {
    const mineVote = myVotes.get()[item.id];
    if (consultation?.mode === "deliberation") {
      const button = (value: number, key: Key, count: number) =>
        h(
          "button",
          { type: "button", class: "vote secondary small", "aria-pressed": String(mineVote === value), "data-focus-key": where === "next" ? `next:${value}` : `${item.id}:${value}`, onclick: () => void vote(item, value) },
          `${t(key)} (${formatNumber(count)})`,
        );
      return h("div", { class: "row votes", role: "group", "aria-label": t("item.voteGroup") },
        button(1, "item.agree", item.votes.agree), button(-1, "item.disagree", item.votes.disagree), button(0, "item.pass", item.votes.pass));
    }
    const up = mineVote === 1;
    return h(
      "div",
      { class: "row votes" },
      h(
        "button",
        { type: "button", class: "vote secondary small", "aria-pressed": String(up), "data-focus-key": `${item.id}:up`, onclick: () => void vote(item, up ? 0 : 1) },
        up ? t("item.upvoted") : t("item.upvote"),
      ),
      h("span", { class: "small", "data-testid": "votes" }, t("item.votes", { n: formatNumber(item.votes.up) })),
    );
  }

  async function vote(item: ItemView, value: number): Promise<void> {
    try {
      const result = live.isOnline
        ? await live.connection.invoke<{ value: number; seq: number; tally: ItemView["votes"] }>("Vote", id, item.id, value)
        : await api<{ value: number; seq: number; tally: ItemView["votes"] }>(`/api/consultations/${id}/items/${item.id}/votes`, { method: "POST", token: await participantToken(), body: { value } });
      myVotes.set({ ...myVotes.get(), [item.id]: value });
      const known = items.items.get(item.id);
      if (known && result.seq >= known.seq) items.items.set(item.id, { ...known, votes: result.tally, seq: result.seq });
      renderItems();
      renderOpinion();
      if (consultation?.mode === "deliberation") {
        scheduleOpinion(true);
        await refreshNext();
      }
    } catch (error) {
      announcer.say(errorText(errorCode(error)));
    }
  }

  function renderMine(): void {
    const own = [...mine.items.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    keepFocus(() =>
      replace(
        byId("mine"),
        own.length === 0
          ? h("li", { class: "muted" }, t("mine.empty"))
          : own.map((item) =>
              h(
                "li",
                { class: "card item mine", "data-item-id": item.id },
                h("p", { class: "row small" }, statusBadge(item.status)),
                itemText(item),
                item.status === "rejected" && item.rejectionReason
                  ? h("p", { class: "reason", "data-testid": "reason" }, t("mine.reason", { reason: label("reason", item.rejectionReason) }))
                  : null,
                item.status === "rejected" && item.rejectionNote ? h("p", { class: "small" }, t("mine.note", { note: item.rejectionNote })) : null,
                item.status === "rejected" ? appeal(item) : null,
                item.answer ? answerBlock(item.answer) : null,
              ),
            ),
      ),
    );
  }

  // An open appeal form and its draft survive the re-render a live update causes.
  const appealsOpen = new Set<string>();
  const appealDrafts = new Map<string, string>();

  function appeal(item: ItemView): HTMLElement {
    if (item.appealed) return h("p", { class: "small" }, t("mine.appealed"));
    const areaId = `appeal-${item.id}`;
    const area = h("textarea", { id: areaId, rows: 2, maxlength: 1000, "data-focus-key": `appeal-text:${item.id}` });
    area.value = appealDrafts.get(item.id) ?? "";
    area.addEventListener("input", () => appealDrafts.set(item.id, area.value));
    const form = h(
      "form",
      { class: "stack appeal", hidden: !appealsOpen.has(item.id) },
      h("label", { for: areaId }, t("mine.appealText")),
      area,
      h("button", { type: "submit" }, t("mine.appealSend")),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const updated = live.isOnline
          ? await live.connection.invoke<ItemView>("Appeal", id, item.id, area.value || null)
          : await api<ItemView>(`/api/consultations/${id}/items/${item.id}/appeal`, { method: "POST", token: await participantToken(), body: { text: area.value } });
        mine.apply([{ ...updated, appealed: true, seq: Math.max(updated.seq, item.seq) }]);
        mine.items.set(item.id, { ...(mine.items.get(item.id) ?? updated), appealed: true });
        appealsOpen.delete(item.id);
        appealDrafts.delete(item.id);
        renderMine();
      } catch (error) {
        announcer.say(errorText(errorCode(error)));
      }
    });
    const open = h("button", { type: "button", class: "secondary small", "aria-expanded": String(!form.hidden), "data-focus-key": `appeal:${item.id}` }, t("mine.appeal"));
    open.addEventListener("click", () => {
      form.hidden = !form.hidden;
      if (form.hidden) appealsOpen.delete(item.id);
      else appealsOpen.add(item.id);
      open.setAttribute("aria-expanded", String(!form.hidden));
      if (!form.hidden) area.focus();
    });
    return h("div", {}, open, form);
  }

  function notificationText(n: Notification): string {
    return label("notif", n.kind) || n.kind;
  }

  function renderNotifications(): void {
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
                renderNotifications();
                await api(`/api/me/notifications/${n.id}/read`, { method: "POST", token: await participantToken() }).catch(() => undefined);
              },
            },
            t("notif.read"),
          ),
        ),
      ),
    );
  }
}
