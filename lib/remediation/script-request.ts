import { exportFilters, parseInsightFilters, type InsightFilters } from "@/lib/insight-table/filters";
import { queryEntries, quoteForNotice, type QueryParams } from "@/lib/query-params";
import { checkPeriod } from "./judge";

// What the commands script is asked for, from its URL: the table's filters (as the CSV export reads
// them), or `key=<arn>` repeated for a selection; `period` for a period other than the policy's.

/** A selection comes from one page of the table (at most 200 rows): a generous bound. */
export const MAX_SELECTED_KEYS = 500;

const KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]{1,32}:\d{12}:key\/[\w-]{1,128}$/;

export type ScriptRequest =
  | { kind: "filter"; filters: InsightFilters; notices: string[]; periodDays: number | null }
  | { kind: "keys"; arns: string[]; periodDays: number | null };

/** The request, or a message saying what is wrong with it (for a 400). */
export function parseScriptRequest(
  params: QueryParams,
  maxRotationDays: number,
): { ok: true; request: ScriptRequest } | { ok: false; message: string } {
  const rest = new URLSearchParams();
  const arns: string[] = [];
  const periods: string[] = [];
  for (const [name, value] of queryEntries(params)) {
    if (name === "key") arns.push(value.trim());
    else if (name === "period") periods.push(value.trim());
    else rest.append(name, value);
  }
  if (periods.length > 1) return { ok: false, message: "Give the period once." };
  const raw = periods[0] ?? "";
  const period = checkPeriod(raw === "" ? null : /^\d+$/.test(raw) ? Number(raw) : NaN, maxRotationDays);
  if (!period.ok) return { ok: false, message: period.message };

  if (arns.length) {
    if (rest.size) return { ok: false, message: "Give either keys (key=) or filters, not both." };
    const bad = arns.find((arn) => !KEY_ARN.test(arn));
    if (bad !== undefined) return { ok: false, message: `Not a KMS key ARN: ${quoteForNotice(bad)}.` };
    const distinct = [...new Set(arns)];
    if (distinct.length > MAX_SELECTED_KEYS)
      return {
        ok: false,
        message: `At most ${MAX_SELECTED_KEYS} keys can be selected; choose "all matching" for the filter's keys.`,
      };
    return { ok: true, request: { kind: "keys", arns: distinct, periodDays: period.periodDays } };
  }
  // As the page and the CSV export: what the filters cannot use is ignored, and said in the script.
  const { filters, notices } = parseInsightFilters(rest);
  return {
    ok: true,
    request: { kind: "filter", filters: exportFilters(filters), notices, periodDays: period.periodDays },
  };
}
