import PgBoss from "pg-boss";
import {
  alertAfterScan,
  alertEndedScans,
  ensureAlertQueue,
  workAlertJobs,
  type AlertQueueOptions,
} from "@/lib/alerts/queue";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { audit, type Actor } from "@/lib/audit/log";
import { sweepExpiredExceptions } from "@/lib/exceptions/apply";
import { markOverdueFindings } from "@/lib/triage/overdue";
import { Limiter } from "@/lib/kms/limiter";
import { logger } from "@/lib/log";
import { getSettings } from "@/lib/settings";
import { ensureFixQueue, workFixJobs } from "@/lib/remediation/queue";
import { ensureOrgSyncQueue, syncAllBeforeScan, workOrgSyncJobs } from "@/lib/organizations/queue";
import type { FixRunDeps } from "@/lib/remediation/run";
import { runScanTarget } from "./run-target";
import {
  createScan,
  failInterruptedTargets,
  failQueuedTargets,
  SCANNED_ACCOUNTS,
  ScanNotQueuedError,
  type ScanJob,
  type ScanTriggerName,
} from "./scan";

// Scan work is queued in Postgres (pg-boss): one job per account-region, in a queue with the
// `singleton` policy keyed by account-region, so the same account-region is never scanned twice
// at once, whichever machine's worker picks it up. `npm start` runs a worker in-process; more
// machines join with `npm run worker` against the same DATABASE_URL.

export const SCAN_QUEUE = "scan-target";
const SCHEDULER_LOCK = 72_707_370;
/** Held while the scheduler syncs the organizations before a scheduled scan: one process at a time. */
const ORG_SYNC_LOCK = 72_707_371;
const JOB_OVERLAP = 1.5;
/**
 * How often a scheduling worker ends the exceptions that expired (pages sweep before they read too)
 * and marks the findings that fell due (lib/triage/overdue.ts).
 */
const EXPIRY_SWEEP_MS = 60_000;

export async function startBoss(databaseUrl: string, opts: { supervise: boolean }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: 4,
    supervise: opts.supervise,
    schedule: false,
    migrate: true,
  });
  boss.on("error", (err) => logger.warn({ err: err.message }, "job queue error"));
  await boss.start();
  if (!(await boss.getQueue(SCAN_QUEUE))) {
    await boss
      .createQueue(SCAN_QUEUE, {
        name: SCAN_QUEUE,
        policy: "singleton",
        retryLimit: 0,
        expireInSeconds: 6 * 3600,
      })
      .catch(async (err) => {
        if (!(await boss.getQueue(SCAN_QUEUE))) throw err; // another process created it first
      });
  }
  await ensureFixQueue(boss);
  await ensureAlertQueue(boss);
  await ensureOrgSyncQueue(boss);
  return boss;
}

/**
 * Creates or upgrades the queue's schema and the scan queue, as the database's owner at start: the
 * application role that then works the queue may use its tables but create nothing (lib/db/roles.ts).
 */
export async function installQueue(ownerUrl: string): Promise<void> {
  const boss = await startBoss(ownerUrl, { supervise: false });
  await boss.stop({ graceful: false, wait: true });
}

export async function enqueueScanJobs(boss: PgBoss, jobs: ScanJob[]): Promise<void> {
  for (const job of jobs) {
    await boss.send(SCAN_QUEUE, job, { id: job.targetId, singletonKey: `${job.accountId}:${job.region}` });
  }
}

/**
 * Creates a scan of every enabled account-region, audited in the same transaction (by `actor`, else
 * whoever requested it), then queues its jobs: after the commit, so that no worker picks a job whose
 * target does not exist yet. Jobs that cannot be queued fail the scan (ScanNotQueuedError).
 */
export async function startScan(
  db: PrismaClient,
  boss: PgBoss,
  opts: { trigger: ScanTriggerName; requestedBy?: string | null; accountIds?: string[]; actor?: Actor },
): Promise<{ scanId: string; jobs: ScanJob[] }> {
  const actor = opts.actor ?? { actorEmail: opts.requestedBy ?? opts.trigger.toLowerCase() };
  // An organization's scan creates thousands of targets in this one transaction: Prisma's default
  // 5 s can run out on a busy machine, and the scan would then not start at all.
  const scan = await db.$transaction(
    async (tx) => {
      const created = await createScan(tx, opts);
      await audit(tx, {
        ...actor,
        action: "scan.start",
        target: created.scanId,
        details: { trigger: opts.trigger, targets: created.jobs.length },
      });
      return created;
    },
    { timeout: 60_000 },
  );
  await queueOrFail(db, boss, scan);
  return scan;
}

async function queueOrFail(db: PrismaClient, boss: PgBoss, scan: { scanId: string; jobs: ScanJob[] }) {
  try {
    await enqueueScanJobs(boss, scan.jobs);
  } catch (err) {
    await failQueuedTargets(db, scan.scanId, "The scan's jobs could not be queued.").catch(() => {});
    throw new ScanNotQueuedError(scan.scanId, err);
  }
}

export interface Worker {
  boss: PgBoss;
  stop(): Promise<void>;
}

/**
 * Works scan jobs and fix jobs: as many scans at once as the total concurrency allows given the per-region one, every
 * AWS call under one process-wide limiter. With `schedule`, also starts the scheduled scans (one
 * process at a time, under an advisory lock), fails targets whose worker died, and every minute
 * ends the exceptions that expired, so that their findings open again with no page being viewed.
 */
export async function startWorker(
  db: PrismaClient,
  databaseUrl: string,
  opts: {
    schedule: boolean;
    tickMs?: number;
    sweepMs?: number;
    fixes?: FixRunDeps;
    alerts?: AlertQueueOptions;
  },
): Promise<Worker> {
  const boss = await startBoss(databaseUrl, { supervise: true });
  const settings = await getSettings(db);
  const globalLimiter = new Limiter(settings["scan.concurrencyTotal"]);
  // Half again as many jobs as the limiter lets make calls at full speed: a job spends part of its
  // time with few calls in flight (credentials, listing, its last keys, the database writes), and
  // the extra jobs fill that slack. The limiter still caps the calls in flight.
  const fullSpeed = settings["scan.concurrencyTotal"] / settings["scan.concurrencyPerRegion"];
  const slots = Math.max(1, Math.ceil(fullSpeed * JOB_OVERLAP));
  for (let i = 0; i < slots; i++) {
    const id: string = await boss.work<ScanJob>(
      SCAN_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 1 },
      async ([job]) => {
        if (!job) return;
        const outcome = await runScanTarget(db, job.data, { globalLimiter });
        // The job that ends a scan makes its alerts (lib/alerts); a failure there fails no scan.
        // Scans ended another way (interrupted targets, removed accounts) are the sweep's.
        if (outcome.endedScan)
          await alertAfterScan(db, boss, job.data.scanId, opts.alerts).catch((err) =>
            logger.warn({ err: String(err), scanId: job.data.scanId }, "alerts after the scan failed"),
          );
        // pg-boss waits out the rest of the polling interval after a job shorter than it, and most
        // account-regions take less; a slot that has just finished asks for the next job at once.
        boss.notifyWorker(id);
      },
    );
  }
  // Fix runs (lib/remediation) are worked wherever scans are.
  await workFixJobs(db, boss, opts.fixes);
  // Alert messages too (lib/alerts).
  await workAlertJobs(db, boss, opts.alerts);
  // Organization syncs (lib/organizations): on adding one and "Sync now".
  await workOrgSyncJobs(db, boss);
  const timers: NodeJS.Timeout[] = [];
  // The scheduler's ticks and sweeps still running: stop() waits for them, so that none is cut off
  // by the database stopping after it (`npm start` stops the worker, then PostgreSQL).
  const running = new Set<Promise<unknown>>();
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work));
    return work;
  };
  if (opts.schedule) {
    const tick = () =>
      tracked(
        schedulerTick(db, boss).catch((err) => logger.warn({ err: String(err) }, "scheduler tick failed")),
      );
    await tick();
    timers.push(setInterval(tick, opts.tickMs ?? 30_000));
    // Idempotent: a sweep that finds an expiry another process has just swept changes nothing.
    const sweep = () =>
      tracked(
        Promise.all([
          sweepExpiredExceptions(db).catch((err) =>
            logger.warn({ err: String(err) }, "expired exceptions sweep failed"),
          ),
          alertEndedScans(db, boss, opts.alerts).catch((err) =>
            logger.warn({ err: String(err) }, "alerts of ended scans failed"),
          ),
          markOverdueFindings(db).catch((err) =>
            logger.warn({ err: String(err) }, "overdue findings sweep failed"),
          ),
        ]),
      );
    await sweep();
    timers.push(setInterval(sweep, opts.sweepMs ?? EXPIRY_SWEEP_MS));
  }
  return {
    boss,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running);
      await boss.stop({ graceful: true, wait: true, timeout: 15_000 });
    },
  };
}

/** Fails targets whose worker died, and their jobs, so that the next scan of them is not blocked. */
export async function recoverInterrupted(
  db: PrismaClient,
  boss: PgBoss,
  staleSeconds?: number,
): Promise<number> {
  const ids = await failInterruptedTargets(db, staleSeconds);
  for (const targetId of ids) await boss.fail(SCAN_QUEUE, targetId).catch(() => {});
  return ids.length;
}

async function scanIsDue(db: PrismaClient | Prisma.TransactionClient, intervalHours: number) {
  const last = await db.scan.findFirst({ orderBy: { startedAt: "desc" }, select: { startedAt: true } });
  return !last || Date.now() - last.startedAt.getTime() >= intervalHours * 3600_000;
}

/**
 * When a scheduled scan is due, the organizations are synced first (one process at a time, under
 * an advisory lock held by a transaction that does nothing else), so the scan sees their new
 * accounts, statuses and regions.
 */
async function syncOrganizationsIfDue(db: PrismaClient, intervalHours: number): Promise<void> {
  if (!(await scanIsDue(db, intervalHours))) return;
  if (
    (await db.organization.count()) === 0 &&
    !(await db.awsAccount.count({ where: { regionMode: "ALL_ENABLED" } }))
  )
    return;
  await db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<
        { locked: boolean }[]
      >`SELECT pg_try_advisory_xact_lock(${ORG_SYNC_LOCK}) AS locked`;
      if (!row?.locked || !(await scanIsDue(tx, intervalHours))) return;
      await syncAllBeforeScan(db);
    },
    { maxWait: 10_000, timeout: 3 * 3600_000 },
  );
}

/** Fails interrupted targets, then starts a scheduled scan when the interval has passed. */
export async function schedulerTick(db: PrismaClient, boss: PgBoss): Promise<string | null> {
  await recoverInterrupted(db, boss);
  const interval = (await getSettings(db))["scan.intervalHours"];
  if (interval === 0) return null; // off: not even a first scan
  await syncOrganizationsIfDue(db, interval);
  // The scan rows commit before its jobs are queued, so no worker can pick a job whose target
  // does not exist yet; the lock makes one process at a time decide.
  const scan = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      { locked: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(${SCHEDULER_LOCK}) AS locked`;
    if (!row?.locked) return null;
    if ((await tx.awsAccount.count({ where: SCANNED_ACCOUNTS })) === 0) return null;
    if (!(await scanIsDue(tx, interval))) return null;
    const created = await createScan(tx, { trigger: "SCHEDULED" });
    await audit(tx, {
      actorEmail: "scheduler",
      action: "scan.start",
      target: created.scanId,
      details: { trigger: "SCHEDULED", targets: created.jobs.length },
    });
    return created;
  });
  if (!scan) return null;
  await queueOrFail(db, boss, scan);
  return scan.scanId;
}
