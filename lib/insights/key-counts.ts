import type { PrismaClient } from "@/lib/generated/prisma/client";
import { accountIdInScope, type AccountScope } from "./account-scope";
import { emptySeverityCounts, type SeverityCounts } from "./severity-counts";

export interface KeyCounts {
  totals: SeverityCounts;
  byAccount: Map<string, SeverityCounts>;
  byRegion: Map<string, SeverityCounts>;
}

function add(map: Map<string, SeverityCounts>, key: string): SeverityCounts {
  let counts = map.get(key);
  if (!counts) map.set(key, (counts = emptySeverityCounts()));
  return counts;
}

/**
 * Current findings counted per severity, account and region, over the keys still listed (gone
 * ones are history). One GROUP BY that the (account_id, region, severity, gone_at) index answers
 * by an index-only scan, without reading the wide key rows.
 */
export async function fetchKeyCounts(db: PrismaClient, scope: AccountScope): Promise<KeyCounts> {
  const groups = await db.kmsKey.groupBy({
    by: ["accountId", "region", "severity"],
    where: { goneAt: null, ...accountIdInScope(scope) },
    _count: { _all: true },
  });
  const counts: KeyCounts = { totals: emptySeverityCounts(), byAccount: new Map(), byRegion: new Map() };
  for (const group of groups) {
    const n = group._count._all;
    counts.totals[group.severity] += n;
    add(counts.byAccount, group.accountId)[group.severity] += n;
    add(counts.byRegion, group.region)[group.severity] += n;
  }
  return counts;
}
