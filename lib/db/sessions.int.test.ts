import pg from "pg";
import { describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { waitForSessionsToEnd } from "./sessions";
import { withPgClient } from "./with-client";

// Stopping the console's PostgreSQL (and dropping a test's database) first waits for the sessions
// of pools that have just ended: a session still closing would be terminated under its pool.

const db = useFreshDatabase();
const database = () => new URL(db.url).pathname.slice(1);

async function sessionsOf(name: string): Promise<number> {
  return withPgClient(db.url, async (c) => {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = $1`,
      [name],
    );
    return rows[0]!.n;
  });
}

describe("waitForSessionsToEnd", () => {
  it("returns once the other sessions have closed", async () => {
    await db.prisma.$disconnect();
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    // The server may see the session end before the client's end() resolves (it waits for the
    // socket's close): what the wait must not do is return before the session was asked to end.
    let endAskedAt = 0;
    setTimeout(() => {
      endAskedAt = Date.now();
      void other.end();
    }, 300);
    await withPgClient(db.url, (c) => waitForSessionsToEnd(c, { database: database(), timeoutMs: 5000 }));
    expect(endAskedAt).toBeGreaterThan(0);
    expect(await sessionsOf(database())).toBe(0);
  });

  it("gives up after its time limit while a session stays open", async () => {
    await db.prisma.$disconnect();
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await withPgClient(db.url, (c) => waitForSessionsToEnd(c, { database: database(), timeoutMs: 200 }));
      expect(await sessionsOf(database())).toBe(1);
    } finally {
      await other.end();
    }
  });
});
