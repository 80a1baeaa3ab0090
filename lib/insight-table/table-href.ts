import type { Severity } from "@/lib/verdict/types";

export const INSIGHT_TABLE_PATH = "/insights/kms-key-rotation";

export interface InsightTableFilter {
  severity?: readonly Severity[];
  account?: string;
  region?: string;
  tag?: string;
  tagValue?: string;
}

/**
 * A link to the insight table with these filters, in the table's URL contract. The table hides
 * NOT_APPLICABLE unless asked, so a link whose count includes those keys must name every severity.
 */
export function insightTableHref(filter: InsightTableFilter = {}): string {
  const params = new URLSearchParams();
  for (const severity of filter.severity ?? []) params.append("severity", severity);
  if (filter.account) params.set("account", filter.account);
  if (filter.region) params.set("region", filter.region);
  if (filter.tag) params.set("tag", filter.tag);
  if (filter.tag && filter.tagValue !== undefined) params.set("tagValue", filter.tagValue);
  const query = params.toString();
  return query ? `${INSIGHT_TABLE_PATH}?${query}` : INSIGHT_TABLE_PATH;
}

export function keyHref(id: string): string {
  return `/keys/${encodeURIComponent(id)}`;
}
