import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { withPgClient } from "./with-client";

// Applies prisma/migrations/*/migration.sql in order, as `prisma migrate deploy` would, and records
// each in _prisma_migrations with Prisma's own columns and checksum (sha256 of the file), so that
// `prisma migrate status` agrees wherever the Prisma engine can run. An advisory lock makes
// concurrent starts (several workers, two servers) apply each migration exactly once.

const MIGRATIONS_LOCK = 72_707_369; // arbitrary, constant: "kms-insights migrations"

/**
 * `fn` on one connection to `url` that holds the migrations' advisory lock: migrations, the
 * application role and its grants are changed by one process at a time (concurrent GRANTs conflict).
 */
export async function withMigrationsLock<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withPgClient(url, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATIONS_LOCK]);
    try {
      return await fn(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATIONS_LOCK]).catch(() => {});
    }
  });
}
export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(connectionString: string, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = await readMigrations(dir);
  return withMigrationsLock(connectionString, async (client) => {
    // Created only when missing: a role that may not create tables (the application role, when a
    // separate worker starts with DATABASE_URL alone) still gets through a database that is current.
    const { rows: exists } = await client.query<{ t: string | null }>(
      `SELECT to_regclass('"_prisma_migrations"')::text AS t`,
    );
    if (!exists[0]?.t) await client.query(CREATE_TABLE);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    const done = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const m of migrations) {
      const row = done.get(m.name);
      if (row?.finished_at) {
        if (row.checksum !== m.checksum) {
          throw new MigrationError(
            `Migration ${m.name} was changed after it was applied (checksum differs). Migrations are append-only: add a new one instead.`,
          );
        }
        continue;
      }
      if (row) {
        throw new MigrationError(
          `Migration ${m.name} failed earlier and was left unfinished. Fix the database, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${m.name}') and start again.`,
        );
      }
      await applyOne(client, m);
      applied.push(m.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  });
}

async function applyOne(client: pg.Client, m: Migration): Promise<void> {
  // The record and the migration commit together: a start killed midway leaves no trace and the
  // next start applies the migration again from the beginning.
  const id = randomUUID();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, m.checksum, m.name],
    );
    await client.query(m.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    const message = err instanceof Error ? err.message : String(err);
    throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${message}`);
  }
}
