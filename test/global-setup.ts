import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL of the test cluster (database `postgres`). */
    pgAdminUrl: string;
    /** A migrated database to use as a template for per-test databases. */
    templateDatabase: string;
  }
}

// Integration tests run against a real PostgreSQL: TEST_DATABASE_ADMIN_URL when set (a superuser
// URL of a server you provide), else an embedded cluster in a temporary directory, removed after.
export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  let stop = async () => {};
  let dir: string | undefined;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), "kms-insights-test-"));
    const db = await startEmbeddedPostgres({ dataDir: dir, preferredPort: 55_432 });
    adminUrl = db.url.replace(/\/[^/]+$/, "/postgres");
    stop = db.stop;
  }
  const template = `insights_template_${randomBytes(4).toString("hex")}`;
  await ensureDatabase(adminUrl, template);
  await migrate(adminUrl.replace(/\/postgres$/, `/${template}`));
  project.provide("pgAdminUrl", adminUrl);
  project.provide("templateDatabase", template);
  return async () => {
    await stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
