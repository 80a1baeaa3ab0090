import type PgBoss from "pg-boss";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { attemptDelivery, MAX_ATTEMPTS } from "./deliver";
import { evaluateScanAlerts } from "./evaluate";

// Alert messages are sent by the workers through the job queue (pg-boss), one job per message.
// A failed attempt throws, and pg-boss runs the job again after an exponential backoff
// (retryDelay × 2^n, with jitter) up to MAX_ATTEMPTS attempts in all; each attempt is in the
// delivery log (deliver.ts).

export const ALERT_QUEUE = "alert-delivery";
/** Seconds before the first retry; then doubling. */
const RETRY_DELAY_SECONDS = 30;
const ALERT_SLOTS = 2;

export interface AlertQueueOptions {
  /** Seconds before the first retry (tests make it short). */
  retryDelaySeconds?: number;
  maxAttempts?: number;
  /** The console's public origin for links (default NEXTAUTH_URL). */
  origin?: string;
}

interface AlertJob {
  deliveryId: string;
}

/** Creates the alert queue if it does not exist (startBoss calls it, as the database's owner at start). */
export async function ensureAlertQueue(boss: PgBoss): Promise<void> {
  if (await boss.getQueue(ALERT_QUEUE)) return;
  await boss
    .createQueue(ALERT_QUEUE, {
      name: ALERT_QUEUE,
      policy: "standard",
      retryLimit: MAX_ATTEMPTS - 1,
      retryDelay: RETRY_DELAY_SECONDS,
      retryBackoff: true,
      expireInSeconds: 300,
    })
    .catch(async (err) => {
      if (!(await boss.getQueue(ALERT_QUEUE))) throw err; // another process created it first
    });
}

export async function enqueueDeliveries(
  boss: PgBoss,
  deliveryIds: string[],
  opts: AlertQueueOptions = {},
): Promise<void> {
  for (const deliveryId of deliveryIds) {
    // The job's id is the message's: queuing it twice (the sweep below) makes no second job.
    await boss.send(ALERT_QUEUE, { deliveryId } satisfies AlertJob, {
      id: deliveryId,
      retryLimit: (opts.maxAttempts ?? MAX_ATTEMPTS) - 1,
      retryDelay: opts.retryDelaySeconds ?? RETRY_DELAY_SECONDS,
      retryBackoff: true,
    });
  }
}

/** Registers this worker's alert delivery slots on `boss`. */
export async function workAlertJobs(db: PrismaClient, boss: PgBoss, opts: AlertQueueOptions = {}) {
  for (let i = 0; i < ALERT_SLOTS; i++) {
    await boss.work<AlertJob>(ALERT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (!job) return;
      const outcome = await attemptDelivery(db, job.data.deliveryId, { maxAttempts: opts.maxAttempts });
      if (outcome.status === "RETRYING") throw new Error(outcome.error ?? "delivery failed");
      if (outcome.status === "FAILED") {
        logger.warn({ deliveryId: job.data.deliveryId, error: outcome.error }, "alert not delivered");
      }
    });
  }
}

/** After a scan target: when the scan has ended, its alerts are made (once) and queued. */
export async function alertAfterScan(
  db: PrismaClient,
  boss: PgBoss,
  scanId: string,
  opts: AlertQueueOptions = {},
): Promise<string[]> {
  const { deliveryIds } = await evaluateScanAlerts(db, scanId, { origin: opts.origin });
  await enqueueDeliveries(boss, deliveryIds, opts);
  return deliveryIds;
}

/**
 * Scans that ended in the last day with no evaluation (failed before any job ran, interrupted
 * targets failed by the scheduler): their alerts are made now. Messages made but never tried (their
 * process stopped before it queued them) are queued again. The scheduler calls it every minute.
 */
export async function alertEndedScans(db: PrismaClient, boss: PgBoss, opts: AlertQueueOptions = {}) {
  const scans = await db.$queryRaw<{ id: string }[]>`
    SELECT s.id FROM scans s
    WHERE s.finished_at > now() - interval '1 day'
      AND NOT EXISTS (SELECT 1 FROM alert_scan_evaluations e WHERE e.scan_id = s.id)
    ORDER BY s.finished_at`;
  for (const { id } of scans) await alertAfterScan(db, boss, id, opts);
  const stranded = await db.alertDelivery.findMany({
    where: {
      status: "PENDING",
      attempts: 0,
      isTest: false,
      createdAt: { lt: new Date(Date.now() - 120_000), gt: new Date(Date.now() - 86_400_000) },
    },
    select: { id: true },
  });
  await enqueueDeliveries(
    boss,
    stranded.map((d) => d.id),
    opts,
  );
}
