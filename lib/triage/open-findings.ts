import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { inScope } from "@/lib/insight-table/predicates";

export interface OpenFindingAges {
  /** Open findings by whole days since they started failing (the table's "Open for (days)"). */
  days0to7: number;
  days8to30: number;
  days31to90: number;
  over90: number;
  /** Open findings past their due date: the table's `overdue=1`. */
  overdue: number;
}

/**
 * Open findings (status OPEN, live keys; excepted ones are not open) by age, and those overdue, in
 * one pass. It reads every open finding in scope: the partial index kms_keys_open_due_idx holds
 * exactly those rows, so the cost grows with the open findings, not with all keys, but an estate
 * with most keys open reads most rows (no count table keeps ages, which change by the clock).
 */
export async function fetchOpenFindingAges(
  db: PrismaClient,
  scope: AccountScope,
  now = new Date(),
): Promise<OpenFindingAges> {
  const [row] = await db.$queryRaw<OpenFindingAges[]>`
    SELECT count(*) FILTER (WHERE o.days <= 7)::int AS "days0to7",
      count(*) FILTER (WHERE o.days BETWEEN 8 AND 30)::int AS "days8to30",
      count(*) FILTER (WHERE o.days BETWEEN 31 AND 90)::int AS "days31to90",
      count(*) FILTER (WHERE o.days > 90)::int AS "over90",
      count(*) FILTER (WHERE o.due_at < ${now}::timestamptz)::int AS overdue
    FROM (
      SELECT floor(extract(epoch FROM ${now}::timestamptz - k.failing_since) / 86400) AS days, k.due_at
      FROM kms_keys k
      WHERE k.gone_at IS NULL AND k.status = 'OPEN' AND ${inScope("k.account_id", scope)}
    ) o`;
  return row!;
}
