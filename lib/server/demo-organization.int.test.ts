import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDemoSandbox } from "@/lib/config/demo-sandbox";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { generateEstate, sandboxCredentialsFor, startSandbox, type RunningSandbox } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";
import { setUpDemoOrganization } from "./demo-organization";

// Demo mode with a sandbox that serves an organization: the demo organization is added once,
// synced at each start, and its accounts are scanned through the sandbox's credentials.

const estate = generateEstate({
  accounts: 5,
  regions: ["us-east-1"],
  keysPerRegion: 2,
  seed: "demo-org-it",
  organization: { ous: 3, depth: 2, leaver: false, withoutMemberRole: 0 },
});
const dir = mkdtempSync(path.join(os.tmpdir(), "kms-insights-demo-org-"));
let sandbox: RunningSandbox;
const db = useFreshDatabase();
let worker: Worker;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ estate });
  writeDemoSandbox(dir, {
    url: sandbox.url,
    credentials: Object.fromEntries(estate.accounts.map((a) => [a.id, sandboxCredentialsFor(a.id)])),
  });
  Object.assign(process.env, {
    INSIGHTS_DATA_DIR: dir,
    INSIGHTS_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
  });
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
  process.env = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

describe("the demo organization", () => {
  it("is added on the first start and synced: its accounts with OU paths, served by the sandbox", async () => {
    await setUpDemoOrganization(db.prisma, estate.organization!, { create: true, regions: estate.regions });
    await setUpDemoOrganization(db.prisma, estate.organization!, { create: false, regions: estate.regions });
    const orgs = await db.prisma.organization.findMany();
    expect(orgs).toHaveLength(1);
    expect(orgs[0]).toMatchObject({ name: "Demo organization", isDemo: true, lastSyncError: null });
    const accounts = await db.prisma.awsAccount.findMany({ where: { orgStatus: "ACTIVE" } });
    expect(accounts.length).toBeGreaterThan(0);
    for (const a of accounts) {
      expect(a).toMatchObject({ accessMethod: "SANDBOX", isDemo: true, regions: ["us-east-1"] });
      expect(a.ouPath).toMatch(/^Root/);
    }
    const scan = await scanAndWait(db.prisma, worker);
    expect(scan.status).toBe("SUCCEEDED");
    expect(await db.prisma.kmsKey.count()).toBeGreaterThan(0);
  });
});
