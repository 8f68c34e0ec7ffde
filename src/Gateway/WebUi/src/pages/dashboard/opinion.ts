import { Chart } from "chart.js";
import { byId, h, replace } from "../../lib/dom";
import { formatNumber, formatTime, t } from "../../lib/i18n";
import { leaningLine, renderConsensus } from "../../lib/render";
import { chartLocale, groupColour, groupName, paint } from "./charts";
import type { DashboardState } from "./state";

/**
 * The opinion groups panel (deliberation only): map, groups with representative statements, consensus,
 * common ground. Returns the map's chart (to be destroyed before the next render), or null in Q&A.
 */
export function renderOpinion(state: DashboardState): Chart | null {
  const { consultation, store } = state;
  const deliberation = consultation?.mode === "deliberation";
  document.querySelectorAll<HTMLElement>(".op-qa").forEach((el) => (el.hidden = !consultation || deliberation));
  document.querySelectorAll<HTMLElement>(".op-deliberation").forEach((el) => (el.hidden = !deliberation));
  byId("panels").classList.toggle("deliberation", deliberation);
  if (!deliberation) return null;
  const view = state.opinion;
  const text = (itemId: string) => store.items.get(itemId)?.text ?? itemId;
  const shown = (itemId: string) => store.items.get(itemId)?.visible !== false;
  byId("op-summary").textContent = view
    ? t("op.summary", { p: formatNumber(view.participants), a: formatNumber(view.participantsInAnalysis), g: formatNumber(view.groups.length), time: formatTime(view.computedAt) })
    : "";

  const groups = [...(view?.groups ?? [])].sort((a, b) => a.id - b.id);
  const canvas = byId<HTMLCanvasElement>("chart-groups");
  canvas.setAttribute("aria-label", t("op.mapLabel", {
    groups: groups.length === 0 ? t("op.none") : groups.map((g) => `${groupName(g.id)} ${t("op.members", { n: formatNumber(g.members) })}`).join(", "),
  }));
  const point = (p: { x: number; y: number }) => ({ x: p.x, y: p.y });
  const unassigned = (view?.map ?? []).filter((p) => p.groupId === null || !groups.some((g) => g.id === p.groupId));
  const map = new Chart(canvas, {
    type: "scatter",
    data: {
      datasets: [
        ...groups.map((g) => ({
          label: `${groupName(g.id)} (${formatNumber(g.members)})`,
          data: (view?.map ?? []).filter((p) => p.groupId === g.id).map(point),
          backgroundColor: `${groupColour(g.id)}99`,
          borderColor: groupColour(g.id),
          pointRadius: 4,
        })),
        ...(unassigned.length > 0 ? [{ label: t("op.unassigned"), data: unassigned.map(point), backgroundColor: "#8a949f66", borderColor: "#6b7683", pointRadius: 3 }] : []),
        ...(groups.length > 0 ? [{
          label: t("op.centre"),
          data: groups.map(point),
          pointStyle: "crossRot" as const,
          pointRadius: 12,
          borderWidth: 4,
          borderColor: groups.map((g) => groupColour(g.id)),
          backgroundColor: "#1b1f24",
        }] : []),
      ],
    },
    options: {
      locale: chartLocale().locale,
      maintainAspectRatio: false,
      // The axes of a PCA map have no unit: hide their numbers, keep the grid for orientation.
      scales: { x: { type: "linear", ticks: { display: false } }, y: { type: "linear", ticks: { display: false } } },
      plugins: { tooltip: { enabled: false } },
    },
  });

  replace(
    byId("op-groups"),
    groups.length === 0
      ? h("li", { class: "muted" }, t("op.none"))
      : groups.map((g) =>
          paint(h("li", { class: "op-group", "data-group-id": g.id, "data-testid": "opinion-group" },
            h("h3", {}, paint(h("span", { class: "swatch", "aria-hidden": "true" }), "backgroundColor", groupColour(g.id)),
              t("op.groupHead", { group: groupName(g.id), members: t("op.members", { n: formatNumber(g.members) }) })),
            h("ol", { class: "ranked" },
              g.representative.filter((r) => shown(r.itemId)).map((r) =>
                h("li", { "data-testid": "representative", "data-item-id": r.itemId },
                  h("p", { class: "item-text" }, text(r.itemId)),
                  leaningLine(r),
                ),
              ),
            ),
          ), "borderLeftColor", groupColour(g.id)),
        ),
  );

  const consensus = [...(view?.consensus ?? [])].filter((c) => shown(c.itemId)).sort((a, b) => b.consensus - a.consensus).slice(0, 10);
  renderConsensus(byId("op-consensus"), consensus, (itemId) => h("p", { class: "item-text" }, text(itemId)));
  for (const [listId, ids] of [["op-agreed", view?.commonGroundAgreed ?? []], ["op-rejected", view?.commonGroundRejected ?? []]] as const) {
    const visible = ids.filter(shown);
    replace(byId(listId), visible.length === 0
      ? h("li", { class: "muted" }, t("op.commonNone"))
      : visible.map((itemId) => h("li", { "data-item-id": itemId }, h("p", { class: "item-text" }, text(itemId)))));
  }
  return map;
}
