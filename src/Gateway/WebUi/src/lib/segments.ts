import { api, errorCode, participantToken } from "./api";
import { byId, h, replace, store } from "./dom";
import { errorText, formatDateTime, formatNumber, formatPercent, onLangChange, t, type Key } from "./i18n";
import type { MySegments, QuestionBreakdown, SegmentCell, SegmentGroupRow, SegmentsBreakdown } from "./types";

/**
 * The participant's optional self-description: asked once (open the first time, until answered or skipped),
 * then folded to one line with a "change" button. Nothing is asked when the consultation has no questions.
 * Skipping is remembered on this device only; the server keeps answers, never a "skipped" mark.
 */
export function mountSegmentQuestions(consultationId: string): void {
  const section = byId("segments-section");
  const body = byId("segments-body");
  const status = byId("segments-status");
  const skipped = store<boolean>(`dialogue.segments.skipped.${consultationId}`, false);
  const path = `/api/consultations/${consultationId}/segments/me`;
  let mine: MySegments | null = null;
  let editing = false;
  let message: { key: Key; error?: string } | null = null;

  const show = (next: typeof message) => {
    message = next;
    status.className = next?.error ? "small error" : "small";
    status.textContent = !next ? "" : next.error ? errorText(next.error) : t(next.key);
  };

  function render(): void {
    if (!mine || mine.questions.length === 0) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    const answered = Object.keys(mine.answers).length > 0;
    if (editing || (!answered && !skipped.get())) {
      replace(body, form(mine));
      return;
    }
    const answers = mine.questions.filter((q) => mine!.answers[q.key]).map((q) => mine!.answers[q.key]).join(" · ");
    replace(body,
      h("p", { class: "small", "data-testid": "segments-summary" }, answered ? t("seg.yours", { answers }) : t("seg.noAnswers")),
      h("button", { type: "button", class: "secondary", "data-testid": "segments-change", onclick: () => { editing = true; show(null); render(); } }, t("seg.change")));
  }

  function form(current: MySegments): HTMLElement {
    const selects = current.questions.map((q) => {
      const select = h("select", { id: `seg-${q.key}`, name: q.key },
        h("option", { value: "" }, t("seg.none")),
        q.options.map((o) => h("option", { value: o, selected: current.answers[q.key] === o }, o)));
      return { key: q.key, select, field: h("div", { class: "stack" }, h("label", { for: `seg-${q.key}` }, q.label), select) };
    });
    const save = h("button", { type: "submit" }, t("seg.save"));
    const skip = h("button", { type: "button", class: "secondary", onclick: () => {
      skipped.set(true);
      editing = false;
      show({ key: "seg.skipped" });
      render();
    } }, t("seg.skip"));
    return h("form", { class: "stack", "data-testid": "segments-form", onsubmit: async (event: Event) => {
      event.preventDefault();
      save.disabled = true;
      try {
        const answers: Record<string, string | null> = {};
        for (const s of selects) answers[s.key] = s.select.value === "" ? null : s.select.value;
        mine = await api<MySegments>(path, { method: "PUT", token: await participantToken(), body: { answers } });
        skipped.set(true);
        editing = false;
        show({ key: "seg.saved" });
        render();
      } catch (error) {
        show({ key: "error.generic", error: errorCode(error) });
      } finally {
        save.disabled = false;
      }
    } },
    h("p", { class: "small muted" }, t("seg.hint")),
    selects.map((s) => s.field),
    h("div", { class: "row" }, save, skip));
  }

  onLangChange(() => {
    render();
    show(message);
  });
  void (async () => {
    try {
      mine = await api<MySegments>(path, { token: await participantToken() });
    } catch {
      mine = null; // Questions are optional: the page works without them.
    }
    render();
  })();
}

/** The officials' "who is being heard" panel: counts of distinct people by answer, withheld under five, and who is missing. */
export function segmentSections(view: SegmentsBreakdown | null, groupName: (id: number) => string): HTMLElement[] {
  if (!view || view.questions.length === 0) return [h("p", { class: "muted", "data-testid": "segments-none" }, t("dash.segNone"))];
  const min = formatNumber(view.minCell);
  const few = t("dash.segFew", { min });
  const sections: HTMLElement[] = [
    h("p", { class: "small muted", "data-testid": "segments-summary" }, t("dash.segSummary", {
      a: view.answered === null ? few : formatNumber(view.answered),
      c: view.contributors === null ? few : formatNumber(view.contributors),
      min,
      time: formatDateTime(view.at),
    })),
  ];
  if (view.final) sections.push(h("p", { class: "small" }, t("dash.segFinal")));
  for (const q of view.questions) sections.push(question(q, few, min, groupName));
  return sections;
}

function question(q: QuestionBreakdown, few: string, min: string, groupName: (id: number) => string): HTMLElement {
  const cell = (c: SegmentCell) => h("td", { class: "num", title: c.count === null ? few : null }, c.count === null ? few : formatNumber(c.count));
  const groupHead = (g: SegmentGroupRow, opinion: boolean) =>
    h("th", { scope: "col" }, opinion ? groupName(g.groupId) : g.terms.slice(0, 2).join(" · ") || `#${g.groupId}`);
  const groups = [...q.topicGroups.map((g) => ({ g, opinion: false })), ...q.opinionGroups.map((g) => ({ g, opinion: true }))];
  const rows = q.participants.map((p, i) =>
    h("tr", {},
      h("th", { scope: "row" }, p.option),
      cell(p),
      cell(q.contributors[i]),
      groups.map(({ g }) => cell(g.cells[i]))));
  const missing = q.missing.map((gap) => {
    const of = t(gap.fromReference ? "dash.segOfReference" : "dash.segOfParticipants");
    return h("li", {}, gap.contributorShare === null
      ? t("dash.segGapFew", { option: gap.option, base: formatPercent(gap.baseShare), of, min })
      : t("dash.segGap", { option: gap.option, base: formatPercent(gap.baseShare), of, share: formatPercent(gap.contributorShare) }));
  });
  return h("div", { class: "segment-question", "data-testid": "segment-question", "data-key": q.key },
    h("h3", {}, q.label),
    h("div", { class: "table-scroll" },
      h("table", { class: "segments" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("dash.segOption")),
          h("th", { scope: "col" }, t("dash.segParticipants")),
          h("th", { scope: "col" }, t("dash.segContributors")),
          groups.map(({ g, opinion }) => groupHead(g, opinion)))),
        h("tbody", {}, rows))),
    h("h4", {}, t("dash.segMissing")),
    missing.length > 0 ? h("ul", { "data-testid": "segments-missing" }, missing) : h("p", { class: "small muted" }, t("dash.segNoneMissing")));
}
