import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { allKeys, generateEstate, type RunningSandbox } from "@/lib/kms-sandbox";
import { setSetting } from "@/lib/settings";
import { scanAndWait } from "@/test/support/collector";
import { sandboxAccountRow, startDemoSandbox } from "@/test/support/kms-sandbox";
import { recoverInterrupted, startScan, startWorker } from "./queue";

// PostgreSQL restarted in the middle of a scan: finished work stays, the interrupted scan is marked
// failed, and the next scan completes with every key exactly once.

const estate = generateEstate({
  accounts: 2,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 40,
  seed: "pg-restart",
});
let dir: string;
let pg: EmbeddedDatabase;
let sandbox: RunningSandbox;
let prisma: PrismaClient;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "kms-insights-pg-restart-"));
  pg = await startEmbeddedPostgres({ dataDir: dir, preferredPort: 56_300 });
  await migrate(pg.url);
  prisma = createPrisma(pg.url, 8);
  sandbox = await startDemoSandbox(estate);
  for (const a of estate.accounts) {
    await prisma.awsAccount.create({ data: sandboxAccountRow(sandbox, a, estate.regions) });
  }
  await setSetting(prisma, "scan.concurrencyPerRegion", 1);
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await sandbox?.stop();
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("PostgreSQL restarted during a scan", () => {
  it("loses no finished work; the next scan completes", { timeout: 180_000 }, async () => {
    let worker = await startWorker(prisma, pg.url, { schedule: false });
    sandbox.setFaults({ latencyMs: 30 });
    sandbox.resetStats();
    const { scanId } = await startScan(prisma, worker.boss, { trigger: "MANUAL" });
    while (sandbox.stats().calls < 120) await new Promise((r) => setTimeout(r, 50));
    const finishedBefore = await prisma.scanTarget.findMany({ where: { scanId, status: "SUCCEEDED" } });

    await pg.stop();
    await new Promise((r) => setTimeout(r, 1000));
    pg = await startEmbeddedPostgres({ dataDir: dir, preferredPort: Number(new URL(pg.url).port) });
    sandbox.setFaults({});
    await worker.stop().catch(() => {});

    // Whatever had finished before the restart is still there.
    for (const t of finishedBefore) {
      expect((await prisma.scanTarget.findUniqueOrThrow({ where: { id: t.id } })).status).toBe("SUCCEEDED");
      expect(
        await prisma.kmsKey.count({
          where: { accountId: t.accountId, region: t.region, lastScanId: scanId },
        }),
      ).toBe(40);
    }
    worker = await startWorker(prisma, pg.url, { schedule: false });
    try {
      await recoverInterrupted(prisma, worker.boss, 0);
      const interrupted = await prisma.scan.findUniqueOrThrow({ where: { id: scanId } });
      expect(interrupted.finishedAt).not.toBeNull();
      const next = await scanAndWait(prisma, worker, { timeoutMs: 120_000 });
      expect(next.status).toBe("SUCCEEDED");
      const keys = await prisma.kmsKey.findMany({
        select: { accountId: true, region: true, keyId: true, lastScanId: true },
      });
      expect(keys).toHaveLength(allKeys(estate).length);
      expect(new Set(keys.map((k) => `${k.accountId}/${k.region}/${k.keyId}`)).size).toBe(keys.length);
      expect(keys.every((k) => k.lastScanId === next.id)).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
