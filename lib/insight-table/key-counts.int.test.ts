import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addScan } from "@/test/fixtures/dashboard-rows";
import { ACCOUNTS, seedInsightRows } from "@/test/fixtures/insight-rows";
import { EMPTY_FILTERS, type InsightFilters } from "./filters";
import { fetchKeyCounts } from "./key-counts";
import { fetchInsightPage } from "./query";

// The count tables of migration 20261130140000 (kms_key_counts and its tag and severity siblings,
// scan_totals) are kept by triggers. Whatever writes the keys, they must equal a count of the keys
// themselves, counted the way the filters select them (key_tags for tags).

const db = useFreshDatabase();
let sql: pg.Client;

beforeAll(async () => {
  await seedInsightRows(db.prisma);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
});

const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

async function both(kept: string, counted: string) {
  const [a, b] = await Promise.all([sql.query(kept), sql.query(counted)]);
  return { kept: sorted(a.rows), counted: sorted(b.rows) };
}

/** Every count table against a recount from kms_keys, key_tags and scan_summaries. */
async function expectCountsExact() {
  const keys = await both(
    `SELECT account_id, region, severity::text, status::text, overdue, count FROM kms_key_counts`,
    `SELECT account_id, region, severity::text, status::text, overdue, count(*)::int AS count FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3, 4, 5`,
  );
  expect(keys.kept).toEqual(keys.counted);
  const severities = await both(
    `SELECT severity::text, status::text, overdue, sum(count)::int AS count FROM kms_key_severity_counts GROUP BY 1, 2, 3`,
    `SELECT severity::text, status::text, overdue, count(*)::int AS count FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3`,
  );
  expect(severities.kept).toEqual(severities.counted);
  // Tag keys a filter can name (AWS's 128 characters); values a filter can name (256).
  const tags = await both(
    `SELECT tag_key, account_id, region, severity::text, status::text, overdue, count FROM kms_key_tag_counts`,
    `SELECT t.tag_key, k.account_id, k.region, k.severity::text, k.status::text, k.overdue, count(*)::int AS count
     FROM kms_keys k JOIN key_tags t ON t.kms_key_id = k.id
     WHERE k.gone_at IS NULL AND length(t.tag_key) <= 128 GROUP BY 1, 2, 3, 4, 5, 6`,
  );
  expect(tags.kept).toEqual(tags.counted);
  const values = await both(
    `SELECT tag_key, tag_value, account_id, region, severity::text, status::text, overdue, count FROM kms_key_tag_value_counts
     WHERE length(tag_value) <= 256`,
    `SELECT t.tag_key, t.tag_value, k.account_id, k.region, k.severity::text, k.status::text, k.overdue, count(*)::int AS count
     FROM kms_keys k JOIN key_tags t ON t.kms_key_id = k.id
     WHERE k.gone_at IS NULL AND length(t.tag_key) <= 128 AND length(t.tag_value) <= 256 GROUP BY 1, 2, 3, 4, 5, 6, 7`,
  );
  expect(values.kept).toEqual(values.counted);
  const openDays = await both(
    `SELECT account_id, region, severity::text, failing_day, due_day, count FROM kms_key_open_days`,
    `SELECT account_id, region, severity::text, (failing_since AT TIME ZONE 'UTC')::date AS failing_day,
       (due_at AT TIME ZONE 'UTC')::date AS due_day, count(*)::int AS count
     FROM kms_keys WHERE gone_at IS NULL AND status = 'OPEN' GROUP BY 1, 2, 3, 4, 5`,
  );
  expect(openDays.kept).toEqual(openDays.counted);
  const evaluations = await both(
    `SELECT account_id, region, evaluated_at, count FROM kms_key_evaluations`,
    `SELECT account_id, region, evaluated_at, count(*)::int AS count FROM kms_keys WHERE gone_at IS NULL GROUP BY 1, 2, 3`,
  );
  expect(evaluations.kept).toEqual(evaluations.counted);
  const totals = await both(
    `SELECT scan_id, severity::text, sum(count)::int AS count FROM scan_totals GROUP BY 1, 2 HAVING sum(count) <> 0`,
    `SELECT scan_id, severity::text, sum(count)::int AS count FROM scan_summaries GROUP BY 1, 2 HAVING sum(count) <> 0`,
  );
  expect(totals.kept).toEqual(totals.counted);
  // The overdue mark is never set on a finding that is not overdue (it may lag one that fell due).
  const { rows: wrong } = await sql.query(
    `SELECT id FROM kms_keys WHERE overdue AND NOT (status = 'OPEN' AND due_at < now())`,
  );
  expect(wrong).toEqual([]);
}

/** The insight page's total for these filters, and the rows it can page through. */
async function totalAndRows(filters: Partial<InsightFilters>) {
  const page = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, pageSize: 200, ...filters }, null);
  return { total: page.total, rows: page.rows.length };
}

describe("count tables", () => {
  it("hold the seeded keys' counts", async () => {
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM kms_key_counts`);
    expect(rows[0].n).toBeGreaterThan(0);
    await expectCountsExact();
  });

  it("follow severity changes, keys going and coming back, tag changes and deletes", async () => {
    const [A, B] = ACCOUNTS.map((a) => a.id) as [string, string];
    await sql.query(`UPDATE kms_keys SET severity = 'OK' WHERE account_id = $1 AND severity = 'CRITICAL'`, [
      A,
    ]);
    await expectCountsExact();
    await sql.query(`UPDATE kms_keys SET gone_at = now() WHERE account_id = $1 AND region = 'eu-west-1'`, [
      B,
    ]);
    await expectCountsExact();
    await sql.query(`UPDATE kms_keys SET gone_at = NULL WHERE account_id = $1`, [B]);
    await expectCountsExact();
    // A tag changed on one key: both the key's row and its key_tags, as the collector writes them.
    const { rows } = await sql.query<{ id: string }>(
      `SELECT k.id FROM kms_keys k JOIN key_tags t ON t.kms_key_id = k.id AND t.tag_key = 'env'
       WHERE k.gone_at IS NULL ORDER BY k.id LIMIT 1`,
    );
    const id = rows[0]!.id;
    await sql.query("BEGIN");
    await sql.query(`UPDATE key_tags SET tag_value = 'changed' WHERE kms_key_id = $1 AND tag_key = 'env'`, [
      id,
    ]);
    await sql.query(
      `UPDATE kms_keys SET tags = (SELECT jsonb_agg(jsonb_build_object('key', tag_key, 'value', tag_value))
         FROM key_tags WHERE kms_key_id = $1) WHERE id = $1`,
      [id],
    );
    await sql.query("COMMIT");
    await expectCountsExact();
    // A scan that rewrites every row with the same findings changes no count.
    const before = await sql.query(`SELECT * FROM kms_key_counts ORDER BY 1, 2, 3`);
    await sql.query(`UPDATE kms_keys SET evaluated_at = now(), last_seen_at = now()`);
    expect((await sql.query(`SELECT * FROM kms_key_counts ORDER BY 1, 2, 3`)).rows).toEqual(before.rows);
    await expectCountsExact();
    // One account-region evaluated again later (a scan of its own).
    await sql.query(
      `UPDATE kms_keys SET evaluated_at = now() + interval '1 hour' WHERE account_id = $1 AND region = 'us-east-1'`,
      [B],
    );
    await sql.query(`DELETE FROM kms_keys WHERE id IN (SELECT id FROM kms_keys ORDER BY id LIMIT 5)`);
    await expectCountsExact();
  });

  it("give the insight page's totals: each equals the rows the filters select", async () => {
    for (const filters of [
      {},
      { severities: ["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"] as InsightFilters["severities"] },
      { accounts: [ACCOUNTS[1].id] },
      { regions: ["us-east-1"] },
      { tag: "env" },
      { tag: "env", tagValues: ["prod", "changed"] },
      { tag: "team", tagValues: [""] },
      { tag: "huge" },
      { tag: "huge", tagValues: ["x".repeat(256)] },
      { tag: "nope" },
      { overdue: "1" as const },
      { overdue: "1" as const, tag: "env", accounts: [ACCOUNTS[0].id] },
    ]) {
      const { total, rows } = await totalAndRows(filters);
      expect(total, JSON.stringify(filters)).toBe(rows);
    }
  });

  it("walk the Last evaluated order page by page exactly as ORDER BY would", async () => {
    const [A] = ACCOUNTS.map((a) => a.id) as [string];
    // Keys of one account-region evaluated at another instant, and two keys on their own.
    await sql.query(`UPDATE kms_keys SET evaluated_at = now() - interval '1 day' WHERE account_id = $1`, [A]);
    await sql.query(
      `UPDATE kms_keys SET evaluated_at = now() - interval '2 days' WHERE id IN (SELECT id FROM kms_keys ORDER BY key_id LIMIT 2)`,
    );
    await expectCountsExact();
    for (const desc of [false, true]) {
      for (const extra of [{}, { tag: "env" }, { accounts: [A] }, { regions: ["eu-west-1"] }]) {
        const filters = { ...EMPTY_FILTERS, ...extra, sort: { column: "lastEvaluated" as const, desc } };
        const paged: string[] = [];
        for (let page = 1; ; page++) {
          const result = await fetchInsightPage(db.prisma, { ...filters, pageSize: 25, page }, null);
          paged.push(...result.rows.map((r) => r.id));
          if (page >= result.pageCount) break;
        }
        const all = await fetchInsightPage(db.prisma, { ...filters, pageSize: 200, page: 1 }, null);
        const ids = all.rows.map((r) => r.id);
        const dir = desc ? "DESC" : "ASC";
        const { rows } = await sql.query<{ id: string }>(
          `SELECT id FROM kms_keys WHERE id = ANY($1)
           ORDER BY evaluated_at ${dir}, account_id ${dir}, region ${dir}, key_id ${dir}, id ${dir}`,
          [ids],
        );
        expect(ids.length, JSON.stringify(extra)).toBeGreaterThan(0);
        expect(ids).toEqual(rows.map((r) => r.id));
        expect(paged).toEqual(ids);
      }
    }
  });

  it("drop an account's counts with the account, and the overview adds up what is left", async () => {
    const C = ACCOUNTS[2].id;
    await sql.query(`DELETE FROM aws_accounts WHERE id = $1`, [C]);
    await expectCountsExact();
    const counts = await fetchKeyCounts(db.prisma, null);
    expect(counts.byAccount.has(C)).toBe(false);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM kms_keys WHERE gone_at IS NULL`);
    expect(Object.values(counts.totals).reduce((a, b) => a + b, 0)).toBe(rows[0].n);
  });

  it("keep per-scan totals of the summaries for the trend", async () => {
    const A = ACCOUNTS[0].id;
    await addScan(db.prisma, {
      startedAt: new Date("2026-11-29T00:00:00Z"),
      summaries: [
        { accountId: A, region: "eu-west-1", severity: "CRITICAL", count: 3 },
        { accountId: A, region: "eu-west-1", severity: "WARNING", count: 1 },
        { accountId: A, region: "us-east-1", severity: "CRITICAL", count: 2 },
        { accountId: A, region: "us-east-1", severity: "OK", count: 4 },
      ],
    });
    await expectCountsExact();
    await sql.query(`UPDATE scan_summaries SET count = count + 1 WHERE severity = 'CRITICAL'`);
    await expectCountsExact();
    await sql.query(`DELETE FROM scan_summaries WHERE region = 'us-east-1'`);
    await expectCountsExact();
  });

  it("empty with a truncate of the keys", async () => {
    await sql.query(`TRUNCATE kms_keys CASCADE`);
    await expectCountsExact();
    const { rows } = await sql.query(
      `SELECT (SELECT count(*) FROM kms_key_counts) + (SELECT count(*) FROM kms_key_severity_counts) AS n`,
    );
    expect(Number(rows[0].n)).toBe(0);
  });
});
