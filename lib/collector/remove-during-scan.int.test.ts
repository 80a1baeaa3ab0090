import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeAccount } from "@/lib/accounts/service";
import { SCAN_QUEUE, startScan, startWorker, type Worker } from "@/lib/collector/queue";
import { generateEstate, type RunningSandbox } from "@/lib/kms-sandbox";
import { setSetting } from "@/lib/settings";
import { useFreshDatabase } from "@/test/db";
import { sandboxAccountRow, startDemoSandbox } from "@/test/support/kms-sandbox";

// An admin removes an account while a scan of it runs: the scan still finishes, from what is left.

const estate = generateEstate({
  accounts: 2,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 40,
  seed: "remove-during-scan",
});
const [kept, removed] = [estate.accounts[0]!, estate.accounts[1]!];
let sandbox: RunningSandbox;
const db = useFreshDatabase();
let worker: Worker;

beforeAll(async () => {
  sandbox = await startDemoSandbox(estate);
  // The kept account's region holds no key, so it finishes first and the removed account's
  // targets are the last ones running.
  await db.prisma.awsAccount.createMany({
    data: [
      sandboxAccountRow(sandbox, kept, ["ap-southeast-2"]),
      sandboxAccountRow(sandbox, removed, estate.regions),
    ],
  });
  await setSetting(db.prisma, "scan.concurrencyPerRegion", 2);
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
});

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("removing an account while a scan of it runs", () => {
  it(
    "finishes the scan from the accounts that remain; none of it stays RUNNING",
    { timeout: 60_000 },
    async () => {
      sandbox.setFaults({ latencyMs: 100 });
      const { scanId } = await startScan(db.prisma, worker.boss, { trigger: "MANUAL" });
      const running = await waitFor(
        "the removed account's targets to run after the kept one finished",
        async () => {
          const targets = await db.prisma.scanTarget.findMany({ where: { scanId } });
          const mine = targets.filter((t) => t.accountId === removed.id);
          const other = targets.find((t) => t.accountId === kept.id);
          return other?.status === "SUCCEEDED" && mine.every((t) => t.status === "RUNNING") && mine;
        },
      );

      await removeAccount(db.prisma, removed.id, { actorEmail: "test" });

      const scan = await waitFor("the scan to finish", async () => {
        const s = await db.prisma.scan.findUniqueOrThrow({
          where: { id: scanId },
          include: { targets: true },
        });
        return s.finishedAt ? s : null;
      });
      expect(scan.status).toBe("SUCCEEDED");
      expect(scan.targets.map((t) => [t.accountId, t.status])).toEqual([[kept.id, "SUCCEEDED"]]);
      // The jobs that were running end too, and write nothing for the removed account.
      for (const t of running)
        await waitFor("the removed account's jobs to end", async () => {
          const job = await worker.boss.getJobById(SCAN_QUEUE, t.id);
          return job && job.state !== "created" && job.state !== "active";
        });
      expect(await db.prisma.scanTarget.count({ where: { status: "RUNNING" } })).toBe(0);
      expect(await db.prisma.kmsKey.count({ where: { accountId: removed.id } })).toBe(0);
      expect(await db.prisma.accountRegionState.count({ where: { accountId: removed.id } })).toBe(0);
      expect((await db.prisma.scan.findUniqueOrThrow({ where: { id: scanId } })).status).toBe("SUCCEEDED");
    },
  );
});
