import "../styles.css";
import "../staff.css";
import { api, errorCode } from "../lib/api";
import { Announcer } from "../lib/announcer";
import { byId, h, replace } from "../lib/dom";
import { applyStatic, errorText, formatNumber, formatTime, label, mountLanguageSwitch, onLangChange, t, type Key } from "../lib/i18n";
import { ItemStore, Live } from "../lib/live";
import { connectionLabel, itemMeta, statusBadge } from "../lib/render";
import { signOutButton, staffStart } from "../lib/staff";
import { rejectionReasons, type CampaignDecisionRequest, type CampaignDecisionResult, type CampaignLabel, type CampaignView, type ConsultationInfo, type ItemView, type ModerationRequest, type ModerationResult, type VoteUpdate } from "../lib/types";

applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));
void main();

async function main(): Promise<void> {
  const { session, consultationId: id } = await staffStart(byId("gate"), ["moderator", "admin"]);
  byId("who").replaceChildren(`${session.name} · ${t(`role.${session.role}` as Key)} `, signOutButton());
  byId("console").hidden = false;

  const store = new ItemStore();
  const selected = new Set<string>();
  const live = new Live(() => session.token);
  const announcer = new Announcer(byId("live-controls"));
  const conn = byId("conn");
  const queueEl = byId("queue");
  const result = byId("result");
  const panel = byId<HTMLFormElement>("panel");
  let consultation: ConsultationInfo | null = null;
  let currentId: string | null = null;
  let panelApply: (() => Promise<void>) | null = null;
  let visible: ItemView[] = [];
  let pendingFocus: string | null = null;
  let renderQueued = false;
  // Campaign-like clusters, from the server: a live frame labels only the item that just arrived, so the
  // list (and through it the earlier items of a cluster) is fetched again when a new or larger label shows up.
  const campaigns = new Map<string, CampaignView>();
  const campaignOfItem = new Map<string, string>();
  let campaignsQueued = false;

  live.onState((state) => connectionLabel(conn, state));
  live.connection.on("changes", (cid: string, items: ItemView[], votes: VoteUpdate[] = []) => {
    if (cid !== id) return;
    const changed = store.apply(items);
    const arrivals = changed.filter((i) => i.review?.needsReview && i.seq > 0);
    if (arrivals.length > 0) announcer.say(t("live.new", { n: formatNumber(arrivals.length) }));
    // Compact vote counts come after the full views of the same round.
    store.applyVotes(votes);
    if (items.some((i) => i.review?.campaign && (campaigns.get(i.review.campaign.id)?.label.items ?? 0) < i.review.campaign.items)) scheduleCampaigns();
    scheduleRender();
  });
  // Opinion groups are for the dashboard; the console only needs to accept the event quietly.
  live.connection.on("opinion", () => undefined);
  // Status changes and the moderation log are for the public feed and the dashboard; accepted quietly here.
  live.connection.on("consultation", () => undefined);
  live.connection.on("log", () => undefined);
  live.onConnected(async () => {
    const joined = await live.join(id, store);
    consultation = joined.consultation;
    byId("c-title").textContent = `${consultation.title} (${consultation.id})`;
    render();
    await refreshCampaigns();
  });
  await live.start();

  for (const input of ["f-status", "f-tag", "f-reason", "f-search"]) byId(input).addEventListener("input", () => render());
  byId<HTMLFormElement>("filters").addEventListener("submit", (e) => e.preventDefault());
  byId<HTMLInputElement>("select-all").addEventListener("change", (e) => {
    const on = (e.target as HTMLInputElement).checked;
    for (const item of visible) on ? selected.add(item.id) : selected.delete(item.id);
    render();
  });
  document.querySelectorAll<HTMLButtonElement>("[data-bulk]").forEach((button) =>
    button.addEventListener("click", () => void command(button.dataset.bulk!, targets())),
  );
  byId("panel-cancel").addEventListener("click", closePanel);
  panel.addEventListener("submit", async (e) => {
    e.preventDefault();
    const apply = panelApply;
    closePanel();
    await apply?.();
  });
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closePanel();
  });
  setInterval(render, 15_000);
  onLangChange(() => {
    render();
    announcer.render();
    connectionLabel(conn, (conn.dataset.state as "online") ?? "online");
  });

  document.addEventListener("keydown", (e) => {
    const target = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey || target.closest("input, textarea, select, #panel")) return;
    const current = currentId ? store.items.get(currentId) : undefined;
    const handled = (() => {
      switch (e.key) {
        case "j":
        case "ArrowDown":
          move(1);
          return true;
        case "k":
        case "ArrowUp":
          move(-1);
          return true;
        case "x":
          if (current) toggleSelect(current.id);
          return true;
        case "n":
          void next();
          return true;
        case "c":
          void command("claim", targets());
          return true;
        case "a":
          void command("approve", targets());
          return true;
        case "r":
          void command("reject", targets());
          return true;
        case "m":
          void command("merge", targets());
          return true;
        case "t":
          void command("tag", targets());
          return true;
        case "p":
          if (current) void command(current.pinned ? "unpin" : "pin", targets());
          return true;
        case "h":
          if (current) void command(current.highlighted ? "unhighlight" : "highlight", targets());
          return true;
        case "s":
          if (current) openSanction(current);
          return true;
        case "Escape":
          selected.clear();
          render();
          return true;
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  });

  /** Selected items when there are any, else the current one. */
  function targets(): string[] {
    if (selected.size > 0) return [...selected];
    return currentId ? [currentId] : [];
  }

  function move(delta: number): void {
    if (visible.length === 0) return;
    const index = visible.findIndex((i) => i.id === currentId);
    const nextIndex = index < 0 ? 0 : Math.min(visible.length - 1, Math.max(0, index + delta));
    setCurrent(visible[nextIndex].id);
  }

  function setCurrent(itemId: string | null, focus = true): void {
    currentId = itemId;
    queueEl.querySelectorAll<HTMLElement>("[data-item-id]").forEach((row) => {
      const on = row.dataset.itemId === itemId;
      row.setAttribute("aria-current", String(on));
      row.tabIndex = on ? 0 : -1;
      // Roving focus: only the current row's controls are in the Tab order; shortcuts reach the rest.
      row.querySelectorAll<HTMLElement>("button, input, summary").forEach((control) => (control.tabIndex = on ? 0 : -1));
      if (on && focus) row.focus();
    });
  }

  function toggleSelect(itemId: string): void {
    selected.has(itemId) ? selected.delete(itemId) : selected.add(itemId);
    render();
  }

  /** Claims the first unclaimed item in the queue and makes it current. */
  async function next(): Promise<void> {
    const now = Date.now();
    const free = visible.find((i) => i.review?.needsReview && (!i.review.claimedBy || (i.review.claimedByAccount ?? i.review.claimedBy) === session.actor || Date.parse(i.review.claimedUntil ?? "") < now) && i.id !== currentId)
      ?? visible.find((i) => i.review?.needsReview);
    if (!free) return;
    setCurrent(free.id);
    await send({ action: "claim", itemIds: [free.id], leaseSeconds: 120 });
  }

  async function command(action: string, itemIds: string[]): Promise<void> {
    if (itemIds.length === 0) return;
    switch (action) {
      case "reject":
        return openPanel(t("mod.rejectWith"), [reasonField(), noteField()], async () =>
          send({ action, itemIds, reason: (byId<HTMLSelectElement>("p-reason")).value, note: byId<HTMLInputElement>("p-note").value || undefined }),
        );
      case "merge": {
        const suggested = store.items.get(itemIds[0])?.review?.duplicateOf ?? "";
        return openPanel(t("mod.merge"), [field("p-target", t("mod.mergeInto"), h("input", { id: "p-target", required: true, value: suggested, autocomplete: "off" }))], async () =>
          send({ action, itemIds, targetId: byId<HTMLInputElement>("p-target").value.trim() }),
        );
      }
      case "tag": {
        const existing = store.items.get(itemIds[0])?.tags.join(", ") ?? "";
        return openPanel(t("mod.tagAdd"), [field("p-tags", t("mod.tags"), h("input", { id: "p-tags", value: existing, autocomplete: "off" }))], async () =>
          send({ action, itemIds, tags: byId<HTMLInputElement>("p-tags").value.split(",").map((s) => s.trim()).filter(Boolean) }),
        );
      }
      default:
        return send({ action, itemIds, leaseSeconds: action === "claim" ? 120 : undefined });
    }
  }

  async function send(request: ModerationRequest): Promise<void> {
    // Decided items leave the queue: the keyboard moves on to the item after them, whichever of
    // the reply and the live change arrives first.
    const decision = !["claim", "release", "pin", "unpin", "highlight", "unhighlight", "tag"].includes(request.action);
    const following = decision ? followingAfter(request.itemIds) : currentId;
    try {
      const response = live.isOnline
        ? await live.connection.invoke<ModerationResult>("Moderate", id, request)
        : await api<ModerationResult>(`/api/consultations/${id}/moderation`, { method: "POST", token: session.token, body: request });
      const failed = response.items.filter((o) => !o.ok);
      result.textContent = t("mod.done", { n: formatNumber(response.items.length - failed.length), f: formatNumber(failed.length) }) +
        (failed.length > 0 ? ` — ${failed.map((o) => `${o.itemId}: ${errorText(o.error ?? "generic")}`).join("; ")}` : "");
      if (request.action !== "claim" && request.action !== "release") selected.clear();
      pendingFocus = failed.length > 0 ? currentId : following;
      const expected = pendingFocus;
      setTimeout(() => {
        if (pendingFocus === expected) pendingFocus = null;
      }, 5000);
      render();
    } catch (error) {
      result.textContent = errorText(errorCode(error));
    }
  }

  function followingAfter(decided: string[]): string | null {
    if (currentId && !decided.includes(currentId)) return currentId;
    const index = visible.findIndex((i) => i.id === currentId);
    const following = visible.slice(index + 1).find((i) => !decided.includes(i.id)) ?? visible.slice(0, Math.max(index, 0)).reverse().find((i) => !decided.includes(i.id));
    return following?.id ?? null;
  }

  function scheduleCampaigns(): void {
    if (campaignsQueued) return;
    campaignsQueued = true;
    setTimeout(() => {
      campaignsQueued = false;
      void refreshCampaigns();
    }, 300);
  }

  async function refreshCampaigns(): Promise<void> {
    try {
      const views = live.isOnline
        ? await live.connection.invoke<CampaignView[]>("Campaigns", id)
        : await api<CampaignView[]>(`/api/consultations/${id}/campaigns`, { token: session.token });
      campaigns.clear();
      campaignOfItem.clear();
      for (const view of views) {
        campaigns.set(view.label.id, view);
        for (const itemId of view.pendingItemIds) campaignOfItem.set(itemId, view.label.id);
      }
      render();
    } catch {
      // The labels are an aid: without them the queue still works, and the next label tries again.
    }
  }

  /** The item's campaign label: its own (live) or its cluster's latest. */
  function campaignOf(item: ItemView): CampaignLabel | null {
    const clusterId = item.review?.campaign?.id ?? campaignOfItem.get(item.id);
    return (clusterId ? campaigns.get(clusterId)?.label : undefined) ?? item.review?.campaign ?? null;
  }

  function campaignBadge(label: CampaignLabel): HTMLElement {
    const minutes = Math.max(1, Math.round((Date.parse(label.lastAt) - Date.parse(label.firstAt)) / 60_000));
    return h("span", { class: "badge campaign", "data-testid": "campaign-badge", title: t("mod.campaignHint") }, t("mod.campaign", { n: formatNumber(label.citizens), minutes: formatNumber(minutes) }));
  }

  function pendingOf(clusterId: string): string[] {
    return (campaigns.get(clusterId)?.pendingItemIds ?? []).filter((itemId) => store.items.get(itemId)?.review?.needsReview ?? true);
  }

  function campaignButton(clusterId: string): HTMLElement {
    return h("button", { type: "button", class: "small", tabindex: -1, "data-campaign": clusterId, onclick: () => openCampaignDecision(clusterId) },
      t("mod.campaignDecide", { n: formatNumber(pendingOf(clusterId).length) }));
  }

  /** One decision, approve or reject with a reason, for every waiting item of a campaign-like cluster. */
  function openCampaignDecision(clusterId: string): void {
    const action = h("select", { id: "p-campaign-action" },
      h("option", { value: "reject" }, t("mod.reject")),
      h("option", { value: "approve" }, t("mod.approve")));
    const reason = reasonField();
    action.addEventListener("change", () => (reason.hidden = action.value !== "reject"));
    openPanel(t("mod.campaignDecideTitle", { n: formatNumber(pendingOf(clusterId).length), id: clusterId }), [field("p-campaign-action", t("mod.campaignAction"), action), reason, noteField()], async () => {
      const request: CampaignDecisionRequest = {
        action: action.value as "approve" | "reject",
        reason: action.value === "reject" ? byId<HTMLSelectElement>("p-reason").value : undefined,
        note: byId<HTMLInputElement>("p-note").value || undefined,
      };
      try {
        const response = live.isOnline
          ? await live.connection.invoke<CampaignDecisionResult>("DecideCampaign", id, clusterId, request)
          : await api<CampaignDecisionResult>(`/api/consultations/${id}/campaigns/${encodeURIComponent(clusterId)}/decision`, { method: "POST", token: session.token, body: request });
        const failed = response.items.filter((o) => !o.ok);
        result.textContent = t("mod.done", { n: formatNumber(response.items.length - failed.length), f: formatNumber(failed.length) }) +
          (failed.length > 0 ? ` — ${failed.map((o) => `${o.itemId}: ${errorText(o.error ?? "generic")}`).join("; ")}` : "") +
          (response.remaining > 0 ? ` ${t("mod.campaignRemaining", { n: formatNumber(response.remaining) })}` : "");
      } catch (error) {
        result.textContent = errorText(errorCode(error));
      }

      await refreshCampaigns();
    });
  }

  function renderCampaigns(): void {
    const open = [...campaigns.values()].filter((view) => pendingOf(view.label.id).length > 0);
    replace(
      byId("campaigns"),
      open.length === 0
        ? h("li", { class: "muted small" }, t("mod.campaignNone"))
        : open.map((view) =>
            h("li", { class: "card small", "data-campaign-id": view.label.id },
              h("p", {}, campaignBadge(view.label), " ", h("code", {}, view.label.id)),
              h("p", {}, store.items.get(pendingOf(view.label.id)[0])?.text.slice(0, 120) ?? ""),
              h("button", { type: "button", class: "small", onclick: () => openCampaignDecision(view.label.id) }, t("mod.campaignDecide", { n: formatNumber(pendingOf(view.label.id).length) })),
            ),
          ),
    );
  }

  function openSanction(item: ItemView): void {
    openPanel(t("mod.sanction"), [
      field("p-kind", t("mod.sanctionKind"), h("select", { id: "p-kind" }, h("option", { value: "mute" }, t("mod.mute")), h("option", { value: "ban" }, t("mod.ban")))),
      reasonField(),
      field("p-minutes", t("mod.minutes"), h("input", { id: "p-minutes", type: "number", min: 1, max: 525600, inputmode: "numeric" })),
    ], async () => {
      const minutes = byId<HTMLInputElement>("p-minutes").value;
      try {
        await api(`/api/consultations/${id}/sanctions`, {
          method: "POST",
          token: session.token,
          body: { itemId: item.id, kind: byId<HTMLSelectElement>("p-kind").value, reason: byId<HTMLSelectElement>("p-reason").value, minutes: minutes ? Number(minutes) : undefined },
        });
        result.textContent = t("mod.done", { n: 1, f: 0 });
      } catch (error) {
        result.textContent = errorText(errorCode(error));
      }
    });
  }

  function reasonField(): HTMLElement {
    return field("p-reason", t("mod.reject"), h("select", { id: "p-reason" }, rejectionReasons.map((r, i) => h("option", { value: r }, `${i + 1}. ${label("reason", r)}`))));
  }

  function noteField(): HTMLElement {
    return field("p-note", t("mine.note", { note: "" }).replace(/[:：]\s*$/, ""), h("input", { id: "p-note", maxlength: 1000, autocomplete: "off" }));
  }

  function field(inputId: string, text: string, control: HTMLElement): HTMLElement {
    return h("div", { class: "stack" }, h("label", { for: inputId }, text), control);
  }

  function openPanel(title: string, fields: HTMLElement[], apply: () => Promise<void>): void {
    byId("panel-h").textContent = title;
    replace(byId("panel-fields"), fields);
    panelApply = apply;
    panel.hidden = false;
    const first = panel.querySelector<HTMLElement>("select, input");
    first?.focus();
    // Digits pick a rejection reason straight away.
    const reason = panel.querySelector<HTMLSelectElement>("#p-reason");
    reason?.addEventListener("keydown", (e) => {
      const n = Number(e.key);
      if (n >= 1 && n <= rejectionReasons.length) {
        e.preventDefault();
        reason.value = rejectionReasons[n - 1];
      }
    });
  }

  function closePanel(): void {
    panel.hidden = true;
    panelApply = null;
    const row = currentId ? queueEl.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(currentId)}"]`) : null;
    row?.focus();
  }

  function scheduleRender(): void {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      render();
    });
  }

  function filtered(): ItemView[] {
    const status = byId<HTMLSelectElement>("f-status").value;
    const tag = byId<HTMLSelectElement>("f-tag").value;
    const reason = byId<HTMLSelectElement>("f-reason").value;
    const search = byId<HTMLInputElement>("f-search").value.trim().toLowerCase();
    return [...store.items.values()]
      .filter((i) => (status === "queue" ? i.review?.needsReview : status === "all" || i.status === status))
      .filter((i) => !tag || i.tags.includes(tag))
      .filter((i) => !reason || i.review?.triageReason === reason)
      .filter((i) => !search || i.text.toLowerCase().includes(search) || i.author.toLowerCase().includes(search) || i.id === search)
      .sort((a, b) => (b.review?.triageScore ?? 0) - (a.review?.triageScore ?? 0) || a.createdAt.localeCompare(b.createdAt));
  }

  function renderOptions(select: HTMLSelectElement, values: string[]): void {
    const value = select.value;
    replace(select, h("option", { value: "" }, t("mod.any")), values.sort().map((v) => h("option", { value: v }, v)));
    select.value = values.includes(value) ? value : "";
  }

  function render(): void {
    const all = [...store.items.values()];
    renderOptions(byId("f-tag"), [...new Set(all.flatMap((i) => i.tags))]);
    renderOptions(byId("f-reason"), [...new Set(all.map((i) => i.review?.triageReason).filter((r): r is string => !!r))]);
    visible = filtered();
    for (const itemId of [...selected]) if (!store.items.has(itemId)) selected.delete(itemId);
    byId("selected-count").textContent = t("mod.selected", { n: formatNumber(selected.size) });
    const hadFocus = queueEl.contains(document.activeElement);
    if (pendingFocus && !visible.some((i) => i.id === pendingFocus)) pendingFocus = null;
    if (pendingFocus && !visible.some((i) => i.id === currentId)) currentId = pendingFocus;
    if (!visible.some((i) => i.id === currentId)) currentId = visible[0]?.id ?? null;
    replace(queueEl, visible.length === 0 ? h("li", { class: "muted" }, t("mod.empty")) : visible.map(row));
    setCurrent(currentId, hadFocus || pendingFocus !== null);
    if (currentId === pendingFocus) pendingFocus = null;
    renderCampaigns();
    renderDuplicates(all);
  }

  function row(item: ItemView): HTMLElement {
    const review = item.review;
    const now = Date.now();
    const claimed = review?.claimedBy && review.claimedUntil && Date.parse(review.claimedUntil) > now ? review : null;
    const campaign = review?.needsReview ? campaignOf(item) : null;
    const checkbox = h("input", { type: "checkbox", "aria-label": `${t("mod.select")}: ${item.text.slice(0, 60)}`, tabindex: -1 });
    checkbox.checked = selected.has(item.id);
    checkbox.addEventListener("change", () => toggleSelect(item.id));
    const button = (action: string, key: Key, cls = "small secondary") =>
      h("button", { type: "button", class: cls, tabindex: -1, onclick: () => { setCurrent(item.id, false); void command(action, [item.id]); } }, t(key));
    const li = h(
      "li",
      { class: "card row-item", "data-item-id": item.id, tabindex: -1, "aria-current": "false", "aria-label": item.text.slice(0, 80) },
      checkbox,
      h(
        "div",
        {},
        h("p", { class: "row small" }, statusBadge(item.status), h("code", {}, item.id), item.pinned ? h("span", { class: "badge" }, t("item.pinned")) : null,
          item.highlighted ? h("span", { class: "badge live" }, t("item.highlighted")) : null, campaign ? campaignBadge(campaign) : null, item.tags.map((tag) => h("span", { class: "badge" }, `#${tag}`))),
        h("p", { class: "item-text", "data-testid": "item-text" }, item.text),
        itemMeta(item),
        review ? h("p", { class: "small triage" }, t("mod.triage", { score: formatNumber(Math.round(review.triageScore * 100) / 100), reason: review.triageReason })) : null,
        claimed ? h("p", { class: `small claim${(claimed.claimedByAccount ?? claimed.claimedBy) === session.actor ? " me" : ""}` },
          (claimed.claimedByAccount ?? claimed.claimedBy) === session.actor ? t("mod.claimedByMe", { time: formatTime(claimed.claimedUntil!) }) : t("mod.claimedBy", { name: claimed.claimedBy!, time: formatTime(claimed.claimedUntil!) })) : null,
        review?.duplicateOf ? h("p", { class: "small" }, t("mod.duplicateOf", { id: review.duplicateOf }), " — ", store.items.get(review.duplicateOf)?.text.slice(0, 80) ?? "") : null,
        review?.appealText ? h("p", { class: "small" }, t("mod.appeal", { text: review.appealText })) : null,
        item.status === "rejected" && item.rejectionReason ? h("p", { class: "small" }, t("mine.reason", { reason: label("reason", item.rejectionReason) })) : null,
        h("div", { class: "actions" },
          button((claimed?.claimedByAccount ?? claimed?.claimedBy) === session.actor ? "release" : "claim", (claimed?.claimedByAccount ?? claimed?.claimedBy) === session.actor ? "mod.release" : "mod.claim"),
          button("approve", "mod.approve", "small"),
          button("reject", "mod.reject", "small danger"),
          campaign ? campaignButton(campaign.id) : null,
          h("details", { class: "more" },
            h("summary", { tabindex: -1 }, t("mod.more")),
            h("div", { class: "actions" },
              button("merge", "mod.merge"),
              button("tag", "mod.tagAdd"),
              button(item.pinned ? "unpin" : "pin", item.pinned ? "mod.unpin" : "mod.pin"),
              button(item.highlighted ? "unhighlight" : "highlight", "mod.highlight"),
              button("archive", "mod.archive"),
              h("button", { type: "button", class: "small secondary", tabindex: -1, onclick: () => openSanction(item) }, t("mod.sanction")),
            ),
          ),
        ),
      ),
    );
    li.addEventListener("click", (e) => {
      if (!(e.target as HTMLElement).closest("button, input")) setCurrent(item.id);
    });
    return li;
  }

  function renderDuplicates(all: ItemView[]): void {
    const groups = new Map<string, ItemView[]>();
    for (const item of all) {
      const target = item.review?.needsReview ? item.review.duplicateOf : null;
      if (target) groups.set(target, [...(groups.get(target) ?? []), item]);
    }
    replace(
      byId("dups"),
      groups.size === 0
        ? h("li", { class: "muted small" }, t("mod.dupNone"))
        : [...groups].map(([target, dups]) =>
            h("li", { class: "card small" },
              h("p", {}, h("code", {}, target), " ", store.items.get(target)?.text ?? ""),
              h("ul", {}, dups.map((d) => h("li", {}, h("code", {}, d.id), " ", d.text))),
              h("button", { type: "button", class: "small", onclick: () => void send({ action: "merge", itemIds: dups.map((d) => d.id), targetId: target }) }, t("mod.mergeGroup")),
            ),
          ),
    );
  }
}
