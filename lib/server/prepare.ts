import type { PrismaClient } from "@/lib/generated/prisma/client";
import { dataDir, type Env } from "@/lib/config/env";
import { createPrisma } from "@/lib/db/client";
import { connectionFailure } from "@/lib/db/errors";
import { migrate } from "@/lib/db/migrate";
import { grantAppRole, roleOf } from "@/lib/db/roles";
import { installQueue } from "@/lib/collector/queue";
import { openDatabase, type Database } from "@/lib/db/runtime";
import { seedReferenceData } from "./seed";

export interface Prepared {
  db: Database;
  prisma: PrismaClient;
  /** Closes the Prisma pool and, for an embedded cluster this process started, stops it. */
  close(): Promise<void>;
}

/**
 * The database every entry point (server, worker, CLI) starts from: opened (DATABASE_URL or the
 * embedded cluster), migrated under an advisory lock and the job queue's schema installed, both as
 * the owner; the application role given its grants; reference data seeded as that role, unless
 * `seed` is false: a command that reads no reference data leaves that to the next start of the
 * server or the worker (its writes cost the process some 30 MB of Prisma's query compiler).
 */
export async function prepareDatabase(
  env: Env,
  opts: { attach: boolean; onLog?: (line: string) => void; poolSize?: number; seed?: boolean },
): Promise<Prepared> {
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    ownerUrl: env.DATABASE_OWNER_URL,
    dataDir: dataDir(env),
    preferredPort: env.INSIGHTS_PG_PORT,
    attach: opts.attach,
    onLog: opts.onLog,
  });
  // Each step names the variable whose server it reaches when that server cannot be reached.
  const ownerName = env.DATABASE_OWNER_URL ? "DATABASE_OWNER_URL" : "DATABASE_URL";
  try {
    await reaching(db, db.ownerUrl, ownerName, async () => {
      await migrate(db.ownerUrl);
      if (roleOf(db.ownerUrl) !== roleOf(db.url)) {
        await installQueue(db.ownerUrl);
        await grantAppRole(db.ownerUrl, roleOf(db.url));
      }
    });
    const prisma = createPrisma(db.url, opts.poolSize);
    if (opts.seed !== false) await reaching(db, db.url, "DATABASE_URL", () => seedReferenceData(prisma));
    return {
      db,
      prisma,
      async close() {
        await prisma.$disconnect();
        await db.release();
      },
    };
  } catch (err) {
    await db.release();
    throw err;
  }
}

/**
 * Runs `fn` against the server of `url`: when that server is one of DATABASE_URL's (not the
 * embedded one) and cannot be reached, the error becomes a sentence naming `name` and the reason.
 */
async function reaching<T>(db: Database, url: string, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const message = db.embedded ? undefined : connectionFailure(err, url, name);
    throw message ? new Error(message, { cause: err }) : err;
  }
}
