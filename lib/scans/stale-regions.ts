import type { PrismaClient } from "@/lib/generated/prisma/client";
import { accountIdInScope, type AccountScope } from "@/lib/auth/account-scope";

export interface StaleRegion {
  accountId: string;
  accountName: string;
  region: string;
  lastError: string | null;
  lastAttemptAt: Date | null;
  /** When the keys shown for this account-region were last listed; null if never. */
  lastSuccessAt: Date | null;
}

/** Account-regions whose last listing failed: the keys shown for them are older than the last scan. */
export async function fetchStaleRegions(db: PrismaClient, scope: AccountScope): Promise<StaleRegion[]> {
  const rows = await db.accountRegionState.findMany({
    where: { stale: true, ...accountIdInScope(scope) },
    orderBy: [{ accountId: "asc" }, { region: "asc" }],
    include: { account: { select: { name: true } } },
  });
  return rows.map((r) => ({
    accountId: r.accountId,
    accountName: r.account.name,
    region: r.region,
    lastError: r.lastError,
    lastAttemptAt: r.lastAttemptAt,
    lastSuccessAt: r.lastSuccessAt,
  }));
}
