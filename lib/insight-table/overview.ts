import type { PrismaClient } from "@/lib/generated/prisma/client";
import { fetchLastScan, type LastScan } from "@/lib/scans/last-scan";
import { fetchStaleRegions, type StaleRegion } from "@/lib/scans/stale-regions";
import type { AccountScope } from "@/lib/auth/account-scope";
import { fetchKeyCounts } from "./key-counts";
import { emptySeverityCounts, failingOf, totalOf, type SeverityCounts } from "@/lib/verdict/severity-counts";
import { fetchSeverityTrend, type TrendPoint } from "./severity-trend";
import { fetchTriageOverview, type TriageOverview } from "@/lib/triage/overview";

export interface AccountSummary {
  id: string;
  name: string;
  counts: SeverityCounts;
  total: number;
}

/** How many accounts the overview names as the worst. */
export const WORST_ACCOUNTS = 5;

export interface RegionSummary {
  region: string;
  counts: SeverityCounts;
  total: number;
}

export interface Overview {
  /** Accounts the user may see (configured, whether or not they have keys yet). */
  accountCount: number;
  /** Per severity, excepted findings left out (KeyCounts.totals). */
  totals: SeverityCounts;
  totalKeys: number;
  /** Failing findings covered by an exception in force, shown beside the totals. */
  excepted: number;
  accounts: AccountSummary[];
  /** The accounts with the most open critical, then warning, findings (none without any), at most WORST_ACCOUNTS. */
  worstAccounts: AccountSummary[];
  regions: RegionSummary[];
  trend: TrendPoint[];
  lastScan: LastScan | null;
  stale: StaleRegion[];
  triage: TriageOverview;
}

/** Everything the overview shows, limited to the user's accounts; independent queries. */
export async function fetchOverview(db: PrismaClient, scope: AccountScope): Promise<Overview> {
  const [accounts, counts, trend, lastScan, stale, triage] = await Promise.all([
    db.awsAccount.findMany({
      where: scope ? { id: { in: [...scope] } } : {},
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, name: true },
    }),
    fetchKeyCounts(db, scope),
    fetchSeverityTrend(db, scope),
    fetchLastScan(db, scope),
    fetchStaleRegions(db, scope),
    fetchTriageOverview(db, scope),
  ]);
  const summaries = accounts.map((account) => {
    const accountCounts = counts.byAccount.get(account.id) ?? emptySeverityCounts();
    return { ...account, counts: accountCounts, total: totalOf(accountCounts) };
  });
  return {
    accountCount: accounts.length,
    totals: counts.totals,
    // Every live key: the excepted findings are counted apart from the severities, not left out.
    totalKeys: totalOf(counts.totals) + counts.excepted,
    excepted: counts.excepted,
    accounts: summaries,
    worstAccounts: worstOf(summaries),
    regions: [...counts.byRegion]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([region, regionCounts]) => ({ region, counts: regionCounts, total: totalOf(regionCounts) })),
    trend,
    lastScan,
    stale,
    triage,
  };
}

/** Open critical findings first, then warnings; the order of the list (by name) breaks ties. */
function worstOf(accounts: AccountSummary[]): AccountSummary[] {
  return accounts
    .filter((a) => failingOf(a.counts) > 0)
    .sort((a, b) => b.counts.CRITICAL - a.counts.CRITICAL || b.counts.WARNING - a.counts.WARNING)
    .slice(0, WORST_ACCOUNTS);
}
