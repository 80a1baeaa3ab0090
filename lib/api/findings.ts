import type { AccountScope } from "@/lib/auth/account-scope";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { InsightRow } from "@/lib/insight-table/columns";
import { type InsightFilters, parseInsightFilters } from "@/lib/insight-table/filters";
import { decodeCursor, encodeCursor } from "@/lib/insight-table/cursor";
import { fetchInsightKeysetPage } from "@/lib/insight-table/keyset";
import type { z } from "zod";
import type { FieldError } from "./request";
import type { findingSchema, findingsPageSchema } from "./schemas";

// GET /findings: the insight table's rows through its own parser, paged by keyset (keyset.ts), with
// the cursor of lib/insight-table/cursor.ts.

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
  if (after && "refused" in after) return { errors: [{ name: "cursor", message: after.refused }] };
  const page = await fetchInsightKeysetPage(db, filters, scope, after);
  return {
    items: page.rows.map(toFinding),
    total: page.total,
    totalIsLowerBound: page.capped,
    limit: filters.pageSize,
    nextCursor: page.next ? encodeCursor(filters, page.next) : null,
  };
}
