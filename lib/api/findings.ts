import { createHash } from "node:crypto";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { InsightRow } from "@/lib/insight-table/columns";
import {
  DEFAULT_PAGE_SIZE,
  type InsightFilters,
  parseInsightFilters,
  toSearchParams,
} from "@/lib/insight-table/filters";
import { fetchInsightKeysetPage, readSortKey, type SortKey } from "@/lib/insight-table/keyset";
import type { z } from "zod";
import type { FieldError } from "./request";
import type { findingSchema, findingsPageSchema } from "./schemas";

// GET /findings: the insight table's rows through its own parser, paged by keyset (keyset.ts). The
// cursor holds the last row's sort key (its sort values and id: the next page is the rows after it,
// so rows that change between two reads never make another appear twice or not at all) and a
// digest of the filters and sort it was made for, so that a cursor reused with others is refused
// rather than paging through a different selection.

type Finding = z.output<typeof findingSchema>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toFinding(row: InsightRow): Finding {
  return {
    id: row.id,
    severity: row.severity,
    status: row.status,
    reason: row.reason,
    description: row.description,
    accountId: row.accountId,
    accountName: row.accountName,
    region: row.region,
    keyId: row.keyId,
    arn: row.arn,
    aliases: row.aliases,
    rotationStatus: row.rotationStatus,
    rotationPeriodDays: row.rotationPeriodDays,
    nextRotation: iso(row.nextRotation),
    lastRotation: iso(row.lastRotation),
    keyManager: row.keyManager,
    keySpec: row.keySpec,
    keyState: row.keyState,
    origin: row.origin,
    tags: row.tags,
    lastEvaluated: row.lastEvaluated.toISOString(),
    firstSeen: iso(row.firstSeen),
    openForDays: row.openForDays,
    due: iso(row.due),
    overdue: row.overdue,
    exceptionId: row.exception?.id ?? null,
  };
}

/** The filters and sort a cursor was made for: a digest of their canonical URL (any page size). */
const viewOf = (filters: InsightFilters) =>
  createHash("sha256")
    .update(toSearchParams({ ...filters, page: 1, pageSize: DEFAULT_PAGE_SIZE }).toString())
    .digest("base64url")
    .slice(0, 22);

function encodeCursor(filters: InsightFilters, key: SortKey): string {
  return Buffer.from(JSON.stringify({ v: viewOf(filters), k: key.values, id: key.id })).toString("base64url");
}

function decodeCursor(cursor: string, filters: InsightFilters): SortKey | FieldError {
  const refused = { name: "cursor", message: "Not a cursor of this API: pass `nextCursor` as it was given." };
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
      name: "cursor",
      message:
        "This cursor belongs to other filters or another sort: repeat the query's filters and sort with it, or start without a cursor.",
    };
  return readSortKey(filters.sort, { values: k, id }) ?? refused;
}

/**
 * The filters of a findings or export query (already checked against its schema), read by the
 * table's own parser; what it would only have ignored with a notice on the page is refused here.
 */
export function findingsFilters(
  params: URLSearchParams,
  without: string[],
): { filters: InsightFilters } | { errors: FieldError[] } {
  const table = new URLSearchParams();
  for (const [name, value] of params) {
    if (without.includes(name)) continue;
    table.append(name === "limit" ? "pageSize" : name, value);
  }
  const { filters, notices } = parseInsightFilters(table);
  if (notices.length) return { errors: notices.map((message) => ({ name: "query", message })) };
  return { filters };
}

export async function fetchFindingsPage(
  db: PrismaClient,
  params: URLSearchParams,
  scope: AccountScope,
): Promise<z.output<typeof findingsPageSchema> | { errors: FieldError[] }> {
  const read = findingsFilters(params, ["cursor"]);
  if ("errors" in read) return read;
  const { filters } = read;
  const cursor = params.get("cursor");
  const after = cursor ? decodeCursor(cursor, filters) : null;
  if (after && !("values" in after)) return { errors: [after] };
  const page = await fetchInsightKeysetPage(db, filters, scope, after);
  return {
    items: page.rows.map(toFinding),
    total: page.total,
    limit: filters.pageSize,
    nextCursor: page.next ? encodeCursor(filters, page.next) : null,
  };
}
