import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCAN_QUEUE, startBoss, startScan, startWorker } from "@/lib/collector/queue";
import { generateEstate, type RunningSandbox } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { sandboxAccountRow, startDemoSandbox } from "@/test/support/kms-sandbox";
import type { CliIO } from "./io";
import { scanCommand } from "./scan";

// `npm run cli -- scan` waits for its scan, but never forever: targets a dead worker left RUNNING
// are failed (their heartbeat stopped), and after --timeout it lists what has not finished.
// The scheduler of a running worker fails such targets too.

const estate = generateEstate({
  accounts: 1,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 10,
  seed: "wait",
});
const account = estate.accounts[0]!;
let sandbox: RunningSandbox;
const db = useFreshDatabase();
let boss: PgBoss;

beforeAll(async () => {
  sandbox = await startDemoSandbox(estate);
  await db.prisma.awsAccount.create({ data: sandboxAccountRow(sandbox, account, estate.regions) });
  boss = await startBoss(db.url, { supervise: false });
}, 60_000);

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await sandbox?.stop();
});

function captureIO(): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    stdin: process.stdin,
    stdout: process.stdout,
  };
}

/** A scan whose jobs a worker took and whose worker then died: jobs active, targets RUNNING, no heartbeat. */
async function scanOfDeadWorker(): Promise<string> {
  const { scanId, jobs } = await startScan(db.prisma, boss, { trigger: "MANUAL" });
  const taken = await boss.fetch(SCAN_QUEUE, { batchSize: jobs.length });
  expect(taken).toHaveLength(jobs.length);
  const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
  await db.prisma.scanTarget.updateMany({
    where: { scanId },
    data: { status: "RUNNING", startedAt: fiveMinutesAgo, heartbeatAt: fiveMinutesAgo },
  });
  return scanId;
}

async function expectInterrupted(scanId: string) {
  const scan = await db.prisma.scan.findUniqueOrThrow({ where: { id: scanId }, include: { targets: true } });
  expect(scan.status).toBe("FAILED");
  for (const t of scan.targets)
    expect(t.error).toMatch(/^Interrupted: the worker running this account-region stopped/);
}

describe("npm run cli -- scan, waiting", () => {
  it(
    "fails what a dead worker left running instead of waiting behind it, and completes",
    { timeout: 60_000 },
    async () => {
      const dead = await scanOfDeadWorker();
      const io = captureIO();
      // The dead worker's jobs hold their account-regions; without recovery this never returns.
      const code = await Promise.race([
        scanCommand([], db.prisma, db.url, io),
        new Promise((r) => setTimeout(() => r("still waiting after 45 s"), 45_000)),
      ]);
      expect(code, io.lines.join("\n")).toBe(0);
      expect(io.lines.join("\n")).toMatch(/succeeded: 2\/2 account-regions succeeded, 20 keys/);
      await expectInterrupted(dead);
    },
  );

  it(
    "stops after --timeout, lists the account-regions not finished, and exits 1",
    { timeout: 60_000 },
    async () => {
      sandbox.setFaults({ latencyMs: 2_000 });
      const io = captureIO();
      const started = Date.now();
      try {
        const code = await scanCommand(["--timeout", "3s"], db.prisma, db.url, io);
        expect(code).toBe(1);
      } finally {
        sandbox.setFaults({});
      }
      const text = io.lines.join("\n");
      expect(text).toMatch(/^Timed out after 3 s: 2 account-region\(s\) of scan \S+ not finished\.$/m);
      expect(
        text.match(
          new RegExp(`^Not finished: ${account.id} (us-east-1|eu-west-1): still (running|queued)`, "gm"),
        ),
      ).toHaveLength(2);
      // Stopping its worker waits for the jobs in flight, a few calls at 2 s each at most.
      expect(Date.now() - started).toBeLessThan(30_000);
    },
  );

  it(
    "on a terminal, redraws one progress bar on stderr instead of a line per account-region",
    { timeout: 60_000 },
    async () => {
      sandbox.setFaults({ latencyMs: 50 });
      const drawn: string[] = [];
      const io = {
        ...captureIO(),
        stderr: { isTTY: true, columns: 120, write: (text: string) => drawn.push(text) },
      };
      try {
        expect(await scanCommand([], db.prisma, db.url, io)).toBe(0);
      } finally {
        sandbox.setFaults({});
      }
      expect(io.lines.join("\n")).not.toMatch(/^ {2}\[\d+\/\d+\]/m);
      const bars = drawn.filter((t) => t.startsWith("\r\x1b[2K"));
      expect(bars[0]).toMatch(/\] [01] of 2 account-regions done/);
      expect(bars.at(-1)).toMatch(/^\r\x1b\[2K\[#{24}\] 2 of 2 account-regions done, 20 keys so far\b/);
      expect(drawn.at(-1)).toBe("\n");
    },
  );

  it("without a terminal, writes a plain line per account-region", { timeout: 60_000 }, async () => {
    const io = captureIO();
    expect(await scanCommand([], db.prisma, db.url, io)).toBe(0);
    const lines = io.lines.filter((l) => /^ {2}\[\d\/2\] /.test(l));
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).not.toContain("\x1b");
  });

  it("bad --timeout values get one line and exit 2", async () => {
    for (const value of ["0", "soon", "10d", "1.5.2m"]) {
      const io = captureIO();
      await expect(scanCommand(["--timeout", value], db.prisma, db.url, io)).rejects.toThrow(
        /--timeout must be a duration such as 90s, 30m or 2h/,
      );
    }
  });
});

describe("the scheduler", () => {
  it(
    "fails targets a dead worker left RUNNING once their heartbeat is past the deadline",
    { timeout: 60_000 },
    async () => {
      await db.prisma.scanTarget.updateMany({ where: { status: "RUNNING" }, data: { status: "FAILED" } });
      const dead = await scanOfDeadWorker();
      const worker = await startWorker(db.prisma, db.url, { schedule: true, tickMs: 500 });
      try {
        const deadline = Date.now() + 20_000;
        while ((await db.prisma.scanTarget.count({ where: { scanId: dead, status: "RUNNING" } })) > 0) {
          expect(Date.now(), "the targets are still RUNNING").toBeLessThan(deadline);
          await new Promise((r) => setTimeout(r, 200));
        }
        await expectInterrupted(dead);
      } finally {
        await worker.stop();
      }
    },
  );
});
