import type { PrismaClient } from "@/lib/generated/prisma/client";
import { accountIdInScope, type AccountScope } from "@/lib/auth/account-scope";
import { formatUtcMinute } from "./display-dates";

/** An account-region whose last scan failed: the keys shown for it are as an earlier scan read them. */
export interface StaleMark {
  accountId: string;
  region: string;
  /** When its keys were last listed; null if never. */
  lastSuccessAt: Date | null;
}

export interface Place {
  accountId: string;
  region: string;
}

export const placeKey = (place: Place): string => `${place.accountId}/${place.region}`;

/**
 * The stale account-regions among `places` (a page's rows, or one key): one query by account-region,
 * whatever the number of keys, keyed by placeKey.
 */
export async function fetchStaleMarks(
  db: PrismaClient,
  places: readonly Place[],
  scope: AccountScope,
): Promise<Map<string, StaleMark>> {
  const distinct = [...new Map(places.map((p) => [placeKey(p), p])).values()];
  if (distinct.length === 0) return new Map();
  const rows = await db.accountRegionState.findMany({
    where: {
      stale: true,
      ...accountIdInScope(scope),
      OR: distinct.map(({ accountId, region }) => ({ accountId, region })),
    },
    select: { accountId: true, region: true, lastSuccessAt: true },
  });
  return new Map(rows.map((row) => [placeKey(row), row]));
}

/** "data from 2026-11-29 08:00 UTC, last scan of this region failed" */
export function staleMarkText(mark: StaleMark): string {
  const failed = "last scan of this region failed";
  return mark.lastSuccessAt ? `data from ${formatUtcMinute(mark.lastSuccessAt)}, ${failed}` : failed;
}
