import pg from "pg";
import { describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { copyTextBatches, withLiterals } from "./copy-text";

const db = useFreshDatabase();

const RAW_TYPES = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;

/** The texts of a select's rows as a query gives them, to hold COPY's reading to. */
async function queried(client: pg.ClientBase, sql: string, values: unknown[] = []) {
  const result = await client.query({ text: sql, values, rowMode: "array", types: RAW_TYPES });
  return { rows: result.rows as (string | null)[][], columns: result.fields.length };
}

async function copied(client: pg.ClientBase, sql: string, columns: number, batchSize: number) {
  const rows: (string | null)[][] = [];
  for await (const batch of copyTextBatches(client, sql, columns, batchSize)) {
    expect(batch.length).toBeLessThanOrEqual(batchSize);
    rows.push(...batch);
  }
  return rows;
}

describe("copyTextBatches", () => {
  it("gives the texts a query gives, awkward values and multi-byte characters across chunks included", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // Enough rows that chunks are cut within values and characters; every kind of awkward value.
      const sql = `SELECT n, CASE n % 7 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE
          repeat(E'é€😀\\t\\n\\r\\\\N\\b\\f\\v多', n % 5) || n END AS awkward,
        ARRAY['a"b', NULL, E'c\\\\d', 'é'] AS arr, jsonb_build_object('k', E'v\\n\\t😀') AS j,
        timestamptz '2026-11-30 08:15:00.123+00' + n * interval '1 second' AS at, (n % 2 = 0) AS even
        FROM generate_series(1, 20000) AS n ORDER BY n`;
      const expected = await queried(client, sql);
      expect(await copied(client, sql, expected.columns, 1000)).toEqual(expected.rows);
      expect(await copied(client, sql, expected.columns, 7)).toEqual(expected.rows);
      // The connection is usable after a COPY read to its end.
      expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it("selects with its values written as literals what the query with parameters selects", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const query = {
        text: `SELECT s FROM unnest($1::text[]) AS s WHERE s LIKE $2 ESCAPE '\\' OR s = $3 ORDER BY s`,
        values: [["it's", 'a"b', "c\\d", "e%f", "x"], "%\\%%", "it's"],
      };
      const expected = await queried(client, query.text, query.values);
      expect(expected.rows).toEqual([["e%f"], ["it's"]]);
      expect(await copied(client, withLiterals(query), 1, 10)).toEqual(expected.rows);
    } finally {
      await client.end();
    }
  });

  it("ends the COPY on the server when the reader stops early, the pool staying usable", async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const client = await pool.connect();
      const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      let seen = 0;
      try {
        await client.query("BEGIN READ ONLY");
        const sql = "SELECT n, repeat('x', 100) FROM generate_series(1, 10000000) AS n";
        for await (const batch of copyTextBatches(client, sql, 2, 100))
          if ((seen += batch.length) >= 300) break;
      } finally {
        client.release(true);
      }
      expect(seen).toBe(300);
      const other = await pool.connect();
      try {
        // The backend of the COPY goes away (its transaction rolled back); this connection is a new one.
        await expect
          .poll(
            async () =>
              (await other.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1", [pid]))
                .rows[0].n,
          )
          .toBe(0);
        expect((await other.query("SELECT current_setting('transaction_read_only') AS ro")).rows).toEqual([
          { ro: "off" },
        ]);
      } finally {
        other.release();
      }
      expect(pool.totalCount).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
