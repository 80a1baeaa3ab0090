import { parseInsightFilters, toSearchParams, type InsightFilters } from "@/lib/insight-table/filters";
import { INSIGHT_TABLE_PATH } from "@/lib/insight-table/table-href";

// A view's query is read by the table's one filter parser whenever it is used: a filter whose
// meaning changed since it was saved is read as today's parser reads it, and what it cannot use
// becomes the page's usual notices. A view is its filters, sort and page size, never a page number.

/** The canonical form of a query (what is stored, and what marks the view in use): page 1. */
export function canonicalViewQuery(query: string): string {
  const { filters } = parseInsightFilters(new URLSearchParams(query));
  return viewQueryOf(filters);
}

/** The view's form of `filters`: toSearchParams at page 1. */
export function viewQueryOf(filters: InsightFilters): string {
  return toSearchParams({ ...filters, page: 1 }).toString();
}

/** The table opened on a stored query, as stored: the page parses it (and says what it ignored). */
export function savedViewHref(query: string): string {
  return query ? `${INSIGHT_TABLE_PATH}?${query}` : INSIGHT_TABLE_PATH;
}
