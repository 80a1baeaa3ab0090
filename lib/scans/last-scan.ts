import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ScanStatus, ScanTrigger } from "@/lib/generated/prisma/enums";
import { accountIdInScope, type AccountScope } from "@/lib/insights/account-scope";
import { visibleScanError } from "./scan-error";
import { scanInScope } from "./started-by";

export interface FailedTarget {
  accountId: string;
  accountName: string;
  region: string;
  status: ScanStatus;
  error: string | null;
  keyErrors: number;
}

export interface LastScan {
  id: string;
  trigger: ScanTrigger;
  status: ScanStatus;
  startedAt: Date;
  finishedAt: Date | null;
  /** Scan-wide error; null for a user limited to some accounts (see visibleScanError). */
  error: string | null;
  /** Account-regions in scope that failed, or read some keys with errors. */
  failedTargets: FailedTarget[];
}

/**
 * The most recent scan, whatever its state, with the failures of the targets in scope. For a viewer
 * limited to some accounts: the most recent scan that listed one of them.
 */
export async function fetchLastScan(db: PrismaClient, scope: AccountScope): Promise<LastScan | null> {
  const scan = await db.scan.findFirst({
    where: scanInScope(scope),
    orderBy: { startedAt: "desc" },
    include: {
      targets: {
        where: {
          ...accountIdInScope(scope),
          OR: [{ status: "FAILED" }, { error: { not: null } }, { keyErrors: { gt: 0 } }],
        },
        orderBy: [{ accountId: "asc" }, { region: "asc" }],
        include: { account: { select: { name: true } } },
      },
    },
  });
  if (!scan) return null;
  return {
    id: scan.id,
    trigger: scan.trigger,
    status: scan.status,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
    error: visibleScanError(scan.error, scope),
    failedTargets: scan.targets.map((t) => ({
      accountId: t.accountId,
      accountName: t.account.name,
      region: t.region,
      status: t.status,
      error: t.error,
      keyErrors: t.keyErrors,
    })),
  };
}
