import { expect, it } from "vitest";
import { startWorker } from "@/lib/collector/queue";
import { withPgClient } from "@/lib/db/with-client";
import { useFreshDatabase } from "@/test/db";

// `npm start` stops the worker and then PostgreSQL: a scheduler tick still running when the worker
// is told to stop would meet a database that is shutting down ("scheduler tick failed" on the way
// out). The worker's stop waits for it.

const db = useFreshDatabase();

it("stop() returns only after the scheduler's running tick has finished", { timeout: 60_000 }, async () => {
  const worker = await startWorker(db.prisma, db.url, { schedule: true, tickMs: 50, sweepMs: 3_600_000 });
  const order: string[] = [];
  await withPgClient(db.url, async (locker) => {
    // The tick's first read (the targets of interrupted scans) waits behind this lock.
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE scan_targets IN ACCESS EXCLUSIVE MODE");
    await expect
      .poll(
        async () =>
          // From a connection of its own: inside the locker's transaction the view would not change.
          withPgClient(db.url, async (c) => {
            const { rowCount } = await c.query(
              `SELECT 1 FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%scan_targets%'`,
            );
            return rowCount;
          }),
        { timeout: 10_000, interval: 100 },
      )
      .toBeGreaterThan(0);
    const stopped = worker.stop().then(() => order.push("stopped"));
    // Long enough for pg-boss's own stop, which has nothing to wait for here.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    order.push("tick released");
    await locker.query("COMMIT");
    await stopped;
  });
  expect(order).toEqual(["tick released", "stopped"]);
});
