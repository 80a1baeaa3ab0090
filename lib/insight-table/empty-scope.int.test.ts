import { beforeAll, describe, expect, it } from "vitest";
import { removeAccount } from "@/lib/accounts/service";
import { fetchLastScan } from "@/lib/scans/last-scan";
import { fetchScanHistory } from "@/lib/scans/history";
import { fetchStaleRegions } from "@/lib/scans/stale-regions";
import { accountScopeOf, setAccountScope } from "@/lib/users/account-scope";
import { createUser, userWithScope } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import type { AccountScope } from "@/lib/auth/account-scope";
import { fetchComplianceStatus } from "@/lib/verdict/compliance-status";
import { auditedExportRows } from "./export";
import { EMPTY_FILTERS } from "./filters";
import { fetchKeyCounts } from "./key-counts";
import { fetchKeyDetail } from "./key-detail";
import { fetchOverview } from "./overview";
import { fetchFilterOptions, fetchInsightPage, fetchTagKeys, fetchTagValues, insightState } from "./query";
import { fetchSeverityTrend } from "./severity-trend";

// A viewer limited to one account, which is then removed, has no account left: every read must
// show it nothing. Each read is first checked to show something to every account, so that an
// empty answer below means the scope did it.

const db = useFreshDatabase();
let estate: Awaited<ReturnType<typeof seedDashboardEstate>>;
let scope: AccountScope;

beforeAll(async () => {
  estate = await seedDashboardEstate(db.prisma);
  await db.prisma.keyTag.create({
    data: { kmsKeyId: estate.replica.id, tagKey: "team", tagValue: "payments" },
  });
  const viewer = await createUser(db.prisma, {
    email: "stranded@example.com",
    password: "long enough password",
    role: "viewer",
  });
  await setAccountScope(db.prisma, viewer.id, [ESTATE.sandbox], { actorEmail: "test" });
  await removeAccount(db.prisma, ESTATE.sandbox, { actorEmail: "test" });
  scope = accountScopeOf(
    await db.prisma.user.findUniqueOrThrow({ where: { id: viewer.id }, include: userWithScope }),
  );
}, 60_000);

const ALL = { ...EMPTY_FILTERS, severities: ["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"] as const };
const reads = {
  page: async (s: AccountScope) => {
    const page = await fetchInsightPage(db.prisma, { ...ALL, severities: [...ALL.severities] }, s);
    return { rows: page.rows.length, total: page.total };
  },
  totals: async (s: AccountScope) => (await fetchKeyCounts(db.prisma, s)).totals,
  state: (s: AccountScope) => insightState(db.prisma, s),
  filterOptions: (s: AccountScope) => fetchFilterOptions(db.prisma, s),
  tagKeys: (s: AccountScope) => fetchTagKeys(db.prisma, s),
  tagValues: (s: AccountScope) => fetchTagValues(db.prisma, "team", s),
  keyDetail: async (s: AccountScope) =>
    (await fetchKeyDetail(db.prisma, estate.critical.id, s))?.key.id ?? null,
  csv: async (s: AccountScope) => {
    const rows = [];
    const filters = { ...ALL, severities: [...ALL.severities] };
    for await (const row of auditedExportRows(db.prisma, db.url, filters, s, { actorEmail: "test" })) {
      rows.push(row);
    }
    return rows.length;
  },
  compliance: async (s: AccountScope) => (await fetchComplianceStatus(db.prisma, s)).evaluatedKeys,
  overview: async (s: AccountScope) => {
    const o = await fetchOverview(db.prisma, s);
    return [
      o.accountCount,
      o.totalKeys,
      o.accounts.length,
      o.regions.length,
      o.trend.length,
      o.lastScan,
      o.stale,
    ];
  },
  trend: (s: AccountScope) => fetchSeverityTrend(db.prisma, s),
  lastScan: (s: AccountScope) => fetchLastScan(db.prisma, s),
  stale: (s: AccountScope) => fetchStaleRegions(db.prisma, s),
  scans: async (s: AccountScope) => {
    const history = await fetchScanHistory(
      db.prisma,
      { page: 1 },
      { email: "stranded@example.com", role: "viewer", accountScope: s },
    );
    return { total: history.total, scans: history.scans.length };
  },
};

const NOTHING: { [K in keyof typeof reads]: Awaited<ReturnType<(typeof reads)[K]>> } = {
  page: { rows: 0, total: 0 },
  totals: { CRITICAL: 0, WARNING: 0, OK: 0, NOT_APPLICABLE: 0 },
  state: { hasAccounts: false, hasCompletedScan: false, scanRunning: false, hasKeys: false },
  filterOptions: { accounts: [], regions: [], ous: [] },
  tagKeys: [],
  tagValues: [],
  keyDetail: null,
  csv: 0,
  compliance: 0,
  overview: [0, 0, 0, 0, 0, null, []],
  trend: [],
  lastScan: null,
  stale: [],
  scans: { total: 0, scans: 0 },
};

describe("a scoped viewer whose only account was removed", () => {
  it("is limited to no account, not to every account", () => {
    expect(scope).toEqual([]);
  });

  it.each(Object.keys(reads) as (keyof typeof reads)[])("sees nothing in %s", async (name) => {
    expect(await reads[name](null)).not.toEqual(NOTHING[name]);
    expect(await reads[name](scope)).toEqual(NOTHING[name]);
  });
});
