import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

// A scan: one row in `scans` and one `scan_targets` row per enabled account and region, each of
// which becomes one queued job (its id is the target's id). lib/collector/run-target.ts runs a job.

export type ScanTriggerName = "SCHEDULED" | "MANUAL" | "CLI";

export interface ScanJob {
  scanId: string;
  targetId: string;
  accountId: string;
  region: string;
}

export class NoAccountsError extends Error {
  constructor() {
    super(
      "There is no enabled AWS account to scan. Add one on the Accounts page or with `npx kms-insights accounts add`.",
    );
  }
}

/** A scan was recorded (and audited) but its jobs could not be queued: it is marked failed. */
export class ScanNotQueuedError extends Error {
  constructor(scanId: string, cause: unknown) {
    super(
      `Scan ${scanId} was recorded but could not be queued (${cause instanceof Error ? cause.message : String(cause)}); ` +
        "it is marked failed. Try again.",
    );
  }
}

/**
 * The accounts a scan covers: enabled ones, less those their organization no longer lets us scan
 * (suspended, closing, closed, left) and those an OU rule excludes. Their data is kept.
 */
export const SCANNED_ACCOUNTS = {
  enabled: true,
  excludedReason: null,
  OR: [{ orgStatus: null }, { orgStatus: "ACTIVE" }],
} satisfies Prisma.AwsAccountWhereInput;

export async function createScan(
  db: PrismaClient | Prisma.TransactionClient,
  opts: { trigger: ScanTriggerName; requestedBy?: string | null; accountIds?: string[] },
): Promise<{ scanId: string; jobs: ScanJob[] }> {
  const accounts = await db.awsAccount.findMany({
    where: { ...SCANNED_ACCOUNTS, ...(opts.accountIds ? { id: { in: opts.accountIds } } : {}) },
    orderBy: { id: "asc" },
  });
  const targets = accounts.flatMap((a) =>
    a.regions.map((region) => ({ id: randomUUID(), accountId: a.id, region })),
  );
  if (!targets.length) throw new NoAccountsError();
  const scan = await db.scan.create({
    data: {
      trigger: opts.trigger,
      status: "RUNNING",
      requestedBy: opts.requestedBy ?? null,
      targets: { create: targets },
    },
  });
  return {
    scanId: scan.id,
    jobs: targets.map((t) => ({ scanId: scan.id, targetId: t.id, accountId: t.accountId, region: t.region })),
  };
}

/** Fails the targets of a scan that are still queued (their jobs never were), and the scan with them. */
export async function failQueuedTargets(db: PrismaClient, scanId: string, error: string): Promise<void> {
  await db.scanTarget.updateMany({
    where: { scanId, status: "QUEUED" },
    data: { status: "FAILED", finishedAt: new Date(), error },
  });
  await finalizeScan(db, scanId);
}

/**
 * Sets the scan's outcome once none of its targets is queued or running. A scan whose targets all
 * went with their removed accounts has nothing that failed: it succeeded. True when this call ended it.
 */
export async function finalizeScan(db: PrismaClient, scanId: string): Promise<boolean> {
  const ended = await db.$executeRaw`
    UPDATE scans s SET
      status = (CASE WHEN agg.total > 0 AND agg.failed = agg.total THEN 'FAILED'
                     WHEN agg.failed > 0 THEN 'PARTIAL' ELSE 'SUCCEEDED' END)::"ScanStatus",
      finished_at = now()
    FROM (
      SELECT count(*) AS total,
             count(*) FILTER (WHERE status = 'FAILED') AS failed,
             count(*) FILTER (WHERE status IN ('QUEUED', 'RUNNING')) AS pending
      FROM scan_targets WHERE scan_id = ${scanId}
    ) agg
    WHERE s.id = ${scanId} AND agg.pending = 0 AND s.status IN ('QUEUED', 'RUNNING')`;
  return ended === 1;
}

export const HEARTBEAT_MS = 10_000;
const STALE_HEARTBEAT_SECONDS = 60;

/**
 * Targets left RUNNING by a worker that died (no heartbeat for a minute) are marked failed, their
 * scans finalised; returns their ids so that the caller can fail their queued jobs too.
 */
export async function failInterruptedTargets(
  db: PrismaClient,
  staleSeconds = STALE_HEARTBEAT_SECONDS,
): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string; scan_id: string }[]>`
    UPDATE scan_targets SET status = 'FAILED', finished_at = now(),
      error = 'Interrupted: the worker running this account-region stopped before it finished. The next scan collects it again.'
    WHERE status = 'RUNNING'
      AND COALESCE(heartbeat_at, started_at, '-infinity') < now() - make_interval(secs => ${staleSeconds})
    RETURNING id, scan_id`;
  for (const scanId of new Set(rows.map((r) => r.scan_id))) await finalizeScan(db, scanId);
  return rows.map((r) => r.id);
}

/**
 * What a scan leaves for one account-region, from the keys as they are now: the counts the trend
 * chart reads (its rows of kms_key_counts, which triggers on kms_keys keep exact, excepted
 * findings left out as everywhere the failing figures are shown), and the scan's delta, counted
 * from the events its writes recorded (still failing: the failing findings that are not new or
 * reopened in this scan). The summary goes last: its trigger updates the scan's totals, rows
 * every job of the scan updates, so their lock is held only until the commit right after it.
 */
export async function recordSummary(db: PrismaClient, scanId: string, accountId: string, region: string) {
  await db.$transaction([
    db.$executeRaw`
      INSERT INTO scan_deltas (scan_id, account_id, region, new, resolved, reopened, still_failing)
      SELECT ${scanId}, ${accountId}, ${region}, e.new, e.resolved, e.reopened,
        greatest(0, coalesce(f.failing, 0) - e.new - e.reopened)
      FROM (
        SELECT count(*) FILTER (WHERE kind = 'NEW')::int AS new,
               count(*) FILTER (WHERE kind = 'RESOLVED')::int AS resolved,
               count(*) FILTER (WHERE kind = 'REOPENED')::int AS reopened
        FROM finding_events WHERE scan_id = ${scanId} AND account_id = ${accountId} AND region = ${region}
      ) e, (
        SELECT sum(count)::int AS failing FROM kms_key_counts
        WHERE account_id = ${accountId} AND region = ${region} AND status IN ('OPEN', 'EXCEPTED')
      ) f
      ON CONFLICT (scan_id, account_id, region) DO UPDATE SET new = EXCLUDED.new,
        resolved = EXCLUDED.resolved, reopened = EXCLUDED.reopened, still_failing = EXCLUDED.still_failing`,
    db.$executeRaw`
      INSERT INTO scan_summaries (scan_id, account_id, region, severity, count)
      SELECT ${scanId}, account_id, region, severity, sum(count)
      FROM kms_key_counts WHERE account_id = ${accountId} AND region = ${region} AND count > 0
        AND status <> 'EXCEPTED'
      GROUP BY account_id, region, severity
      ON CONFLICT (scan_id, account_id, region, severity) DO UPDATE SET count = EXCLUDED.count`,
  ]);
}

/**
 * After a complete listing: keys not seen in this scan are gone (kept, with the date); their
 * findings are resolved as deleted, an event of this scan (insights.scan_id, as write-keys.ts).
 */
export async function markGoneKeys(db: PrismaClient, scanId: string, accountId: string, region: string) {
  return db.$executeRaw`
    UPDATE kms_keys SET gone_at = now(), exception_id = NULL
    FROM (SELECT set_config('insights.scan_id', ${scanId}, true)) cfg
    WHERE account_id = ${accountId} AND region = ${region} AND gone_at IS NULL
      AND last_scan_id IS DISTINCT FROM ${scanId}`;
}
