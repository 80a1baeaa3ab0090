import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { APP_ROLE, roleOf } from "@/lib/db/roles";
import { startBackground } from "./background";
import { prepareDatabase } from "./prepare";

// `npm start` with no DATABASE_URL: the embedded cluster is migrated by its superuser, and what the
// web app (DATABASE_URL of its process: prepared.db.url) and the worker use is the application role.

describe("the embedded database of npm start", () => {
  it(
    "gives the web app and the worker the application role, which scans but cannot empty the audit log",
    { timeout: 180_000 },
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "kms-insights-roles-"));
      // As under npm start, where this process's environment names the data directory: the worker
      // finds the demo sandbox there (lib/config/demo-sandbox.ts).
      const dataDirBefore = process.env.INSIGHTS_DATA_DIR;
      process.env.INSIGHTS_DATA_DIR = dir;
      const env = parseEnv({
        INSIGHTS_DATA_DIR: dir,
        INSIGHTS_PG_PORT: "56200",
        INSIGHTS_DEMO: "on",
      } as unknown as NodeJS.ProcessEnv);
      const prepared = await prepareDatabase(env, { attach: false });
      try {
        expect(roleOf(prepared.db.url)).toBe(APP_ROLE);
        expect(roleOf(prepared.db.ownerUrl)).not.toBe(APP_ROLE);
        const [me] = await prepared.prisma.$queryRaw<{ user: string }[]>`SELECT current_user AS user`;
        expect(me?.user).toBe(APP_ROLE);
        await expect(prepared.prisma.$executeRaw`TRUNCATE audit_log`).rejects.toThrow(/permission denied/);
        await expect(prepared.prisma.$executeRaw`DELETE FROM audit_log`).rejects.toThrow(/permission denied/);

        // The worker and scheduler of npm start: the first scheduled scan of the demo estate.
        const background = await startBackground({
          env,
          prisma: prepared.prisma,
          databaseUrl: prepared.db.url,
        });
        try {
          let scan;
          for (let i = 0; i < 300 && !scan?.finishedAt; i++) {
            await new Promise((r) => setTimeout(r, 200));
            scan = await prepared.prisma.scan.findFirst({ orderBy: { startedAt: "desc" } });
          }
          expect(scan?.status).toBe("SUCCEEDED");
          expect(await prepared.prisma.kmsKey.count()).toBeGreaterThan(0);
          const owner = new pg.Client({ connectionString: prepared.db.ownerUrl });
          await owner.connect();
          const { rows } = await owner.query<{ usename: string }>(
            `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
          );
          await owner.end();
          expect(rows.map((r) => r.usename)).toEqual([APP_ROLE]);
        } finally {
          await background.stop();
        }
      } finally {
        await prepared.close();
        await rm(dir, { recursive: true, force: true });
        if (dataDirBefore === undefined) delete process.env.INSIGHTS_DATA_DIR;
        else process.env.INSIGHTS_DATA_DIR = dataDirBefore;
      }
    },
  );
});
