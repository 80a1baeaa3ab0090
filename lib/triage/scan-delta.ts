import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { scanCoversScope } from "@/lib/insight-table/filter-defs";
import { inScope } from "@/lib/insight-table/predicates";

// What each scan changed, summed over its account-regions in the user's scope: read from
// scan_deltas (a row per scan and account-region, written as each target finishes), never from
// the events or the keys, so that it costs the same at a million keys as at ten.

export interface DeltaCounts {
  new: number;
  resolved: number;
  reopened: number;
  stillFailing: number;
}

export interface ScanDelta extends DeltaCounts {
  scanId: string;
  startedAt: Date;
}

interface DeltaRow {
  scan_id: string;
  started_at: Date;
  new: number;
  resolved: number;
  reopened: number;
  still_failing: number;
}

const sums = Prisma.sql`coalesce(sum(d.new), 0)::int AS new, coalesce(sum(d.resolved), 0)::int AS resolved,
  coalesce(sum(d.reopened), 0)::int AS reopened, coalesce(sum(d.still_failing), 0)::int AS still_failing`;

const toDelta = (r: DeltaRow): ScanDelta => ({
  scanId: r.scan_id,
  startedAt: r.started_at,
  new: r.new,
  resolved: r.resolved,
  reopened: r.reopened,
  stillFailing: r.still_failing,
});

/**
 * "Since the previous scan": the delta of the latest scan that covered an account of the scope,
 * whatever its state (a running scan's delta grows as its targets finish). It is the scan after
 * the one the insight table's `change` filter counts from by default (scanCoversScope), so the
 * table filtered by `change` alone lists these findings. null before the first scan.
 */
export async function fetchLatestDelta(db: PrismaClient, scope: AccountScope): Promise<ScanDelta | null> {
  const [row] = await db.$queryRaw<DeltaRow[]>`
    WITH latest AS (
      SELECT s.id, s.started_at FROM scans s WHERE ${scanCoversScope(scope, Prisma.sql)}
      ORDER BY s.started_at DESC, s.id DESC LIMIT 1
    )
    SELECT l.id AS scan_id, l.started_at, ${sums}
    FROM latest l LEFT JOIN scan_deltas d ON d.scan_id = l.id AND ${inScope("d.account_id", scope)}
    GROUP BY l.id, l.started_at`;
  return row ? toDelta(row) : null;
}

/** The deltas of the given scans (a page of the scans page), by scan id; a scan without one is absent. */
export async function fetchScanDeltas(
  db: PrismaClient,
  scanIds: string[],
  scope: AccountScope,
): Promise<Map<string, ScanDelta>> {
  if (!scanIds.length) return new Map();
  const rows = await db.$queryRaw<DeltaRow[]>`
    SELECT s.id AS scan_id, s.started_at, ${sums}
    FROM scans s JOIN scan_deltas d ON d.scan_id = s.id
    WHERE s.id = ANY(${scanIds}::text[]) AND ${inScope("d.account_id", scope)}
    GROUP BY s.id, s.started_at`;
  return new Map(rows.map((r) => [r.scan_id, toDelta(r)]));
}

export const DELTA_TREND_SCANS = 30;

/** The deltas of the last scans that recorded one in scope, oldest first: the overview's chart. */
export async function fetchDeltaTrend(
  db: PrismaClient,
  scope: AccountScope,
  limit = DELTA_TREND_SCANS,
): Promise<ScanDelta[]> {
  const rows = await db.$queryRaw<DeltaRow[]>`
    WITH recent AS (
      SELECT s.id, s.started_at FROM scans s
      WHERE EXISTS (SELECT 1 FROM scan_deltas d WHERE d.scan_id = s.id AND ${inScope("d.account_id", scope)})
      ORDER BY s.started_at DESC, s.id DESC LIMIT ${limit}
    )
    SELECT r.id AS scan_id, r.started_at, ${sums}
    FROM recent r JOIN scan_deltas d ON d.scan_id = r.id AND ${inScope("d.account_id", scope)}
    GROUP BY r.id, r.started_at
    ORDER BY r.started_at, r.id`;
  return rows.map(toDelta);
}
