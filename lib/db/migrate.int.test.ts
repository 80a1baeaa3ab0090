import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { emptyDatabase } from "@/test/db";
import { schemaTables } from "@/test/prisma-schema";
import { migrate, readMigrations } from "./migrate";
import { withPgClient } from "@/lib/db/with-client";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) {
  return withPgClient(url, async (client) => (await client.query<T>(sql, params)).rows);
}

describe("migrations", () => {
  it("create every table and column that schema.prisma describes, with its nullability", async () => {
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    await migrate(db.url);
    const rows = await query<{ table_name: string; column_name: string; is_nullable: string }>(
      db.url,
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const actual = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.is_nullable === "YES"]));
    const tables = schemaTables();
    // The parser must see the whole model, or this test would pass on nothing.
    expect(tables.map((t) => t.table)).toEqual(
      expect.arrayContaining(["users", "kms_keys", "key_tags", "audit_log"]),
    );
    expect(tables.flatMap((t) => t.columns).length).toBeGreaterThan(100);
    for (const t of tables) {
      for (const c of t.columns) {
        const key = `${t.table}.${c.column}`;
        expect(actual.has(key), `${key} (${t.model}.${c.field}) is missing`).toBe(true);
        // Prisma creates scalar lists (String[]) as nullable arrays whatever the schema says.
        if (!c.list) expect(actual.get(key), `${key} nullability`).toBe(c.optional);
      }
    }
  });

  it("records each migration as Prisma does, and applies nothing twice", async () => {
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    const first = await migrate(db.url);
    const migrations = await readMigrations();
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await migrate(db.url);
    expect(second.applied).toEqual([]);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      db.url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const r of rows) {
      const file = readFileSync(`prisma/migrations/${r.migration_name}/migration.sql`);
      expect(r.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("applies each migration once when several processes start at the same time", async () => {
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    expect(results.reduce((n, r) => n + r.applied.length, 0)).toBe((await readMigrations()).length);
    const [row] = await query<{ count: string }>(db.url, `SELECT count(*) FROM "_prisma_migrations"`);
    const count = row?.count;
    expect(Number(count)).toBe((await readMigrations()).length);
  });

  it("keeps the audit log append-only, even against its owner's TRUNCATE", async () => {
    const db = await emptyDatabase();
    cleanups.push(db.drop);
    await migrate(db.url);
    await query(db.url, `INSERT INTO audit_log (action) VALUES ('test.entry')`);
    await expect(query(db.url, `UPDATE audit_log SET action = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(query(db.url, `DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(query(db.url, `TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const rows = await query<{ action: string }>(db.url, `SELECT action FROM audit_log`);
    expect(rows).toEqual([{ action: "test.entry" }]);
  });
});
