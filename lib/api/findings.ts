import type { AccountScope } from "@/lib/auth/account-scope";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { InsightRow } from "@/lib/insight-table/columns";
import { type InsightFilters, parseInsightFilters, toSearchParams } from "@/lib/insight-table/filters";
import { fetchInsightPage } from "@/lib/insight-table/query";
import type { z } from "zod";
import type { FieldError } from "./request";
import type { findingSchema, findingsPageSchema } from "./schemas";

// GET /findings: the insight table's rows through its own parser and page query. The cursor holds
// the page to read and the filters it was made for (their canonical URL), so that a cursor reused
// with other filters is refused rather than paging through a different selection. The order is the
// table's sort with the key's row id last, so pages never overlap or skip.

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

const viewOf = (filters: InsightFilters) => toSearchParams({ ...filters, page: 1 }).toString();

function encodeCursor(filters: InsightFilters, page: number): string {
  return Buffer.from(JSON.stringify({ v: viewOf(filters), p: page })).toString("base64url");
}

function decodeCursor(cursor: string, filters: InsightFilters): number | FieldError {
  const refused = { name: "cursor", message: "Not a cursor of this API: pass `nextCursor` as it was given." };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return refused;
  }
  const { v, p } = (value ?? {}) as { v?: unknown; p?: unknown };
  if (typeof v !== "string" || typeof p !== "number" || !Number.isSafeInteger(p) || p < 1) return refused;
  if (v !== viewOf(filters))
    return {
      name: "cursor",
      message:
        "This cursor belongs to other filters: repeat the query's filters with it, or start without a cursor.",
    };
  return p;
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
  const cursor = params.get("cursor");
  const page = cursor ? decodeCursor(cursor, read.filters) : 1;
  if (typeof page !== "number") return { errors: [page] };
  const filters = { ...read.filters, page };
  const result = await fetchInsightPage(db, filters, scope);
  // Past the end (keys went away since the cursor was made): an empty page, not the last one again.
  const rows = result.page === page ? result.rows : [];
  return {
    items: rows.map(toFinding),
    total: result.total,
    limit: filters.pageSize,
    nextCursor: result.page === page && page < result.pageCount ? encodeCursor(filters, page + 1) : null,
  };
}
