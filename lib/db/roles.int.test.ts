import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installQueue } from "@/lib/collector/queue";
import { useFreshDatabase } from "@/test/db";
import { ensureLoginRole, grantAppRole } from "./roles";
import { withPgClient } from "@/lib/db/with-client";

// The application role on a migrated database: it works the console's tables and the job queue,
// and may read and append to the audit log but neither change nor empty it.

const db = useFreshDatabase();
let appUrl: string;
const role = `app_test_${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  const password = randomBytes(12).toString("hex");
  await installQueue(db.url);
  await ensureLoginRole(db.url, role, password);
  await grantAppRole(db.url, role);
  const u = new URL(db.url);
  u.username = role;
  u.password = password;
  appUrl = u.toString();
});

// Before useFreshDatabase drops the database: the role's grants there go first, then the role.
afterAll(async () => {
  await withPgClient(db.url, (c) => c.query(`DROP OWNED BY "${role}"`));
  await withPgClient(db.url.replace(/\/[^/]+$/, "/postgres"), (c) =>
    c.query(`DROP ROLE IF EXISTS "${role}"`),
  );
});

describe("the application role", () => {
  it("reads and appends to the audit log, and cannot update, delete, truncate or unprotect it", async () => {
    await withPgClient(appUrl, async (c) => {
      expect((await c.query("SELECT current_user AS u")).rows[0].u).toBe(role);
      await c.query(`INSERT INTO audit_log (action, target) VALUES ('test.entry', 'kept')`);
      expect((await c.query(`SELECT target FROM audit_log WHERE action = 'test.entry'`)).rows).toEqual([
        { target: "kept" },
      ]);
      for (const sql of [
        `UPDATE audit_log SET target = 'changed'`,
        `DELETE FROM audit_log`,
        `TRUNCATE audit_log`,
        `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate`,
        `DROP TABLE audit_log`,
      ]) {
        await expect(c.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
      }
    });
    const rows = await withPgClient(db.url, (c) =>
      c.query(`SELECT target FROM audit_log WHERE action = 'test.entry'`),
    );
    expect(rows.rows).toEqual([{ target: "kept" }]);
  });

  it("writes the console's tables but creates nothing and cannot rewrite the migrations", async () => {
    await withPgClient(appUrl, async (c) => {
      await c.query(`INSERT INTO settings (key, value, updated_at) VALUES ('test.key', '1', now())`);
      await c.query(`UPDATE settings SET value = '2' WHERE key = 'test.key'`);
      await c.query(`DELETE FROM settings WHERE key = 'test.key'`);
      await expect(c.query(`CREATE TABLE mine (v int)`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`DELETE FROM "_prisma_migrations"`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`CREATE SCHEMA mine`)).rejects.toThrow(/permission denied/);
    });
  });

  it("works the job queue that the owner installed", async () => {
    const { startBoss } = await import("@/lib/collector/queue");
    const boss = await startBoss(appUrl, { supervise: true });
    try {
      const id = await boss.send("scan-target", { hello: "world" });
      expect(id).toBeTruthy();
      const [job] = await boss.fetch<{ hello: string }>("scan-target");
      expect(job?.data).toEqual({ hello: "world" });
      await boss.complete("scan-target", job!.id);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });

  it("may analyze kms_keys, which a scan job does while a first scan fills it", async () => {
    const warnings: string[] = [];
    await withPgClient(appUrl, async (c) => {
      c.on("notice", (n) => warnings.push(n.message ?? ""));
      await c.query("ANALYZE kms_keys");
      // Without the privilege PostgreSQL skips a table with a warning instead of failing: the
      // only warning is the audit log's.
      await c.query("ANALYZE audit_log");
    });
    expect(warnings).toEqual([`permission denied to analyze "audit_log", skipping it`]);
  });
});
