import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyzeKeysIfGrown } from "@/lib/collector/key-statistics";
import { createPrisma } from "@/lib/db/client";
import { appRoleGrants, ensureLoginRole } from "@/lib/db/roles";
import { withPgClient } from "@/lib/db/with-client";
import { useFreshDatabase } from "@/test/db";
import { addKeysMatching } from "@/test/fixtures/many-matches";
import { seedPagingEstate } from "@/test/fixtures/paging-estate";

// A session that planned its foreign-key check of kms_keys while the table was empty keeps that
// plan, a read of the whole table per check, until the table's statistics change; a scan job
// analyzes the table once it has outgrown them (key-statistics.ts), so the check is planned again
// and reads the key by its index.

const db = useFreshDatabase({ perTest: true });
let session: pg.Client;

// The check PostgreSQL runs for each tag, history or event row that names a key.
const FK_CHECK = `SELECT 1 FROM ONLY kms_keys x WHERE id = $1 FOR KEY SHARE OF x`;
const planOfCheck = async () => {
  const { rows } = await session.query<{ "QUERY PLAN": string }>("EXPLAIN EXECUTE fk_check('no-such-key')");
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
};

/** How many keys the table's statistics count. */
const keysCounted = async () => {
  const [stats] = await db.prisma.$queryRawUnsafe<{ reltuples: number }[]>(
    `SELECT reltuples FROM pg_class WHERE oid = 'kms_keys'::regclass`,
  );
  return stats!.reltuples;
};

beforeEach(async () => {
  // The statistics of a freshly migrated database: the table analyzed while empty.
  await db.prisma.$executeRawUnsafe("ANALYZE kms_keys");
  session = new pg.Client({ connectionString: db.url });
  await session.connect();
  // A cached plan, as a foreign-key check keeps one, made while the table is empty.
  await session.query("SET plan_cache_mode = force_generic_plan");
  await session.query(`PREPARE fk_check(text) AS ${FK_CHECK}`);
  await session.query("EXECUTE fk_check('no-such-key')");
});
afterEach(async () => {
  await session.end();
});

describe("analyzeKeysIfGrown", () => {
  it("makes a session's check planned on the empty table read the grown table by index", async () => {
    await seedPagingEstate(db.prisma);
    await addKeysMatching(session, "grown", 3000);
    expect(await planOfCheck()).toMatch(/Seq Scan on kms_keys/);

    expect(await analyzeKeysIfGrown(db.prisma)).toBe(true);
    expect(await planOfCheck()).toMatch(/Index Scan using \S+ on kms_keys/);
    expect(await keysCounted()).toBeGreaterThan(3000);
  });

  it("does nothing while the table has not doubled since its statistics were taken", async () => {
    await seedPagingEstate(db.prisma);
    await addKeysMatching(session, "grown", 3000);
    expect(await analyzeKeysIfGrown(db.prisma)).toBe(true);
    await addKeysMatching(session, "more", 200);
    expect(await analyzeKeysIfGrown(db.prisma)).toBe(false);
  });

  it("leaves it to the job that holds the lock, without waiting for it", async () => {
    await seedPagingEstate(db.prisma);
    await addKeysMatching(session, "grown", 3000);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock(72707372)");
      const started = Date.now();
      expect(await analyzeKeysIfGrown(db.prisma)).toBe(false);
      expect(Date.now() - started).toBeLessThan(5000);
      await other.query("COMMIT");
      expect(await analyzeKeysIfGrown(db.prisma)).toBe(true);
    } finally {
      await other.end();
    }
  });

  it("is left to autovacuum by a role that may not analyze the table, until it is granted MAINTAIN", async () => {
    await seedPagingEstate(db.prisma);
    await addKeysMatching(session, "grown", 3000);
    const role = `stats_test_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    await ensureLoginRole(db.url, role, password);
    const database = new URL(db.url).pathname.slice(1);
    await withPgClient(db.url, async (c) => {
      for (const sql of appRoleGrants(role, database, null, false)) await c.query(sql);
    });
    const url = new URL(db.url);
    url.username = role;
    url.password = password;
    const app = createPrisma(url.toString(), 2);
    try {
      expect(await analyzeKeysIfGrown(app)).toBe(false);
      await withPgClient(db.url, (c) => c.query(`GRANT MAINTAIN ON kms_keys TO "${role}"`));
      expect(await analyzeKeysIfGrown(app)).toBe(true);
      expect(await keysCounted()).toBeGreaterThan(3000);
    } finally {
      await app.$disconnect();
      await withPgClient(db.url, (c) => c.query(`DROP OWNED BY "${role}"`));
      await withPgClient(db.url, (c) => c.query(`DROP ROLE "${role}"`));
    }
  });
});
