import { createHash } from "node:crypto";
import { DEFAULT_PAGE_SIZE, type InsightFilters, toSearchParams } from "./filters";
import { readSortKey, type SortKey } from "./keyset";

// A keyset cursor as it travels (the API's `cursor`, the table's `after` past a capped search's
// count): the last row's sort key (its sort values and id: the next page is the rows after it, so
// rows that change between two reads never make another appear twice or not at all) and a digest
// of the filters and sort it was made for, so that a cursor reused with others is refused rather
// than paging through a different selection.

/** The filters and sort a cursor was made for: a digest of their canonical URL (any page, any size). */
const viewOf = (filters: InsightFilters) =>
  createHash("sha256")
    .update(toSearchParams({ ...filters, page: 1, pageSize: DEFAULT_PAGE_SIZE, after: null }).toString())
    .digest("base64url")
    .slice(0, 22);

export function encodeCursor(filters: InsightFilters, key: SortKey): string {
  return Buffer.from(JSON.stringify({ v: viewOf(filters), k: key.values, id: key.id })).toString("base64url");
}

/** The sort key of a cursor made for these filters and sort; else why it is refused. */
export function decodeCursor(cursor: string, filters: InsightFilters): SortKey | { refused: string } {
  const refused = { refused: "Not a cursor of this API: pass `nextCursor` as it was given." };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return refused;
  }
  const { v, k, id } = (value ?? {}) as { v?: unknown; k?: unknown; id?: unknown };
  if (typeof v !== "string") return refused;
  if (v !== viewOf(filters))
    return {
      refused:
        "This cursor belongs to other filters or another sort: repeat the query's filters and sort with it, or start without a cursor.",
    };
  return readSortKey(filters.sort, { values: k, id }) ?? refused;
}
