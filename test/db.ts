import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, inject } from "vitest";
import { createPrisma } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { waitForSessionsToEnd } from "@/lib/db/sessions";
import { withPgClient } from "@/lib/db/with-client";

export interface TestDatabase {
  readonly url: string;
  readonly prisma: PrismaClient;
}

/**
 * How an integration test file gets a migrated database: registers the hooks that create a fresh database
 * (before all tests of the file, or before each test with `{ perTest: true }`) and drop it after.
 * Call it at the top of the file, before hooks that use it: hooks run in that order, and the drop
 * runs after the file's own after-hooks (a worker stops before its database goes).
 */
export function useFreshDatabase(options: { perTest?: boolean } = {}): TestDatabase {
  let current: (TestDatabase & { drop(): Promise<void> }) | undefined;
  const [before, after] = options.perTest ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    current = await freshDatabase();
  });
  after(async () => {
    await current?.drop();
    current = undefined;
  });
  const get = () => {
    if (!current) throw new Error("useFreshDatabase(): the database exists only inside hooks and tests");
    return current;
  };
  return {
    get url() {
      return get().url;
    },
    get prisma() {
      return get().prisma;
    },
  };
}

/** Drops the database once the test's own connections have closed (see waitForSessionsToEnd). */
function dropDatabase(adminUrl: string, name: string) {
  return withPgClient(adminUrl, async (c) => {
    await waitForSessionsToEnd(c, { database: name });
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/** A fresh, migrated database cloned from the run's template (useFreshDatabase registers it). */
export async function freshDatabase(): Promise<TestDatabase & { drop(): Promise<void> }> {
  const adminUrl = inject("pgAdminUrl");
  const name = `insights_test_${randomBytes(6).toString("hex")}`;
  await withPgClient(adminUrl, (c) =>
    c.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDatabase")}"`),
  );
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const prisma = createPrisma(url, 5);
  return {
    url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await dropDatabase(adminUrl, name);
    },
  };
}

/** An empty database, not migrated (for the migration tests). */
export async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject("pgAdminUrl");
  const name = `insights_empty_${randomBytes(6).toString("hex")}`;
  await withPgClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    url: adminUrl.replace(/\/postgres$/, `/${name}`),
    async drop() {
      await dropDatabase(adminUrl, name);
    },
  };
}
