import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addAccount, addKey, addScan } from "@/test/fixtures/dashboard-rows";
import type { AccountScope } from "@/lib/auth/account-scope";
import { type Facets, fetchFacets } from "./facets";
import { EMPTY_FILTERS, type InsightFilters } from "./filters";
import { fetchInsightKeysetPage } from "./keyset";
import { fetchInsightPage } from "./query";
import { streamInsightRows } from "./stream";

// A change filter that counts from a scan reads that scan's start once, then compares with it (see
// ./change-start). A scan's changes are dated at its start, so a key that changed in the scan
// counted from sits exactly on the instant, and must stay out (strictly after); with no scan before
// the latest (none, or one), every change counts. Each read that takes the filters says so: the
// page and its total, the filter counts, the API's keyset page and the export's rows.

const db = useFreshDatabase({ perTest: true });
let pool: pg.Pool;
const A = "111111111111";
const B = "222222222222";
const REGION = "eu-west-1";

beforeEach(async () => {
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await addAccount(db.prisma, A, "Alpha");
  await addAccount(db.prisma, B, "Beta");
  for (const keyId of ["k1", "k2", "k3", "k4"])
    await addKey(db.prisma, { accountId: keyId === "k4" ? B : A, region: REGION, severity: "OK", keyId });
});
afterEach(async () => {
  await pool.end();
});

/** The keys fail as a write of the scan (dated at its start), or of no scan (dated now). */
async function fail(scanId: string | null, keyIds: string[]) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    if (scanId) await client.query(`SELECT set_config('insights.scan_id', $1, true)`, [scanId]);
    await client.query(
      `UPDATE kms_keys SET severity = 'CRITICAL', reason = 'ROTATION_DISABLED' WHERE key_id = ANY($1)`,
      [keyIds],
    );
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

const scanAt = (day: number, accounts = [A, B]) =>
  addScan(db.prisma, {
    startedAt: new Date(Date.UTC(2026, 11, day, 8, 0, 0, 123)),
    targets: accounts.map((accountId) => ({ accountId, region: REGION })),
  });

/** The key ids a view selects, as each read gives them (sorted), with the page's total and the critical count. */
async function selected(filters: Partial<InsightFilters>, scope: AccountScope = null) {
  const view = { ...EMPTY_FILTERS, ...filters };
  const page = await fetchInsightPage(db.prisma, view, scope);
  const keyset = await fetchInsightKeysetPage(db.prisma, view, scope, null);
  const exported: string[] = [];
  for await (const row of streamInsightRows(pool, view, scope)) exported.push(row.keyId);
  const facets = await fetchFacets(db.prisma, view, scope);
  const keyIds = page.rows.map((r) => r.keyId).sort();
  expect(page.total).toBe(keyIds.length);
  expect(keyset.rows.map((r) => r.keyId).sort()).toEqual(keyIds);
  expect(exported.sort()).toEqual(keyIds);
  expect(facets).not.toBe("capped");
  expect((facets as Facets | null)?.severities?.CRITICAL ?? 0).toBe(keyIds.length);
  return keyIds;
}

describe("a change counted from a scan", () => {
  it("counts every change when no scan was ever run", async () => {
    await fail(null, ["k1", "k2"]);
    expect(await selected({ changes: ["new"] })).toEqual(["k1", "k2"]);
  });

  it("counts every change, the only scan's too, when there is no scan before the latest", async () => {
    const only = await scanAt(1);
    await fail(only.id, ["k1"]);
    await fail(null, ["k2"]);
    expect(await selected({ changes: ["new"] })).toEqual(["k1", "k2"]);
  });

  it("leaves out a change made exactly at the previous scan's start, and keeps those after it", async () => {
    const previous = await scanAt(1);
    const latest = await scanAt(2);
    await fail(previous.id, ["k1"]);
    await fail(latest.id, ["k2"]);
    await fail(null, ["k3"]);
    expect(await selected({ changes: ["new"] })).toEqual(["k2", "k3"]);
    expect(await selected({ changes: ["new"], since: previous.id })).toEqual(["k2", "k3"]);
    expect(await selected({ changes: ["new"], since: latest.id })).toEqual(["k3"]);
    // An unknown scan counts from no instant: nothing changed after it.
    expect(await selected({ changes: ["new"], since: "cabcdefghijklmnopqrstuvwx" })).toEqual([]);
  });

  it("counts from the previous scan of the reader's accounts", async () => {
    const before = await scanAt(1);
    const ofA = await scanAt(2, [A]);
    await scanAt(3, [B]);
    await fail(before.id, ["k1", "k4"]);
    await fail(ofA.id, ["k2"]);
    // For A the scans are days 1 and 2: from day 1's start. For every account: from day 2's.
    expect(await selected({ changes: ["new"] }, [A])).toEqual(["k2"]);
    expect(await selected({ changes: ["new"] })).toEqual([]);
  });
});
