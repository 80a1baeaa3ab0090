import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { scanInScope } from "./started-by";

export interface RecentScan {
  id: string;
  startedAt: Date;
}

/** The latest scans that listed an account in scope, newest first (the insight table's "since" choices). */
export async function fetchRecentScans(
  db: PrismaClient,
  scope: AccountScope,
  take = 10,
): Promise<RecentScan[]> {
  return db.scan.findMany({
    where: scanInScope(scope),
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, startedAt: true },
  });
}
