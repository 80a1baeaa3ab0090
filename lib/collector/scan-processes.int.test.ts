import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { recoverInterrupted, startWorker } from "@/lib/collector/queue";
import {
  allKeys,
  generateEstate,
  sandboxEnvironment,
  startSandbox,
  type RunningSandbox,
} from "@/lib/kms-sandbox";
import { setSetting } from "@/lib/settings";
import { useFreshDatabase } from "@/test/db";
import { runCli } from "@/test/support/cli";
import { scanAndWait } from "@/test/support/collector";

// Whole processes: `npm run cli -- scan` and a worker killed in the middle of a scan.

const estate = generateEstate({
  accounts: 2,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 40,
  seed: "processes",
});
let sandbox: RunningSandbox;
const db = useFreshDatabase();
let childEnv: NodeJS.ProcessEnv;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ estate });
  childEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    ...sandboxEnvironment(sandbox.url, estate.accounts[0]!.id, "us-east-1"),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    LOG_LEVEL: "warn",
    INSIGHTS_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
  };
  // This process works scans too (the in-process worker below), with the same settings.
  Object.assign(process.env, childEnv);
  const [a, b] = estate.accounts;
  await addAccount(db.prisma, { id: a!.id, name: a!.name, regions: estate.regions });
  await addAccount(db.prisma, {
    id: b!.id,
    name: b!.name,
    regions: estate.regions,
    accessMethod: "ROLE",
    roleArn: b!.role!.roleArn,
    externalId: b!.role!.externalId,
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  process.env = savedEnv;
});

const cli = (args: string[]) => runCli(args, { env: childEnv });

describe("npm run cli -- scan", () => {
  it("prints progress per account-region and a correct summary, exit 0", async () => {
    const run = await cli(["scan"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/4 account-region\(s\) queued/);
    expect(
      run.stderr.match(
        /^\s+\[\d\/4\] \d{12} (us-east-1|eu-west-1): succeeded \(40 keys, \d+ calls, \d+ ms\)$/gm,
      ),
    ).toHaveLength(4);
    const keys = allKeys(estate);
    const critical = keys.filter(
      (k) =>
        k.metadata.KeyManager === "CUSTOMER" &&
        k.metadata.KeyState === "Enabled" &&
        k.metadata.KeySpec === "SYMMETRIC_DEFAULT" &&
        k.metadata.Origin === "AWS_KMS" &&
        !k.rotation.enabled &&
        !k.rotationStatusError,
    ).length;
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/succeeded: 4\/4 account-regions succeeded, 160 keys, \d+ calls\./);
    expect(run.stderr).toContain(`CRITICAL ${critical},`);
  });

  it("exits 1 and names the failure when an account cannot be read", async () => {
    sandbox.setFaults({ accessDenied: { accounts: [estate.accounts[1]!.id] } });
    try {
      const run = await cli(["scan"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/partial: 2\/4 account-regions succeeded/);
      expect(run.stderr).toMatch(
        new RegExp(`Failed: ${estate.accounts[1]!.id} (us-east-1|eu-west-1): .*AccessDenied`),
      );
    } finally {
      sandbox.setFaults({});
    }
  });

  it("answers bad arguments with one line and exit 2", async () => {
    const run = await cli(["scan", "--acount", "1"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr.trim()).toBe(
      'error: unknown option "--acount" for scan. Run `kms-insights help scan` for the usage.',
    );
  });
});

describe("a worker killed in the middle of a scan", () => {
  it(
    "leaves the scan marked failed, and the next scan completes with no duplicate or missing key",
    { timeout: 120_000 },
    async () => {
      const prisma = db.prisma;
      await setSetting(prisma, "scan.concurrencyPerRegion", 2);
      sandbox.setFaults({ latencyMs: 40 });
      sandbox.resetStats();
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        env: childEnv,
        stdio: "ignore",
      });
      const scanner = await startWorker(prisma, db.url, { schedule: false });
      // Queue a scan from here, stop working it here, and let the child process take the jobs.
      await scanner.boss.offWork("scan-target");
      const { startScan } = await import("@/lib/collector/queue");
      const { scanId } = await startScan(prisma, scanner.boss, { trigger: "MANUAL" });
      const deadline = Date.now() + 60_000;
      while (sandbox.stats().calls < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      sandbox.setFaults({});
      expect(await prisma.scanTarget.count({ where: { scanId, status: "RUNNING" } })).toBeGreaterThan(0);

      expect(await recoverInterrupted(prisma, scanner.boss, 0)).toBeGreaterThan(0);
      const interrupted = await prisma.scan.findUniqueOrThrow({
        where: { id: scanId },
        include: { targets: true },
      });
      expect(["FAILED", "PARTIAL"]).toContain(interrupted.status);
      expect(
        interrupted.targets
          .filter((t) => t.status === "FAILED")
          .every((t) => /Interrupted/.test(t.error ?? "")),
      ).toBe(true);
      await scanner.stop();

      const worker = await startWorker(prisma, db.url, { schedule: false });
      try {
        const next = await scanAndWait(prisma, worker);
        expect(next.status, JSON.stringify(next.targets.map((t) => t.error))).toBe("SUCCEEDED");
        const rows = await prisma.kmsKey.findMany({
          select: { accountId: true, region: true, keyId: true, lastScanId: true, goneAt: true },
        });
        expect(rows).toHaveLength(allKeys(estate).length);
        expect(new Set(rows.map((r) => `${r.accountId}/${r.region}/${r.keyId}`)).size).toBe(rows.length);
        expect(rows.every((r) => r.lastScanId === next.id && r.goneAt === null)).toBe(true);
      } finally {
        await worker.stop();
      }
    },
  );
});
