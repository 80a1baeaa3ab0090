import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { ACCOUNTS, seedInsightRows } from "@/test/fixtures/insight-rows";
import type { InsightRow } from "./columns";
import { EMPTY_FILTERS, type InsightFilters, SORTABLE_COLUMNS } from "./filters";
import { fetchInsightPage, streamInsightRows } from "./query";

const db = useFreshDatabase();

beforeAll(async () => {
  await seedInsightRows(db.prisma);
});

const ALL_SEVERITIES: InsightFilters["severities"] = ["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"];

async function allPages(filters: InsightFilters): Promise<InsightRow[]> {
  const rows: InsightRow[] = [];
  for (let page = 1; ; page++) {
    const result = await fetchInsightPage(db.prisma, { ...filters, page }, null);
    rows.push(...result.rows);
    if (page >= result.pageCount) return rows;
  }
}

async function streamed(
  source: string | pg.Pool,
  filters: InsightFilters,
  batchSize = 7,
): Promise<InsightRow[]> {
  const rows: InsightRow[] = [];
  for await (const row of streamInsightRows(source, filters, null, batchSize)) rows.push(row);
  return rows;
}

type Value = string | number | Date | string[] | null;
const rank = (row: InsightRow) => ALL_SEVERITIES.indexOf(row.severity);
function compare(a: Value, b: Value): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
    return a.length - b.length;
  }
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

describe("sorting", () => {
  it.each(SORTABLE_COLUMNS.flatMap((column) => [false, true].map((desc) => ({ column, desc }))))(
    "orders by $column (desc: $desc), absent values last, then by id",
    async (sort) => {
      const { rows } = await fetchInsightPage(
        db.prisma,
        { ...EMPTY_FILTERS, severities: ALL_SEVERITIES, pageSize: 200, sort },
        null,
      );
      expect(rows).toHaveLength(60);
      // Severity, account and evaluation orders go on by account, region and key id.
      const key = (row: InsightRow): Value[] =>
        sort.column === "severity"
          ? [rank(row), row.accountId, row.region, row.keyId]
          : sort.column === "accountId"
            ? [row.accountId, row.region, row.keyId]
            : sort.column === "lastEvaluated"
              ? [row.lastEvaluated, row.accountId, row.region, row.keyId]
              : sort.column === "accountName"
                ? [row.accountName, row.accountId, row.region, row.keyId]
                : [row[sort.column] as Value];
      const distinct = new Set(rows.map((row) => JSON.stringify(key(row)))).size;
      expect(distinct, "the fixture should spread this column").toBeGreaterThan(1);
      for (let i = 1; i < rows.length; i++) {
        const [a, b] = [key(rows[i - 1]!), key(rows[i]!)];
        let order = 0;
        for (let j = 0; j < a.length && order === 0; j++) {
          if (a[j] === null || b[j] === null) order = a[j] === null ? (b[j] === null ? 0 : 1) : -1;
          else order = compare(a[j]!, b[j]!) * (sort.desc ? -1 : 1);
        }
        if (order === 0) order = compare(rows[i - 1]!.id, rows[i]!.id) * (sort.desc ? -1 : 1);
        expect(order, `rows ${i - 1} and ${i}`).toBeLessThan(0);
      }
    },
  );
});

describe("streamInsightRows", () => {
  it.each([
    { name: "the default view", filters: { ...EMPTY_FILTERS, pageSize: 25 as const } },
    {
      name: "filters and a descending sort",
      filters: {
        ...EMPTY_FILTERS,
        severities: ALL_SEVERITIES,
        accounts: [ACCOUNTS[0].id, ACCOUNTS[2].id],
        tag: "env",
        sort: { column: "nextRotation" as const, desc: true },
        pageSize: 25 as const,
      },
    },
    { name: "no match", filters: { ...EMPTY_FILTERS, q: "nothing like this" } },
  ])("yields exactly the paged rows, in the same order: $name", async ({ filters }) => {
    const paged = await allPages(filters);
    expect(await streamed(db.url, filters)).toEqual(paged);
    expect(await streamed(db.url, filters, 5000)).toEqual(paged);
  });

  async function sessionState(pool: pg.Pool) {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ cursors: number; read_only: string }>(
        "SELECT (SELECT count(*)::int FROM pg_cursors) AS cursors, current_setting('transaction_read_only') AS read_only",
      );
      return rows[0];
    } finally {
      client.release();
    }
  }

  // A COPY cut short cannot be resumed: its connection is ended and the pool opens another, so the
  // pool still holds one connection, out of any transaction.
  it("ends the export's transaction and leaves the pool usable when the reader stops early or fails", async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      let seen = 0;
      for await (const _row of streamInsightRows(pool, EMPTY_FILTERS, null, 4)) if (++seen === 3) break;
      expect(await sessionState(pool)).toEqual({ cursors: 0, read_only: "off" });
      expect(pool.totalCount).toBe(1);

      const failing = (async () => {
        for await (const _row of streamInsightRows(pool, EMPTY_FILTERS, null, 4))
          throw new Error("reader failed");
      })();
      await expect(failing).rejects.toThrow("reader failed");
      expect(await sessionState(pool)).toEqual({ cursors: 0, read_only: "off" });
    } finally {
      await pool.end();
    }
  });

  it("rejects when the database cannot be reached, before any row", async () => {
    const unreachable = db.url.replace(/\/[^/]+$/, "/no_such_database");
    await expect(streamed(unreachable, EMPTY_FILTERS)).rejects.toThrow(/no_such_database/);
  });
});
