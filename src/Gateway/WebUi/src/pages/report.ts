import "../styles.css";
import "../report.css";
import { api, ApiError, consultationFromUrl } from "../lib/api";
import { byId, replace } from "../lib/dom";
import { applyStatic, mountLanguageSwitch, onLangChange, t } from "../lib/i18n";
import type { ExportDocument, LogVerification } from "../lib/types";
import { briefSections } from "../lib/brief";
import { renderAnswers } from "./report/answers";
import { renderOpinion, renderTopics } from "./report/groups";
import { renderHeader } from "./report/header";
import { renderExports, renderModeration } from "./report/moderation";
import { renderParticipation, resizeForPrint } from "./report/participation";
import { toReport, type Report } from "./report/shared";

// The public report of one consultation: everything comes from the open JSON export (one request)
// and the log verification. Nothing here needs a token, and nothing personal is shown.

applyStatic(document.body);
mountLanguageSwitch(byId<HTMLSelectElement>("lang"));
window.addEventListener("beforeprint", resizeForPrint);
void main();

async function main(): Promise<void> {
  const status = byId("report-status");
  const id = consultationFromUrl();
  let report: Report;
  try {
    if (!id) throw new ApiError(404, "not-found", "no code");
    report = toReport(await api<ExportDocument>(`/api/consultations/${id}/export?format=json`));
  } catch (error) {
    // Unknown, unlisted and private consultations all answer 404 here: say so and ask for nothing else.
    const key = error instanceof ApiError && error.status === 404 ? "report.notAvailable" : "report.failed";
    status.dataset.i18n = key;
    status.dataset.state = "unavailable";
    status.textContent = t(key);
    status.setAttribute("role", "alert");
    return;
  }

  let verification: LogVerification | null | undefined;
  const render = () => {
    renderHeader(report);
    renderParticipation(report);
    byId("brief").hidden = !report.doc.brief;
    if (report.doc.brief) replace(byId("brief-body"), briefSections(report.doc.brief));
    renderTopics(report);
    renderOpinion(report);
    renderAnswers(report);
    renderModeration(report, verification);
    renderExports(report);
  };
  status.hidden = true;
  byId("report").hidden = false;
  render();
  document.body.dataset.ready = "true";
  onLangChange(render);

  try {
    verification = await api<LogVerification>(report.doc.moderationLog.verify);
  } catch {
    verification = null;
  }
  renderModeration(report, verification);
}
