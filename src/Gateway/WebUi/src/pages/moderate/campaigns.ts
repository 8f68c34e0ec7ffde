import { api, errorCode } from "../../lib/api";
import { byId, h, replace } from "../../lib/dom";
import { errorText, formatNumber, t } from "../../lib/i18n";
import type { CampaignDecisionRequest, CampaignDecisionResult, CampaignLabel, CampaignView, ItemView } from "../../lib/types";
import { outcomeText } from "./actions";
import { field, noteField, reasonField, type SidePanel } from "./panel";
import type { ModerateState } from "./state";

export interface Campaigns {
  /** True when a live frame shows a new cluster or a larger one than the list knows: the list is read again. */
  outdatedBy(items: ItemView[]): boolean;
  /** Reads the list again soon (300 ms, once for a burst of frames). */
  schedule(): void;
  refresh(): Promise<void>;
  /** The item's campaign label: its own (live) or its cluster's latest. */
  labelOf(item: ItemView): CampaignLabel | null;
  badge(label: CampaignLabel): HTMLElement;
  /** "Decide for all n waiting" on a row of the queue. */
  button(clusterId: string): HTMLElement;
  render(): void;
}

/**
 * Campaign-like clusters, from the server: a live frame labels only the item that just arrived, so the
 * list (and through it the earlier items of a cluster) is fetched again when a new or larger label shows up.
 */
export function mountCampaigns(state: ModerateState, panel: SidePanel, renderQueue: () => void): Campaigns {
  const { id, session, live, store, result } = state;
  const campaigns = new Map<string, CampaignView>();
  const campaignOfItem = new Map<string, string>();
  let campaignsQueued = false;

  function outdatedBy(items: ItemView[]): boolean {
    return items.some((i) => i.review?.campaign && (campaigns.get(i.review.campaign.id)?.label.items ?? 0) < i.review.campaign.items);
  }

  function schedule(): void {
    if (campaignsQueued) return;
    campaignsQueued = true;
    setTimeout(() => {
      campaignsQueued = false;
      void refresh();
    }, 300);
  }

  async function refresh(): Promise<void> {
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
      renderQueue();
    } catch {
      // The labels are an aid: without them the queue still works, and the next label tries again.
    }
  }

  function labelOf(item: ItemView): CampaignLabel | null {
    const clusterId = item.review?.campaign?.id ?? campaignOfItem.get(item.id);
    return (clusterId ? campaigns.get(clusterId)?.label : undefined) ?? item.review?.campaign ?? null;
  }

  function badge(label: CampaignLabel): HTMLElement {
    const minutes = Math.max(1, Math.round((Date.parse(label.lastAt) - Date.parse(label.firstAt)) / 60_000));
    return h("span", { class: "badge campaign", "data-testid": "campaign-badge", title: t("mod.campaignHint") }, t("mod.campaign", { n: formatNumber(label.citizens), minutes: formatNumber(minutes) }));
  }

  function pendingOf(clusterId: string): string[] {
    return (campaigns.get(clusterId)?.pendingItemIds ?? []).filter((itemId) => store.items.get(itemId)?.review?.needsReview ?? true);
  }

  function button(clusterId: string): HTMLElement {
    return h("button", { type: "button", class: "small", tabindex: -1, "data-campaign": clusterId, onclick: () => openDecision(clusterId) },
      t("mod.campaignDecide", { n: formatNumber(pendingOf(clusterId).length) }));
  }

  /** One decision, approve or reject with a reason, for every waiting item of a campaign-like cluster. */
  function openDecision(clusterId: string): void {
    const action = h("select", { id: "p-campaign-action" },
      h("option", { value: "reject" }, t("mod.reject")),
      h("option", { value: "approve" }, t("mod.approve")));
    const reason = reasonField();
    action.addEventListener("change", () => (reason.hidden = action.value !== "reject"));
    panel.open(t("mod.campaignDecideTitle", { n: formatNumber(pendingOf(clusterId).length), id: clusterId }), [field("p-campaign-action", t("mod.campaignAction"), action), reason, noteField()], async () => {
      const request: CampaignDecisionRequest = {
        action: action.value as "approve" | "reject",
        reason: action.value === "reject" ? byId<HTMLSelectElement>("p-reason").value : undefined,
        note: byId<HTMLInputElement>("p-note").value || undefined,
      };
      try {
        const response = live.isOnline
          ? await live.connection.invoke<CampaignDecisionResult>("DecideCampaign", id, clusterId, request)
          : await api<CampaignDecisionResult>(`/api/consultations/${id}/campaigns/${encodeURIComponent(clusterId)}/decision`, { method: "POST", token: session.token, body: request });
        result.textContent = outcomeText(response.items) +
          (response.remaining > 0 ? ` ${t("mod.campaignRemaining", { n: formatNumber(response.remaining) })}` : "");
      } catch (error) {
        result.textContent = errorText(errorCode(error));
      }

      await refresh();
    });
  }

  function render(): void {
    const open = [...campaigns.values()].filter((view) => pendingOf(view.label.id).length > 0);
    replace(
      byId("campaigns"),
      open.length === 0
        ? h("li", { class: "muted small" }, t("mod.campaignNone"))
        : open.map((view) =>
            h("li", { class: "card small", "data-campaign-id": view.label.id },
              h("p", {}, badge(view.label), " ", h("code", {}, view.label.id)),
              h("p", {}, store.items.get(pendingOf(view.label.id)[0])?.text.slice(0, 120) ?? ""),
              h("button", { type: "button", class: "small", onclick: () => openDecision(view.label.id) }, t("mod.campaignDecide", { n: formatNumber(pendingOf(view.label.id).length) })),
            ),
          ),
    );
  }

  return { outdatedBy, schedule, refresh, labelOf, badge, button, render };
}
