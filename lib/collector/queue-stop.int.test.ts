import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/log";
import { useFreshDatabase } from "@/test/db";
import { startBoss } from "./queue";

// `npm start` stops the queue, then the database: the queue's connections that are still closing
// then see "terminating connection due to administrator command". A person stopping the console
// must not read that as a fault; while the queue runs, the same error is a warning.

const db = useFreshDatabase();
const terminated = () =>
  Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });

afterEach(() => vi.restoreAllMocks());

describe("the job queue's errors", () => {
  it("are warnings while it runs, and not once it has stopped", async () => {
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => {});
    const boss = await startBoss(db.url, { supervise: false });
    boss.emit("error", terminated());
    expect(warn).toHaveBeenCalledWith(
      { err: "terminating connection due to administrator command" },
      "job queue error",
    );
    warn.mockClear();
    await boss.stop({ graceful: true, wait: true, timeout: 1000 });
    boss.emit("error", terminated());
    expect(warn).not.toHaveBeenCalled();
  });
});
