import { byId, h, replace } from "../../lib/dom";
import { formatNumber, label, t } from "../../lib/i18n";
import type { LogVerification } from "../../lib/types";
import type { Report } from "./shared";

/** "reject:spam" reads "Rejected: Spam"; a bare action reads as its label. Unknown codes show as they are. */
function rowLabel(key: string): string {
  const [action, reason] = key.split(":", 2);
  return reason ? `${label("action", action)}: ${label("reason", reason)}` : label("action", action);
}

export function renderModeration(report: Report, verification: LogVerification | null | undefined): void {
  const log = report.doc.moderationLog;
  // Each action first, followed by its reasons; claims and releases are the moderators' own bookkeeping.
  const keys = Object.keys(log.counts)
    .filter((k) => !["claim", "release"].includes(k))
    .sort((a, b) => a.split(":")[0].localeCompare(b.split(":")[0]) || a.length - b.length || a.localeCompare(b));
  replace(
    byId("moderation-table"),
    keys.length === 0
      ? h("p", { class: "muted" }, t("report.moderationNone"))
      : h("table", { class: "report-table moderation", "data-testid": "moderation-table" },
          h("caption", { class: "visually-hidden" }, t("report.moderation")),
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("report.col.action")), h("th", { scope: "col", class: "num" }, t("report.col.count")))),
          h("tbody", {}, keys.map((k) =>
            h("tr", { "data-key": k, class: k.includes(":") ? "sub" : null },
              h("th", { scope: "row" }, rowLabel(k)),
              h("td", { class: "num", "data-testid": "count" }, formatNumber(log.counts[k]))))),
        ),
  );
  const link = byId<HTMLAnchorElement>("log-link");
  link.href = log.log;
  byId("log-entries").textContent = `(${log.log}) ${t("report.logEntries", { n: formatNumber(log.entries) })}`;
  const badge = byId("log-verify");
  // undefined: still checking; null: the check could not run.
  badge.dataset.valid = verification === undefined ? "" : String(verification?.valid ?? "unknown");
  badge.className = verification?.valid ? "small verified" : verification ? "small error" : "small muted";
  badge.textContent = verification === undefined
    ? ""
    : verification === null
      ? t("report.verifyUnknown")
      : verification.valid
        ? t("report.verified", { n: formatNumber(verification.entries) })
        : t("report.verifyFailed", { seq: String(verification.brokenAtSeq ?? "?"), problem: verification.problem ?? "" });
}

/** Links plus their address as text, so a printed report still says where the data is. */
export function renderExports(report: Report): void {
  const id = report.doc.consultation.id;
  const link = (href: string, key: "report.exportJson" | "report.exportPolis", testId: string) =>
    h("li", {}, h("a", { href, "data-testid": testId, download: "" }, t(key)), " ", h("span", { class: "small muted url" }, `${location.origin}${href}`));
  replace(
    byId("export-links"),
    link(`/api/consultations/${id}/export?format=json`, "report.exportJson", "export-json"),
    link(`/api/consultations/${id}/export?format=polis`, "report.exportPolis", "export-polis"),
    h("li", { class: "small" }, t("report.licence", { licence: report.doc.licence })),
  );
}
