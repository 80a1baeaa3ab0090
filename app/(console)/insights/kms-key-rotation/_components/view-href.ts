import { EMPTY_FILTERS, type InsightFilters, toSearchParams } from "@/lib/insight-table/filters";
import { INSIGHT_TABLE_PATH } from "@/lib/insight-table/table-href";

/** A link to the table showing `filters` (or to `path`, e.g. the CSV, with the same parameters). */
export function viewHref(filters: InsightFilters, path = INSIGHT_TABLE_PATH): string {
  const query = toSearchParams(filters).toString();
  return query ? `${path}?${query}` : path;
}

/** The same view without filters: the sort and page size stay. */
export function clearedHref(filters: InsightFilters): string {
  return viewHref({ ...EMPTY_FILTERS, sort: filters.sort, pageSize: filters.pageSize });
}
