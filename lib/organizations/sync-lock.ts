import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// One sync of an organization at a time, across every process (the worker's job, the scheduler,
// the CLI): a PostgreSQL advisory lock keyed by the organization, held by a transaction that does
// nothing else for as long as the sync runs. A second sync does not wait: it is refused at once
// with SYNC_RUNNING (the first one's result is what the page and `orgs list` show when it ends).
// Changing or removing the organization takes the same lock in its own transaction: refused while a
// sync runs (which would write accounts from the settings it read), and no sync starts meanwhile.

/** The lock's 64-bit key: a namespace and the organization's id, the same in every process. */
export function orgSyncLockKey(organizationId: string): bigint {
  return createHash("sha256").update(`kms-insights org-sync\0${organizationId}`).digest().readBigInt64BE(0);
}

export const syncRunningMessage = (name: string) =>
  `A sync of ${name} is already running; nothing was changed. Its result shows when it ends.`;

/** The longest a sync may hold its lock (the transaction that holds it ends then). */
const MAX_SYNC_MS = 3 * 3600_000;

/**
 * Runs `fn` holding organization `id`'s sync lock and returns what it returns, or `{ busy: true }`
 * at once when another sync holds it.
 */
export async function withOrgSyncLock<T>(
  db: PrismaClient,
  organizationId: string,
  fn: () => Promise<T>,
): Promise<{ busy: false; value: T } | { busy: true }> {
  return db.$transaction(
    async (tx) => {
      if (!(await lockOrgAgainstSync(tx, organizationId))) return { busy: true as const };
      return { busy: false as const, value: await fn() };
    },
    { maxWait: 10_000, timeout: MAX_SYNC_MS },
  );
}

type Tx = Pick<PrismaClient, "$queryRaw">;

/**
 * Inside a transaction that changes or removes organization `id`: takes its sync lock until the
 * transaction ends, so that no sync starts meanwhile, and says false (taking nothing) when a sync
 * holds it now, so that the caller can refuse instead of changing what the sync is writing.
 */
export async function lockOrgAgainstSync(tx: Tx, organizationId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ locked: boolean }[]>`
    SELECT pg_try_advisory_xact_lock(${orgSyncLockKey(organizationId)}::bigint) AS locked`;
  return !!row?.locked;
}

export const changeDuringSyncMessage = (name: string, verb: "removed" | "changed") =>
  `A sync of ${name} is running; nothing was ${verb}. Try again when it ends.`;

/** Whether a sync of organization `id` runs now, in any process (a read of pg_locks; takes nothing). */
export async function isOrgSyncRunning(db: PrismaClient, organizationId: string): Promise<boolean> {
  const key = orgSyncLockKey(organizationId);
  // A bigint advisory key shows as its high and low 32 bits in classid and objid, objsubid 1.
  const [row] = await db.$queryRaw<{ running: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND classid = ((${key}::bigint >> 32) & 4294967295)::oid
        AND objid = (${key}::bigint & 4294967295)::oid
    ) AS running`;
  return !!row?.running;
}
