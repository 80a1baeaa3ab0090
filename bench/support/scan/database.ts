import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { withPgClient } from "@/lib/db/with-client";

// A fresh, migrated database for one benchmark run: an embedded PostgreSQL in a temporary
// directory (removed afterwards), or a new database on the server of BENCH_DATABASE_URL (a role
// that may CREATE DATABASE), dropped afterwards.

export interface BenchDatabase {
  url: string;
  /** Where the embedded cluster lives (to find its processes), or null for BENCH_DATABASE_URL. */
  dataDir: string | null;
  close(): Promise<void>;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  await withPgClient(url, (client) => client.query(sql));
}

/** The statistics module `--pg-statements` reads, every statement counted (triggers' too). */
const STATEMENTS_SETTINGS = {
  shared_preload_libraries: "pg_stat_statements",
  "pg_stat_statements.track": "all",
  "pg_stat_statements.track_planning": "on",
};

export async function benchDatabase(opts: { statements?: boolean } = {}): Promise<BenchDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) {
    const name = `kms_insights_bench_${randomBytes(4).toString("hex")}`;
    await adminQuery(external, `CREATE DATABASE "${name}"`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    return {
      url: url.toString(),
      dataDir: null,
      close: () => adminQuery(external, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "kms-insights-bench-"));
  const db = await startEmbeddedPostgres({
    dataDir: dir,
    preferredPort: Number(process.env.BENCH_PG_PORT ?? 55_600),
    settings: opts.statements ? STATEMENTS_SETTINGS : undefined,
  });
  await migrate(db.url);
  return {
    url: db.url,
    dataDir: path.join(dir, "pg"),
    async close() {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
