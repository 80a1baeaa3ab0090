import type PgBoss from "pg-boss";
import type { Actor } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";
import { refreshAccountRegions } from "./regions";
import { syncOrganization } from "./sync";

// Organization syncs are queued beside the scans: one job per organization (singleton, so two
// clicks make one job), sent on adding it and by "Sync now"; the scheduler syncs every
// organization itself, just before its scheduled scan (syncAllBeforeScan). Whatever starts it, a
// sync that finds another one of the same organization running does nothing (./sync-lock.ts).

export const ORG_SYNC_QUEUE = "org-sync";

export interface OrgSyncJob {
  organizationId: string;
  actor: Actor;
}

/** Creates the sync queue if it does not exist (startBoss calls it, as the database's owner at start). */
export async function ensureOrgSyncQueue(boss: PgBoss): Promise<void> {
  if (await boss.getQueue(ORG_SYNC_QUEUE)) return;
  await boss
    .createQueue(ORG_SYNC_QUEUE, {
      name: ORG_SYNC_QUEUE,
      policy: "singleton",
      retryLimit: 0,
      expireInSeconds: 3600,
    })
    .catch(async (err) => {
      if (!(await boss.getQueue(ORG_SYNC_QUEUE))) throw err; // another process created it first
    });
}

export async function enqueueOrgSync(boss: PgBoss, job: OrgSyncJob): Promise<void> {
  await boss.send(ORG_SYNC_QUEUE, job, { singletonKey: job.organizationId });
}

/** Registers this worker's sync slot on `boss`. */
export async function workOrgSyncJobs(db: PrismaClient, boss: PgBoss): Promise<void> {
  await boss.work<OrgSyncJob>(ORG_SYNC_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async ([job]) => {
    if (!job) return;
    const organization = await db.organization.findUnique({ where: { id: job.data.organizationId } });
    if (!organization) return; // removed meanwhile
    const result = await syncOrganization(db, job.data.organizationId, { actor: job.data.actor });
    // Busy: a sync from elsewhere (the CLI, the scheduler) runs now; its result stands for this one.
    if (result.busy) logger.info({ organization: result.name }, result.error);
    else logger.info({ organization: result.name, ok: result.ok, ...result.summary }, "organization synced");
  });
}

/**
 * Before a scheduled scan: syncs every organization (new accounts, statuses, OU paths, regions)
 * and refreshes the regions of the "all enabled regions" accounts added by hand. A failure is
 * recorded on its organization and logged; the scan goes on with what is known.
 */
export async function syncAllBeforeScan(db: PrismaClient): Promise<void> {
  const actor = { actorEmail: "scheduler" };
  for (const { id } of await db.organization.findMany({ select: { id: true }, orderBy: { name: "asc" } })) {
    const result = await syncOrganization(db, id, { actor }).catch((err) => ({
      ok: false,
      name: id,
      error: String(err),
    }));
    if ("busy" in result && result.busy) logger.info({ organization: result.name }, result.error);
    else if (!result.ok)
      logger.warn({ organization: result.name, error: result.error }, "organization sync failed");
  }
  const byHand = await db.awsAccount.findMany({
    where: { organizationId: null, regionMode: "ALL_ENABLED", enabled: true, isDemo: false },
    select: { id: true },
  });
  for (const { id } of byHand) {
    const refreshed = await refreshAccountRegions(db, id, { allow: [], deny: [], owner: "this account" });
    if (refreshed.error) logger.warn({ accountId: id, error: refreshed.error }, "region discovery failed");
  }
}
