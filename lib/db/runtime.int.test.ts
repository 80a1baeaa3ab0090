import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDirInUseError, openDatabase } from "./runtime";

describe("the embedded database's data directory", () => {
  it(
    "is owned by one server at a time; a second is refused, a CLI attaches, data survives a restart",
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "kms-insights-runtime-"));
      try {
        const first = await openDatabase({ dataDir: dir, preferredPort: 56_100, attach: false });
        await expect(
          openDatabase({ dataDir: dir, preferredPort: 56_100, attach: false }),
        ).rejects.toBeInstanceOf(DataDirInUseError);
        const cli = await openDatabase({ dataDir: dir, preferredPort: 56_100, attach: true });
        expect(cli.url).toBe(first.url);
        const pg = (await import("pg")).default;
        const c = new pg.Client({ connectionString: first.ownerUrl });
        await c.connect();
        await c.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        await c.end();
        await cli.release(); // attaching released nothing
        await first.release();
        const again = await openDatabase({ dataDir: dir, preferredPort: 56_100, attach: false });
        const c2 = new pg.Client({ connectionString: again.ownerUrl });
        await c2.connect();
        expect((await c2.query("SELECT v FROM kept")).rows).toEqual([{ v: "still here" }]);
        await c2.end();
        await again.release();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
