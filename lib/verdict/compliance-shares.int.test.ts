import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { csvDownload } from "@/lib/csv/download";
import { createExportPool, type ExportPool } from "@/lib/db/export-pool";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedReferenceData } from "@/lib/server/seed";
import { useFreshDatabase } from "@/test/db";
import { addAccount, addKey, ESTATE, seedDashboardEstate } from "@/test/fixtures/dashboard-rows";
import { parseRfc4180 } from "@/test/support/parse-rfc4180";
import {
  auditedComplianceRows,
  COMPLIANCE_CSV_COLUMNS,
  COMPLIANCE_EXPORT_ACTION,
  COMPLIANCE_EXPORT_PREFIX,
} from "./compliance-export";
import { fetchComplianceShares } from "./compliance-shares";
import type { AccountScope } from "@/lib/auth/account-scope";

const db = useFreshDatabase({ perTest: true });
let prisma: PrismaClient;
const pools: ExportPool[] = [];

beforeEach(async () => {
  prisma = db.prisma;
  await seedReferenceData(prisma);
  await seedDashboardEstate(prisma);
  // One Production key fails under an exception: it passes, counted as excepted.
  const exception = await prisma.findingException.create({
    data: {
      id: "x-shares",
      seriesId: "x-shares",
      kind: "ACCEPTED_RISK",
      justification: "Retired next quarter",
      ownerEmail: "owner@example.com",
      createdByEmail: "admin@example.com",
      expiresAt: new Date(Date.now() + 30 * 86_400_000),
      accounts: [ESTATE.production],
      approvedAt: new Date(),
      approvedByEmail: "admin@example.com",
    },
  });
  await addKey(prisma, {
    accountId: ESTATE.production,
    region: "us-east-1",
    severity: "WARNING",
    exceptionId: exception.id,
  });
  // An account whose name a spreadsheet would read as a formula.
  await addAccount(prisma, "444444444444", '=HYPERLINK("http://evil")');
  await addKey(prisma, { accountId: "444444444444", region: "eu-west-1", severity: "OK" });
});

afterAll(async () => {
  for (const p of pools) await p.end().catch(() => {});
});

/** The same figures counted from the keys themselves. */
async function countedFromKeys(scope: string[] | null) {
  const rows = await prisma.$queryRaw<
    { account_id: string; applicable: number; failing: number; excepted: number }[]
  >`
    SELECT account_id,
      count(*)::int AS applicable,
      count(*) FILTER (WHERE severity IN ('CRITICAL', 'WARNING') AND status <> 'EXCEPTED')::int AS failing,
      count(*) FILTER (WHERE status = 'EXCEPTED')::int AS excepted
    FROM kms_keys
    WHERE gone_at IS NULL AND severity <> 'NOT_APPLICABLE'
      AND (${scope}::text[] IS NULL OR account_id = ANY(${scope}::text[]))
    GROUP BY account_id ORDER BY account_id`;
  return rows.map((r) => ({ ...r, passing: r.applicable - r.failing }));
}

describe("fetchComplianceShares", () => {
  it("gives each account's keys passing, failing and excepted as count(*) finds them", async () => {
    const shares = await fetchComplianceShares(prisma, null);
    const withKeys = shares.byAccount
      .filter((a) => a.applicable > 0)
      .map(({ id, applicable, failing, excepted, passing }) => ({
        account_id: id,
        applicable,
        failing,
        excepted,
        passing,
      }))
      .sort((a, b) => a.account_id.localeCompare(b.account_id));
    expect(withKeys).toEqual(await countedFromKeys(null));
    // Production: 2+1 CRITICAL, 1 WARNING open, 5 OK and the excepted WARNING: 10 judged, 6 pass.
    expect(shares.byAccount.find((a) => a.id === ESTATE.production)).toMatchObject({
      applicable: 10,
      passing: 6,
      failing: 4,
      excepted: 1,
    });
    expect(shares.byAccount.find((a) => a.id === ESTATE.sandbox)).toMatchObject({ applicable: 0 });
    const sum = (k: "applicable" | "passing") => shares.byAccount.reduce((n, a) => n + a[k], 0);
    expect(shares.total.applicable).toBe(sum("applicable"));
    expect(shares.total.passing).toBe(sum("passing"));
  });

  it("counts only the accounts in scope", async () => {
    const staging = await fetchComplianceShares(prisma, [ESTATE.staging]);
    expect(staging.byAccount.map((a) => a.id)).toEqual([ESTATE.staging]);
    const [counted] = await countedFromKeys([ESTATE.staging]);
    expect(staging.total).toEqual({
      applicable: counted!.applicable,
      passing: counted!.passing,
      failing: counted!.failing,
      excepted: counted!.excepted,
    });
    expect(await fetchComplianceShares(prisma, [])).toEqual({
      total: { applicable: 0, passing: 0, failing: 0, excepted: 0 },
      byAccount: [],
    });
  });
});

describe("the compliance CSV", () => {
  async function download(scope: AccountScope) {
    const exports = createExportPool(db.url, {});
    pools.push(exports);
    const res = csvDownload({
      exports,
      user: "u1",
      filePrefix: COMPLIANCE_EXPORT_PREFIX,
      columns: COMPLIANCE_CSV_COLUMNS,
      rows: () => auditedComplianceRows(prisma, scope, { actorEmail: "vera@example.com" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="compliance-by-account-/);
    const text = await res.text();
    return parseRfc4180(text.replace(/^\uFEFF/, ""));
  }

  it("has a row per account and framework with the figures of the page, formula-safe", async () => {
    const frameworks = await prisma.complianceMapping.count();
    const [header, ...rows] = await download(null);
    expect(header).toEqual(COMPLIANCE_CSV_COLUMNS.map((c) => c.header));
    const shares = await fetchComplianceShares(prisma, null);
    expect(rows).toHaveLength(shares.byAccount.length * frameworks);
    const col = (name: string) => header!.indexOf(name);
    const production = rows.filter((r) => r[col("account_id")] === ESTATE.production);
    expect(production).toHaveLength(frameworks);
    for (const r of production) {
      expect([r[col("applicable_keys")], r[col("passing_keys")], r[col("passing_percent")]]).toEqual([
        "10",
        "6",
        "60",
      ]);
    }
    const hostile = rows.find((r) => r[col("account_id")] === "444444444444")!;
    expect(hostile[col("account_name")]).toBe('\'=HYPERLINK("http://evil")');
    expect(rows.find((r) => r[col("account_id")] === ESTATE.sandbox)![col("passing_percent")]).toBe("");

    const entries = await prisma.auditLog.findMany({ where: { action: COMPLIANCE_EXPORT_ACTION } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorEmail: "vera@example.com",
      details: { rows: rows.length, completed: true },
    });
  });

  it("holds only the accounts in scope", async () => {
    const [header, ...rows] = await download([ESTATE.staging]);
    const accounts = new Set(rows.map((r) => r[header!.indexOf("account_id")]));
    expect(accounts).toEqual(new Set([ESTATE.staging]));
    expect((await download([])).length).toBe(1);
  });
});
