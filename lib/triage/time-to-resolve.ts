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
 * Its time is from the event that opened that failing period (the key's latest NEW or REOPENED
 * event before it) to the RESOLVED event; both are dated at their scan's start, so the time is
 * between the scan that first saw it failing and the scan that saw it fixed (or deleted), time
 * excepted included. Its severity is the opening event's. A resolution whose opening no event
 * records (a finding already failing when the triage migration ran) is left out. Cost: the RESOLVED
 * events of the window (index finding_events_kind_at_idx), each with one index probe for its opening.
 */
export async function fetchTimeToResolve(
  db: PrismaClient,
  scope: AccountScope,
  now = new Date(),
): Promise<TimeToResolve[]> {
  const rows = await db.$queryRaw<
    { severity: "CRITICAL" | "WARNING"; resolved: number; mean_days: number; median_days: number }[]
  >`
    SELECT o.severity::text AS severity, count(*)::int AS resolved,
      (avg(extract(epoch FROM fe.at - o.at)) / 86400)::float8 AS mean_days,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fe.at - o.at)) / 86400)::float8 AS median_days
    FROM finding_events fe
    CROSS JOIN LATERAL (
      SELECT s.at, s.severity FROM finding_events s
      WHERE s.kms_key_id = fe.kms_key_id AND s.at <= fe.at AND s.id < fe.id
        AND s.kind IN ('NEW', 'REOPENED')
      ORDER BY s.at DESC, s.id DESC LIMIT 1
    ) o
    WHERE fe.kind = 'RESOLVED' AND ${inScope("fe.account_id", scope)}
      AND fe.at > ${now}::timestamptz - ${RESOLVE_WINDOW_DAYS} * interval '1 day'
      AND fe.at <= ${now}::timestamptz
      AND o.severity IN ('CRITICAL', 'WARNING')
    GROUP BY o.severity
    ORDER BY o.severity`;
  return rows.map((r) => ({
    severity: r.severity,
    resolved: r.resolved,
    meanDays: r.mean_days,
    medianDays: r.median_days,
  }));
}
