import type { FindingFormat } from "@/lib/findings-format/format-list";
import type { FindingChange } from "@/lib/triage/status";
import { SEVERITIES } from "@/lib/verdict/types";
import {
  EMPTY_FILTERS,
  exportFilters,
  type InsightFilters,
  parseInsightFilters,
  toSearchParams,
} from "./filters";

// The links to the insight table: every page, the nav and the table's own controls build them here,
// in the table's canonical URL form (toSearchParams), so that equal views have equal links.

export const INSIGHT_TABLE_PATH = "/insights/kms-key-rotation";

function withParams(path: string, filters: InsightFilters): string {
  const query = toSearchParams(filters).toString();
  return query ? `${path}?${query}` : path;
}

/**
 * The table showing `view`: the filters, sort and page given, the defaults for the rest. The table
 * hides NOT_APPLICABLE unless asked, so a link whose count includes those keys must name every
 * severity.
 */
export function insightTableHref(view: Partial<InsightFilters> = {}): string {
  return withParams(INSIGHT_TABLE_PATH, { ...EMPTY_FILTERS, ...view });
}

/** The same view without filters: the sort and page size stay. */
export function clearedInsightTableHref(filters: InsightFilters): string {
  return insightTableHref({ sort: filters.sort, pageSize: filters.pageSize });
}

/** The export of the view, every page of it: the CSV, or another finding format (`jsonl`, `ocsf`, `asff`). */
export function insightExportHref(filters: InsightFilters, format: FindingFormat = "csv"): string {
  return exportFormatHref(withParams(`${INSIGHT_TABLE_PATH}/export.csv`, exportFilters(filters)), format);
}

/** The export that `csvHref` (an insightExportHref) downloads, in another format. */
export function exportFormatHref(csvHref: string, format: FindingFormat): string {
  if (format === "csv") return csvHref;
  const params = new URLSearchParams(csvHref.split("?")[1] ?? "");
  params.set("format", format);
  return `${INSIGHT_TABLE_PATH}/export?${params.toString()}`;
}

/** The commands script's route: GET with the table's parameters, or POST a form of `key` fields. */
export const FIX_COMMANDS_PATH = `${INSIGHT_TABLE_PATH}/fix-commands.sh`;

/** The AWS CLI commands that fix the view's keys (every page); `period` empty for the policy maximum. */
export function fixCommandsHref(filters: InsightFilters, period = ""): string {
  const params = toSearchParams(exportFilters(filters));
  if (period) params.set("period", period);
  const query = params.toString();
  return query ? `${FIX_COMMANDS_PATH}?${query}` : FIX_COMMANDS_PATH;
}

/**
 * The findings that changed by `change` since the previous scan (the default `since`): what a
 * scan delta's number counts. Every severity: a resolved key may be NOT_APPLICABLE now.
 */
export function findingChangeHref(change: FindingChange): string {
  return insightTableHref({ severities: [...SEVERITIES], changes: [change] });
}

/** Open findings past their due date. */
export function overdueHref(): string {
  return insightTableHref({ overdue: "1" });
}

/** Failing findings covered by an exception in force. */
export function exceptedHref(): string {
  return insightTableHref({ statuses: ["excepted"] });
}

/**
 * A key's page. Given `from`, the table view the link is followed from, the page's "Back to the
 * table" returns to that view (see backToTableHref).
 */
export function keyHref(id: string, from?: InsightFilters): string {
  const path = `/keys/${encodeURIComponent(id)}`;
  const query = from ? toSearchParams(from).toString() : "";
  return query ? `${path}?${new URLSearchParams({ from: query })}` : path;
}

/** Longer than any view the table writes (its parameters are capped too): ignored whole. */
const MAX_FROM = 16_384;

/**
 * The table view a key page's `from` names. Only ever the table: `from` is read as the table's
 * query (what it cannot use is dropped) and written again, so no other address can come through.
 */
export function backToTableHref(from: string | string[] | undefined): string {
  const query = Array.isArray(from) ? from[0] : from;
  if (query === undefined || query.length > MAX_FROM) return insightTableHref();
  return insightTableHref(parseInsightFilters(new URLSearchParams(query)).filters);
}

/** The new-exception form for these keys: one `key` parameter per ARN, in the order given. */
export function newExceptionHref(arns: readonly string[]): string {
  const params = new URLSearchParams(arns.map((arn) => ["key", arn]));
  const query = params.toString();
  return query ? `/exceptions/new?${query}` : "/exceptions/new";
}
