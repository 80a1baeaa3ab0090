import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { inScope } from "@/lib/insight-table/predicates";

export const RESOLVE_WINDOW_DAYS = 90;

export interface TimeToResolve {
  severity: "CRITICAL" | "WARNING";
  /** Resolutions in the window. */
  resolved: number;
  meanDays: number;
  medianDays: number;
}

/**
 * Time to resolve, per severity, over the last RESOLVE_WINDOW_DAYS days. Each RESOLVED event in
 * the window (at > now − 90 days, in scope) counts once: a finding resolved twice counts twice.
 * Its time runs from the start of the failing period it ends (opened_at: the finding's
 * failing_since when it was resolved) to the event (dated at its scan's start), time excepted
 * included; its severity is the one the finding had while failing. A resolution whose period's
 * start is unknown (a finding already failing before the triage migration, with no event of its
 * opening) is left out. Cost: the window's RESOLVED events, read from the (kind, at) index alone.
 */
export async function fetchTimeToResolve(
  db: PrismaClient,
  scope: AccountScope,
  now = new Date(),
): Promise<TimeToResolve[]> {
  const rows = await db.$queryRaw<
    { severity: "CRITICAL" | "WARNING"; resolved: number; mean_days: number; median_days: number }[]
  >`
    SELECT fe.severity::text AS severity, count(*)::int AS resolved,
      (avg(extract(epoch FROM fe.at - fe.opened_at)) / 86400)::float8 AS mean_days,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fe.at - fe.opened_at)) / 86400)::float8 AS median_days
    FROM finding_events fe
    WHERE fe.kind = 'RESOLVED' AND ${inScope("fe.account_id", scope)}
      AND fe.at > ${now}::timestamptz - ${RESOLVE_WINDOW_DAYS} * interval '1 day'
      AND fe.at <= ${now}::timestamptz
      AND fe.opened_at IS NOT NULL AND fe.severity IN ('CRITICAL', 'WARNING')
    GROUP BY fe.severity
    ORDER BY fe.severity`;
  return rows.map((r) => ({
    severity: r.severity,
    resolved: r.resolved,
    meanDays: r.mean_days,
    medianDays: r.median_days,
  }));
}
