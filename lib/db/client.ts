import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parseEnv } from "@/lib/config/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log";

// One Prisma client per process, built on the pg driver adapter (no native engine). Kept on
// globalThis so that Next's dev reloads and tests don't open a pool per import.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

const POOL = Symbol.for("kms-insights.pg-pool");

export function createPrisma(connectionString: string, max = 10): PrismaClient {
  // The pool is ours, so that the hottest reads can use it without Prisma (poolOf). Its own error
  // listener: reads through poolOf may run before Prisma has connected (and added one), and an idle
  // connection that the server ends (a restart) must not bring the process down.
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", (err: Error & { code?: string }) => {
    // 57P01: the server is shutting down (our own stop, or a restart): expected, the pool reconnects.
    const level = err.code === "57P01" ? "debug" : "warn";
    logger[level]({ err: err.message }, "an idle database connection was closed");
  });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  // $disconnect ends the pool through the adapter, or here when Prisma never connected.
  const disconnect = client.$disconnect.bind(client);
  Object.defineProperties(client, {
    [POOL]: { value: pool },
    $disconnect: {
      value: async () => {
        await disconnect();
        if (!pool.ending) await pool.end();
      },
    },
  });
  return client;
}

/**
 * The pg pool under a client made by createPrisma, or null (a transaction's client, another
 * client). For raw reads of many rows and columns, whose Prisma round trip (each value encoded
 * and decoded again by type) costs more than the query: pg's own parsers give the same values.
 */
export function poolOf(db: PrismaClient): pg.Pool | null {
  const pool = (db as unknown as Record<symbol, pg.Pool | undefined>)[POOL];
  return pool && !pool.ending ? pool : null;
}

/**
 * Runs a statement that a hot path repeats (a scan job's claim, key write and outcome) as a named
 * prepared statement on the pool: each connection parses and plans it once and then reuses it,
 * where Prisma sends an unnamed statement that PostgreSQL parses and plans again every time (for
 * the key write, a large statement, the planning cost as much as a tenth of the job's database
 * CPU). `name` must stay with one `text`. Without a pool of ours (a transaction's client), Prisma
 * runs it as before. pg and Prisma give the same values for the columns these statements return.
 */
export async function queryPrepared<T>(
  db: PrismaClient,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = poolOf(db);
  if (!pool) return db.$queryRawUnsafe<T[]>(text, ...values);
  return (await pool.query<T & pg.QueryResultRow>({ name, text, values })).rows;
}

export function getPrisma(): PrismaClient {
  if (!globalForPrisma.prisma) {
    const url = parseEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the console with `npm start`.");
    globalForPrisma.prisma = createPrisma(url);
  }
  return globalForPrisma.prisma;
}

export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = getPrisma();
    const value = Reflect.get(client, prop);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
