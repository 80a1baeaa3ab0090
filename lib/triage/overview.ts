import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { fetchExpiringExceptions, type ExpiringExceptions } from "./expiring-exceptions";
import { fetchOpenFindingAges, type OpenFindingAges } from "./open-findings";
import { fetchDeltaTrend, fetchLatestDelta, type ScanDelta } from "./scan-delta";
import { fetchTimeToResolve, type TimeToResolve } from "./time-to-resolve";

export interface TriageOverview {
  /** "Since the previous scan": the latest scan's delta in scope; null before the first scan. */
  latestDelta: ScanDelta | null;
  /** New, resolved and reopened per scan, the last ~30 scans, oldest first. */
  deltaTrend: ScanDelta[];
  ages: OpenFindingAges;
  timeToResolve: TimeToResolve[];
  expiring: ExpiringExceptions;
}

/** The overview's triage figures, limited to the user's accounts; independent queries. */
export async function fetchTriageOverview(
  db: PrismaClient,
  scope: AccountScope,
  now = new Date(),
): Promise<TriageOverview> {
  const [latestDelta, deltaTrend, ages, timeToResolve, expiring] = await Promise.all([
    fetchLatestDelta(db, scope),
    fetchDeltaTrend(db, scope),
    fetchOpenFindingAges(db, scope, now),
    fetchTimeToResolve(db, scope, now),
    fetchExpiringExceptions(db, scope, now),
  ]);
  return { latestDelta, deltaTrend, ages, timeToResolve, expiring };
}
