import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startScan, type Worker } from "@/lib/collector/queue";
import type { ScanTriggerName } from "@/lib/collector/scan";

/** Starts a scan through the queue and waits until every target is done; returns the scan. */
export async function scanAndWait(
  db: PrismaClient,
  worker: Worker,
  opts: { trigger?: ScanTriggerName; accountIds?: string[]; timeoutMs?: number } = {},
) {
  const { scanId } = await startScan(db, worker.boss, {
    trigger: opts.trigger ?? "CLI",
    accountIds: opts.accountIds,
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const scan = await db.scan.findUniqueOrThrow({ where: { id: scanId }, include: { targets: true } });
    if (scan.finishedAt) return scan;
    if (Date.now() > deadline)
      throw new Error(`scan ${scanId} did not finish: ${JSON.stringify(scan.targets.map((t) => t.status))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
