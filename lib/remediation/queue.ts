import type PgBoss from "pg-boss";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import type { FixJob } from "./lifecycle";
import { runFixJob, type FixRunDeps } from "./run";

// Fix runs are queued in Postgres beside the scans (lib/collector/queue.ts): one job per plan and
// account-region. Any number of jobs may work the same keys (a resumed run while a dead worker's job
// has not expired yet): each key is claimed under a row lock and read before it is written (run.ts),
// so none is written twice. A job whose worker died is retried once it expires.

export const FIX_QUEUE = "fix-target";
/** Fix jobs one worker runs at once (each writes at most WRITES_PER_SECOND keys a second). */
const FIX_SLOTS = 2;

/** Creates the fix queue if it does not exist (startBoss calls it, as the database's owner at start). */
export async function ensureFixQueue(boss: PgBoss): Promise<void> {
  if (await boss.getQueue(FIX_QUEUE)) return;
  await boss
    .createQueue(FIX_QUEUE, {
      name: FIX_QUEUE,
      policy: "standard",
      retryLimit: 3,
      retryDelay: 30,
      expireInSeconds: 3600,
    })
    .catch(async (err) => {
      if (!(await boss.getQueue(FIX_QUEUE))) throw err; // another process created it first
    });
}

export async function enqueueFixJobs(boss: PgBoss, jobs: FixJob[]): Promise<void> {
  for (const job of jobs) await boss.send(FIX_QUEUE, job);
}

/** Registers this worker's fix job slots on `boss`. */
export async function workFixJobs(db: PrismaClient, boss: PgBoss, deps: FixRunDeps = {}): Promise<void> {
  for (let i = 0; i < FIX_SLOTS; i++) {
    await boss.work<FixJob>(FIX_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (!job) return;
      const tally = await runFixJob(db, job.data, deps);
      logger.info({ ...job.data, ...tally }, "fix job done");
    });
  }
}
