import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ScanStatus } from "@/lib/generated/prisma/enums";
import { accountIdInScope, type AccountScope } from "@/lib/auth/account-scope";
import { scanInScope } from "./started-by";

export interface ScanProgress {
  scanId: string;
  status: ScanStatus;
  startedAt: Date;
  /** False once the scan has finished (succeeded, partial or failed). */
  running: boolean;
  /** Account-regions in scope: finished (succeeded or failed) and in all. */
  targetsDone: number;
  targetsTotal: number;
  /** Keys listed by the account-regions finished so far. */
  keysSoFar: number;
  /** Account-regions that could not be listed, and keys read with errors, so far. */
  failedTargets: number;
  keyErrors: number;
}

const UNFINISHED: ScanStatus[] = ["QUEUED", "RUNNING"];
const FINISHED_TARGET: ScanStatus[] = ["SUCCEEDED", "FAILED"];

/**
 * How far a scan has gone, counting only the account-regions in scope: the scan asked for by id
 * (even when finished, so that a watcher sees it end), or else the newest unfinished scan that
 * lists an account in scope. Null when there is no such scan.
 */
export async function fetchScanProgress(
  db: PrismaClient,
  scope: AccountScope,
  scanId?: string,
): Promise<ScanProgress | null> {
  const scan = await db.scan.findFirst({
    where: scanId
      ? { id: scanId, ...scanInScope(scope) }
      : { status: { in: UNFINISHED }, ...scanInScope(scope) },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    select: { id: true, status: true, startedAt: true },
  });
  if (!scan) return null;
  const groups = await db.scanTarget.groupBy({
    by: ["status"],
    where: { scanId: scan.id, ...accountIdInScope(scope) },
    _count: { _all: true },
    _sum: { keysSeen: true, keyErrors: true },
  });
  const progress: ScanProgress = {
    scanId: scan.id,
    status: scan.status,
    startedAt: scan.startedAt,
    running: UNFINISHED.includes(scan.status),
    targetsDone: 0,
    targetsTotal: 0,
    keysSoFar: 0,
    failedTargets: 0,
    keyErrors: 0,
  };
  for (const g of groups) {
    progress.targetsTotal += g._count._all;
    if (FINISHED_TARGET.includes(g.status)) progress.targetsDone += g._count._all;
    if (g.status === "FAILED") progress.failedTargets += g._count._all;
    progress.keysSoFar += g._sum.keysSeen ?? 0;
    progress.keyErrors += g._sum.keyErrors ?? 0;
  }
  return progress;
}
