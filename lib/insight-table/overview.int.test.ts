import { beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useFreshDatabase } from "@/test/db";
import { addKey, addScan, ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { fetchOverview } from "./overview";

const db = useFreshDatabase({ perTest: true });
let prisma: PrismaClient;
beforeEach(async () => {
  prisma = db.prisma;
});

const counts = (CRITICAL: number, WARNING: number, OK: number, NOT_APPLICABLE: number) => ({
  CRITICAL,
  WARNING,
  OK,
  NOT_APPLICABLE,
});

describe("fetchOverview", () => {
  it("says there is nothing yet on an empty database", async () => {
    const overview = await fetchOverview(prisma, null);
    expect(overview).toMatchObject({ accountCount: 0, totalKeys: 0, lastScan: null, trend: [], stale: [] });
    expect(overview.totals).toEqual(counts(0, 0, 0, 0));
  });

  it("counts the listed keys by severity, account and region, leaving gone keys out", async () => {
    await seedDashboardEstate(prisma);
    const overview = await fetchOverview(prisma, null);
    expect(overview.totals).toEqual(counts(4, 2, 7, 2));
    expect(overview.totalKeys).toBe(15);
    expect(overview.accountCount).toBe(3);
    expect(overview.accounts.map((a) => [a.name, a.counts, a.total])).toEqual([
      ["Production", counts(3, 1, 5, 1), 10],
      ["Sandbox", counts(0, 0, 0, 0), 0],
      ["Staging", counts(1, 1, 2, 1), 5],
    ]);
    expect(overview.regions.map((r) => [r.region, r.counts])).toEqual([
      ["eu-west-1", counts(2, 2, 5, 1)],
      ["us-east-1", counts(2, 0, 2, 1)],
    ]);
  });

  it("stops counting a key once it is gone", async () => {
    const { critical } = await seedDashboardEstate(prisma);
    await prisma.kmsKey.update({ where: { id: critical.id }, data: { goneAt: new Date() } });
    const overview = await fetchOverview(prisma, null);
    expect(overview.totals.CRITICAL).toBe(3);
    expect(overview.accounts.find((a) => a.id === ESTATE.production)?.counts.CRITICAL).toBe(2);
  });

  it("shows the last scan with its failed account-regions and the stale account-regions", async () => {
    const { scans } = await seedDashboardEstate(prisma);
    const overview = await fetchOverview(prisma, null);
    expect(overview.lastScan).toMatchObject({ id: scans[2]!.id, status: "PARTIAL" });
    expect(overview.lastScan?.error).toMatch(/1 of 4/);
    expect(overview.lastScan?.failedTargets).toEqual([
      expect.objectContaining({ accountName: "Staging", region: "us-east-1", status: "FAILED" }),
    ]);
    expect(overview.stale).toEqual([
      expect.objectContaining({
        accountId: ESTATE.staging,
        region: "us-east-1",
        lastError: expect.any(String),
      }),
    ]);
  });

  it("sums CRITICAL and WARNING per finished scan, oldest first", async () => {
    const { scans } = await seedDashboardEstate(prisma);
    await addScan(prisma, { startedAt: new Date("2026-11-25T08:00:00Z"), status: "RUNNING" });
    const overview = await fetchOverview(prisma, null);
    expect(overview.trend.map((p) => [p.scanId, p.critical, p.warning])).toEqual([
      [scans[0]!.id, 4, 2],
      [scans[1]!.id, 4, 1],
      [scans[2]!.id, 2, 1],
    ]);
    // The running scan is the last scan, but has no complete counts for the chart yet.
    expect(overview.lastScan?.status).toBe("RUNNING");
  });

  it("keeps the last 30 finished scans in the trend", async () => {
    for (let i = 0; i < 33; i++) {
      await addScan(prisma, {
        startedAt: new Date(Date.UTC(2026, 9, 1 + i)),
        status: i === 32 ? "FAILED" : "SUCCEEDED",
      });
    }
    const trend = (await fetchOverview(prisma, null)).trend;
    expect(trend).toHaveLength(30);
    expect(trend[0]!.startedAt).toEqual(new Date(Date.UTC(2026, 9, 3)));
    expect(trend[29]!.startedAt).toEqual(new Date(Date.UTC(2026, 9, 32)));
  });

  it("limits every number, the trend, the scan errors and the stale list to the user's accounts", async () => {
    await seedDashboardEstate(prisma);
    const staging = await fetchOverview(prisma, [ESTATE.staging]);
    expect(staging.accountCount).toBe(1);
    expect(staging.accounts.map((a) => a.name)).toEqual(["Staging"]);
    expect(staging.totals).toEqual(counts(1, 1, 2, 1));
    expect(staging.regions.map((r) => [r.region, r.total])).toEqual([
      ["eu-west-1", 3],
      ["us-east-1", 2],
    ]);
    expect(staging.trend.map((p) => [p.critical, p.warning])).toEqual([
      [1, 0],
      [1, 0],
      [0, 0],
    ]);
    expect(staging.lastScan?.failedTargets.map((t) => t.accountId)).toEqual([ESTATE.staging]);
    expect(staging.lastScan?.error).toBeNull();
    expect(staging.stale).toHaveLength(1);

    const production = await fetchOverview(prisma, [ESTATE.production]);
    expect(production.totals).toEqual(counts(3, 1, 5, 1));
    expect(production.lastScan?.failedTargets).toEqual([]);
    expect(production.stale).toEqual([]);

    const nothing = await fetchOverview(prisma, []);
    expect(nothing).toMatchObject({ accountCount: 0, totalKeys: 0, stale: [] });
  });

  it("shows a limited viewer the trend and the last scan of its accounts only", async () => {
    const estate = await seedDashboardEstate(prisma);
    // A later scan of the sandbox account alone, with a CRITICAL key there.
    const sandboxScan = await addScan(prisma, {
      startedAt: new Date("2026-11-25T08:00:00Z"),
      status: "PARTIAL",
      error: "1 of 1 account-regions failed (333333333333/eu-west-1)",
      targets: [{ accountId: ESTATE.sandbox, region: "eu-west-1", status: "FAILED", error: "AccessDenied" }],
      summaries: [{ accountId: ESTATE.sandbox, region: "eu-west-1", severity: "CRITICAL", count: 1 }],
    });

    const production = await fetchOverview(prisma, [ESTATE.production]);
    expect(production.trend.map((p) => p.scanId)).toEqual(estate.scans.map((s) => s.id));
    expect(production.lastScan).toMatchObject({ id: estate.scans[2]!.id, failedTargets: [] });

    const sandbox = await fetchOverview(prisma, [ESTATE.sandbox]);
    expect(sandbox.trend.map((p) => [p.scanId, p.critical])).toEqual([[sandboxScan.id, 1]]);
    expect(sandbox.lastScan?.id).toBe(sandboxScan.id);

    const everyAccount = await fetchOverview(prisma, null);
    expect(everyAccount.trend).toHaveLength(4);
    expect(everyAccount.lastScan?.id).toBe(sandboxScan.id);
  });

  it("names the worst accounts by open critical then warning findings, as count(*) finds them", async () => {
    const { critical } = await seedDashboardEstate(prisma);
    // Staging gets a second open warning; one of Production's criticals goes under an exception.
    await addKey(prisma, { accountId: ESTATE.staging, region: "eu-west-1", severity: "WARNING" });
    const exception = await prisma.findingException.create({
      data: {
        id: "x-worst",
        seriesId: "x-worst",
        kind: "ACCEPTED_RISK",
        justification: "test",
        ownerEmail: "owner@example.com",
        createdByEmail: "owner@example.com",
        expiresAt: new Date(Date.now() + 86_400_000),
        accounts: [ESTATE.production],
        approvedAt: new Date(),
        approvedByEmail: "admin@example.com",
      },
    });
    await prisma.kmsKey.update({ where: { id: critical.id }, data: { exceptionId: exception.id } });

    const open = await prisma.$queryRaw<{ account_id: string; critical: number; warning: number }[]>`
      SELECT account_id,
        count(*) FILTER (WHERE severity = 'CRITICAL')::int AS critical,
        count(*) FILTER (WHERE severity = 'WARNING')::int AS warning
      FROM kms_keys WHERE gone_at IS NULL AND status = 'OPEN'
      GROUP BY account_id ORDER BY critical DESC, warning DESC`;
    const overview = await fetchOverview(prisma, null);
    expect(overview.worstAccounts.map((a) => [a.id, a.counts.CRITICAL, a.counts.WARNING])).toEqual(
      open.map((r) => [r.account_id, r.critical, r.warning]),
    );
    expect(overview.worstAccounts.map((a) => [a.name, a.counts.CRITICAL, a.counts.WARNING])).toEqual([
      ["Production", 2, 1],
      ["Staging", 1, 2],
    ]);

    const staging = await fetchOverview(prisma, [ESTATE.staging]);
    expect(staging.worstAccounts.map((a) => a.name)).toEqual(["Staging"]);
    expect((await fetchOverview(prisma, [ESTATE.sandbox])).worstAccounts).toEqual([]);
  });
});
