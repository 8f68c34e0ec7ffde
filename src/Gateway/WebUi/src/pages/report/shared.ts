import { h } from "../../lib/dom";
import { t } from "../../lib/i18n";
import type { ExportDocument, ExportItem } from "../../lib/types";

/** The export plus an index of its items by id (topic, opinion and answer sections refer to items by id). */
export interface Report {
  doc: ExportDocument;
  byId: Map<string, ExportItem>;
}

export function toReport(doc: ExportDocument): Report {
  return { doc, byId: new Map(doc.items.map((i) => [i.id, i])) };
}

/** An item is shown only with a published text: erased items as the marker, withheld (null) texts never. */
export function shownText(item: ExportItem | undefined): string | null {
  if (!item) return null;
  if (item.erased) return t("item.erased");
  return item.text;
}

/** A paragraph with the item's text, the erasure marker, or the "not published" note; never a withheld text. */
export function itemParagraph(item: ExportItem | undefined): HTMLElement {
  const text = shownText(item);
  if (text === null) return h("p", { class: "item-text muted" }, t("report.withheld"));
  return h("p", { class: item?.erased ? "item-text erased" : "item-text", "data-erased": item?.erased ? "true" : null }, text);
}

/** Today as yyyy-MM-dd in the reader's time zone: due dates are calendar dates without a zone. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
