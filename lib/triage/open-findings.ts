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
 * Open findings (status OPEN, live keys; excepted ones are not open) by age in whole UTC days since
 * the day their failing period began (the table's "Open for (days)"), and those overdue. Read from
 * kms_key_open_days, a few rows per account-region and day that triggers keep exact (migration
 * 20261203140000); the overdue ones due today (before now) come from the open findings' due-date
 * index, a short range.
 */
export async function fetchOpenFindingAges(
  db: PrismaClient,
  scope: AccountScope,
  now = new Date(),
): Promise<OpenFindingAges> {
  const [row] = await db.$queryRaw<OpenFindingAges[]>`
    WITH today AS (SELECT (${now}::timestamptz AT TIME ZONE 'UTC')::date AS day)
    SELECT coalesce(sum(d.count) FILTER (WHERE t.day - d.failing_day <= 7), 0)::int AS "days0to7",
      coalesce(sum(d.count) FILTER (WHERE t.day - d.failing_day BETWEEN 8 AND 30), 0)::int AS "days8to30",
      coalesce(sum(d.count) FILTER (WHERE t.day - d.failing_day BETWEEN 31 AND 90), 0)::int AS "days31to90",
      coalesce(sum(d.count) FILTER (WHERE t.day - d.failing_day > 90), 0)::int AS "over90",
      (coalesce(sum(d.count) FILTER (WHERE d.due_day < t.day), 0) + (
        SELECT count(*) FROM kms_keys k
        WHERE k.gone_at IS NULL AND k.status = 'OPEN' AND ${inScope("k.account_id", scope)}
          AND k.due_at >= (SELECT day FROM today)::timestamp AT TIME ZONE 'UTC' AND k.due_at < ${now}::timestamptz
      ))::int AS overdue
    FROM kms_key_open_days d CROSS JOIN today t
    WHERE ${inScope("d.account_id", scope)}`;
  return row!;
}
