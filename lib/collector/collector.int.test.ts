import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { startWorker, type Worker } from "@/lib/collector/queue";
import {
  allKeys,
  expectedReason,
  generateEstate,
  sandboxEnvironment,
  startSandbox,
  type RunningSandbox,
} from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";

// The real SDK over HTTP against the sandbox, real PostgreSQL, the real queue: three accounts
// (the host's default credentials, and two reached by AssumeRole, one of them with an ExternalId),
// two regions, more keys than one ListKeys page (INSIGHTS_KMS_PAGE_SIZE=20).

const estate = generateEstate({
  accounts: 3,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 45,
  seed: "collector-it",
});
const [home, viaRole, viaRoleWithExternalId] = [
  estate.accounts[0]!,
  estate.accounts[1]!,
  estate.accounts[2]!,
];

let sandbox: RunningSandbox;
const db = useFreshDatabase();
let worker: Worker;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ estate });
  Object.assign(process.env, {
    ...sandboxEnvironment(sandbox.url, home.id, "us-east-1"),
    INSIGHTS_KMS_PAGE_SIZE: "20",
    INSIGHTS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  });
  expect(viaRole.role && !viaRole.role.externalId).toBeTruthy();
  expect(viaRoleWithExternalId.role?.externalId).toBeTruthy();
  await addAccount(db.prisma, { id: home.id, name: home.name, regions: estate.regions });
  await addAccount(db.prisma, {
    id: viaRole.id,
    name: viaRole.name,
    regions: estate.regions,
    accessMethod: "ROLE",
    roleArn: viaRole.role!.roleArn,
  });
  await addAccount(db.prisma, {
    id: viaRoleWithExternalId.id,
    name: viaRoleWithExternalId.name,
    regions: estate.regions,
    accessMethod: "ROLE",
    roleArn: viaRoleWithExternalId.role!.roleArn,
    externalId: viaRoleWithExternalId.role!.externalId,
  });
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
  process.env = savedEnv;
});

async function storedKeys() {
  return db.prisma.kmsKey.findMany({
    where: { goneAt: null },
    include: { keyTags: true },
    orderBy: { arn: "asc" },
  });
}

describe("collector against the sandbox", () => {
  it("lands every key, alias, tag and rotation setting, with the spec's finding", async () => {
    const scan = await scanAndWait(db.prisma, worker);
    expect(scan.status).toBe("SUCCEEDED");
    expect(scan.targets.every((t) => t.status === "SUCCEEDED")).toBe(true);
    const keys = await storedKeys();
    const expected = allKeys(estate);
    expect(expected.length).toBe(3 * 2 * 45);
    expect(keys.length).toBe(expected.length);
    const byId = new Map(keys.map((k) => [`${k.accountId}/${k.region}/${k.keyId}`, k]));
    const now = new Date();
    for (const e of expected) {
      const k = byId.get(`${e.accountId}/${e.region}/${e.metadata.KeyId}`);
      expect(k, `${e.metadata.KeyId} stored`).toBeDefined();
      expect(k!.arn).toBe(e.metadata.Arn);
      expect(k!.keyState).toBe(e.metadata.KeyState);
      expect(k!.keySpec).toBe(e.metadata.KeySpec);
      expect(k!.origin).toBe(e.metadata.Origin);
      expect(k!.aliases).toEqual([...e.aliasNames].sort());
      const tags = k!.keyTags.map((t) => `${t.tagKey}=${t.tagValue}`).sort();
      expect(tags).toEqual(e.tags.map((t) => `${t.TagKey}=${t.TagValue}`).sort());
      expect(k!.reason, `${e.scenario} ${e.metadata.KeyId}`).toBe(expectedReason(e, { now }));
      if (k!.reason === "ROTATION_ENABLED" || k!.reason === "ROTATION_PERIOD_EXCEEDS_POLICY") {
        expect(k!.rotationEnabled).toBe(true);
        if (e.metadata.KeyManager === "CUSTOMER")
          expect(k!.rotationPeriodDays).toBe(e.rotation.periodInDays ?? 365);
      }
    }
    // Every severity of the spec is represented in the estate and so in the findings.
    expect(new Set(keys.map((k) => k.severity))).toEqual(
      new Set(["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"]),
    );
    const history = await db.prisma.findingHistory.count({ where: { scanId: scan.id } });
    expect(history).toBe(expected.length);
    const summary = await db.prisma.scanSummary.aggregate({
      where: { scanId: scan.id },
      _sum: { count: true },
    });
    expect(summary._sum.count).toBe(expected.length);
  });

  it("gives the same result with 30% of calls throttled", { timeout: 180_000 }, async () => {
    // One account (two regions): adaptive retries slow the whole client down under throttling.
    const snapshot = async () =>
      (await storedKeys())
        .filter((k) => k.accountId === viaRoleWithExternalId.id)
        .map((k) => [
          k.arn,
          k.severity,
          k.reason,
          k.aliases.join(","),
          k.keyTags.length,
          k.rotationPeriodDays,
        ]);
    const before = await snapshot();
    sandbox.resetStats();
    sandbox.setFaults({ throttleRate: 0.3, seed: 42 });
    try {
      const scan = await scanAndWait(db.prisma, worker, {
        accountIds: [viaRoleWithExternalId.id],
        timeoutMs: 170_000,
      });
      expect(scan.status).toBe("SUCCEEDED");
    } finally {
      sandbox.setFaults({});
    }
    expect(await snapshot()).toEqual(before);
    expect(sandbox.stats().faults.throttled).toBeGreaterThan(0);
  });

  it("keeps an account's data, flagged stale, when its access is denied, and completes the others", async () => {
    const deniedBefore = await db.prisma.kmsKey.findMany({
      where: { accountId: viaRole.id },
      orderBy: { arn: "asc" },
    });
    sandbox.setFaults({ accessDenied: { accounts: [viaRole.id] } });
    let scan;
    try {
      scan = await scanAndWait(db.prisma, worker);
    } finally {
      sandbox.setFaults({});
    }
    expect(scan.status).toBe("PARTIAL");
    for (const t of scan.targets) {
      expect(t.status).toBe(t.accountId === viaRole.id ? "FAILED" : "SUCCEEDED");
      if (t.accountId === viaRole.id) expect(t.error).toMatch(/AccessDenied/);
    }
    const deniedAfter = await db.prisma.kmsKey.findMany({
      where: { accountId: viaRole.id },
      orderBy: { arn: "asc" },
    });
    expect(deniedAfter.map((k) => [k.arn, k.severity, k.goneAt, k.lastScanId])).toEqual(
      deniedBefore.map((k) => [k.arn, k.severity, k.goneAt, k.lastScanId]),
    );
    const states = await db.prisma.accountRegionState.findMany({ where: { accountId: viaRole.id } });
    expect(states).toHaveLength(2);
    for (const s of states) {
      expect(s.stale).toBe(true);
      expect(s.lastError).toMatch(/AccessDenied/);
    }
    const others = await db.prisma.kmsKey.count({
      where: { accountId: { not: viaRole.id }, lastScanId: scan.id },
    });
    expect(others).toBe(2 * 2 * 45);
  });
});
