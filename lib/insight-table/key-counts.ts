import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { Severity } from "@/lib/generated/prisma/enums";
import type { AccountScope } from "@/lib/auth/account-scope";
import { readAfterExpiries } from "@/lib/exceptions/apply";
import { emptySeverityCounts, type SeverityCounts } from "@/lib/verdict/severity-counts";

export interface KeyCounts {
  /** Per severity, excepted findings left out (they are counted in `excepted`). */
  totals: SeverityCounts;
  /** Failing findings covered by an exception in force. */
  excepted: number;
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
 * ones are history) and not excepted (those are counted apart): added up from kms_key_counts, a row per account, region and severity that
 * triggers on kms_keys keep exact (migration 20261130140000). Counting the keys themselves took
 * 0.25-0.5 s at a million keys, and seconds right after a scan had rewritten every key row.
 */
export async function fetchKeyCounts(db: PrismaClient, scope: AccountScope): Promise<KeyCounts> {
  const inScope = scope ? Prisma.sql`AND account_id = ANY(${[...scope]}::char(12)[])` : Prisma.empty;
  const groups = await readAfterExpiries(
    db,
    () => db.$queryRaw<
      { account_id: string | null; region: string | null; severity: Severity; n: number; excepted: number }[]
    >`
    SELECT account_id, region, severity::text AS severity,
      coalesce(sum(count) FILTER (WHERE status <> 'EXCEPTED'), 0)::int AS n,
      coalesce(sum(count) FILTER (WHERE status = 'EXCEPTED'), 0)::int AS excepted
    FROM kms_key_counts WHERE count > 0 ${inScope}
    GROUP BY GROUPING SETS ((account_id, severity), (region, severity))`,
  );
  const counts: KeyCounts = {
    totals: emptySeverityCounts(),
    excepted: 0,
    byAccount: new Map(),
    byRegion: new Map(),
  };
  for (const group of groups) {
    if (group.account_id !== null) {
      counts.totals[group.severity] += group.n;
      counts.excepted += group.excepted;
      add(counts.byAccount, group.account_id)[group.severity] += group.n;
    } else if (group.region !== null) {
      add(counts.byRegion, group.region)[group.severity] += group.n;
    }
  }
  return counts;
}
