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
  await db.$executeRaw`SELECT finish_scan_target(${job.targetId}::text, ${job.scanId}::text,
    ${job.accountId}::bpchar, ${job.region}::text, ${result.succeeded}::boolean, ${result.error}::text,
    ${result.errorCall}::text, ${result.errorCode}::text, ${result.attemptAt}::timestamptz,
    ${result.keysSeen}::int, ${result.keyErrors}::int, ${result.calls}::int, ${new Date()}::timestamptz,
    ${result.durationMs}::int)`;
}

/**
 * After a complete listing: keys not seen in this scan are gone (kept, with the date); their
 * findings are resolved as deleted, an event of this scan. Returns how many keys went.
 */
export async function markGoneKeys(db: PrismaClient, scanId: string, accountId: string, region: string) {
  const [row] = await db.$queryRaw<{ gone: number }[]>`
    SELECT mark_gone_keys(${scanId}::text, ${accountId}::bpchar, ${region}::text) AS gone`;
  return row?.gone ?? 0;
}
