import { randomUUID } from "node:crypto";
import { queryPrepared } from "@/lib/db/client";
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
  const ended = await queryPrepared(db, "collector_finalize_scan", FINALIZE_SCAN, [scanId]);
  return ended.length === 1;
}

const FINALIZE_SCAN = `
  UPDATE scans s SET
    status = (CASE WHEN agg.total > 0 AND agg.failed = agg.total THEN 'FAILED'
                   WHEN agg.failed > 0 THEN 'PARTIAL' ELSE 'SUCCEEDED' END)::"ScanStatus",
    finished_at = now()
  FROM (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE status = 'FAILED') AS failed,
           count(*) FILTER (WHERE status IN ('QUEUED', 'RUNNING')) AS pending
    FROM scan_targets WHERE scan_id = $1::text
  ) agg
  WHERE s.id = $1 AND agg.pending = 0 AND s.status IN ('QUEUED', 'RUNNING')
  RETURNING s.id`;

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

/** What one job did: the outcome that finishScanTarget records. */
export interface JobResult {
  succeeded: boolean;
  error: string | null;
  errorCall: string | null;
  errorCode: string | null;
  /** When the account-region was listed (succeeded), or found failing. */
  attemptAt: Date;
  keysSeen: number;
  keyErrors: number;
  calls: number;
  durationMs: number;
}

/**
 * Records a job's outcome in one round trip (finish_scan_target, migration 20261208200000): the
 * target's status; unless its account was removed meanwhile, the keys a complete listing did not
 * see marked gone, the account-region's state (fresh, or stale with what failed, its keys kept),
 * and what the scan leaves for the account-region (its summary, from the keys as they are now, and
 * its delta, from the events its writes recorded). Then finalizeScan, after the commit.
 */
export async function finishScanTarget(db: PrismaClient, job: ScanJob, result: JobResult): Promise<void> {
  await queryPrepared(db, "collector_finish_scan_target", FINISH_SCAN_TARGET, [
    job.targetId,
    job.scanId,
    job.accountId,
    job.region,
    result.succeeded,
    result.error,
    result.errorCall,
    result.errorCode,
    result.attemptAt,
    result.keysSeen,
    result.keyErrors,
    result.calls,
    new Date(),
    result.durationMs,
  ]);
}

// In FROM, so that the row it returns has a column Prisma can read (the function returns void).
const FINISH_SCAN_TARGET = `SELECT 1 AS finished FROM finish_scan_target($1::text, $2::text, $3::bpchar, $4::text,
  $5::boolean, $6::text, $7::text, $8::text, $9::timestamptz, $10::int, $11::int, $12::int, $13::timestamptz, $14::int)`;

/**
 * After a complete listing: keys not seen in this scan are gone (kept, with the date); their
 * findings are resolved as deleted, an event of this scan. Returns how many keys went.
 */
export async function markGoneKeys(db: PrismaClient, scanId: string, accountId: string, region: string) {
  const [row] = await db.$queryRaw<{ gone: number }[]>`
    SELECT mark_gone_keys(${scanId}::text, ${accountId}::bpchar, ${region}::text) AS gone`;
  return row?.gone ?? 0;
}
