import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { generateEstate, sandboxEnvironment, startSandbox, type RunningSandbox } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";

// What a scan leaves in account_region_states for coverage: the failing call and AWS's code (an
// account whose role does not exist: sts:AssumeRole/AccessDenied; a role that may not list keys:
// kms:ListKeys/AccessDeniedException), the key count of a success, and the scan's summary naming
// the role that could not be assumed.

const estate = generateEstate({
  accounts: 4,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 7,
  seed: "failure-record-it",
});
const [home, listDenied, , noRole] = [estate.accounts[0]!, estate.accounts[1]!, null, estate.accounts[3]!];
const missingRole = `arn:aws:iam::${noRole.id}:role/KmsInsightsReadOnly`;

let sandbox: RunningSandbox;
const db = useFreshDatabase();
let worker: Worker;
const savedEnv = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ estate });
  Object.assign(process.env, {
    ...sandboxEnvironment(sandbox.url, home.id, "us-east-1"),
    INSIGHTS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  });
  expect(noRole.role).toBeUndefined();
  await addAccount(db.prisma, { id: home.id, name: home.name, regions: estate.regions });
  await addAccount(db.prisma, {
    id: listDenied.id,
    name: listDenied.name,
    regions: estate.regions,
    accessMethod: "ROLE",
    roleArn: listDenied.role!.roleArn,
  });
  await addAccount(db.prisma, {
    id: noRole.id,
    name: noRole.name,
    regions: estate.regions,
    accessMethod: "ROLE",
    roleArn: missingRole,
    externalId: "kmsi-some-external-id",
  });
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
  process.env = savedEnv;
});

const stateOf = (accountId: string, region: string) =>
  db.prisma.accountRegionState.findUniqueOrThrow({ where: { accountId_region: { accountId, region } } });

describe("a scan records what failed and what it found", () => {
  it("records sts:AssumeRole/AccessDenied, kms:ListKeys/AccessDeniedException and key counts", async () => {
    sandbox.setFaults({ accessDenied: { accounts: [listDenied.id], operations: ["ListKeys"] } });
    let scan;
    try {
      scan = await scanAndWait(db.prisma, worker);
    } finally {
      sandbox.setFaults({});
    }
    expect(scan.status).toBe("PARTIAL");

    for (const region of estate.regions) {
      const ok = await stateOf(home.id, region);
      expect(ok).toMatchObject({ stale: false, lastError: null, lastErrorCall: null, lastErrorCode: null });
      expect(ok.keyCount).toBe(7);
      expect(ok.lastSuccessAt).not.toBeNull();

      const denied = await stateOf(listDenied.id, region);
      expect(denied).toMatchObject({
        stale: true,
        lastErrorCall: "kms:ListKeys",
        lastErrorCode: "AccessDeniedException",
        lastSuccessAt: null,
      });
      expect(denied.lastError).toMatch(/^ListKeys failed: AccessDeniedException/);

      const assume = await stateOf(noRole.id, region);
      expect(assume).toMatchObject({
        stale: true,
        lastErrorCall: "sts:AssumeRole",
        lastErrorCode: "AccessDenied",
      });
      expect(assume.keyCount).toBeNull();
    }
    // The scan's summary (each target's error) says which role and why, in words.
    const assumeTargets = scan.targets.filter((t) => t.accountId === noRole.id);
    expect(assumeTargets).toHaveLength(2);
    for (const t of assumeTargets) {
      expect(t.status).toBe("FAILED");
      expect(t.error).toContain(`Could not assume ${missingRole}: AccessDenied — the role is missing`);
      expect(t.error).toContain("or the external id differs");
      expect(t.error).toContain("is not authorized to perform: sts:AssumeRole");
    }
  });

  it("clears the failure once the account-region is listed again, and keeps the count of the last success", async () => {
    const scan = await scanAndWait(db.prisma, worker, { accountIds: [listDenied.id] });
    expect(scan.status).toBe("SUCCEEDED");
    const state = await stateOf(listDenied.id, "eu-west-1");
    expect(state).toMatchObject({
      stale: false,
      lastError: null,
      lastErrorCall: null,
      lastErrorCode: null,
      keyCount: 7,
    });

    sandbox.setFaults({ accessDenied: { accounts: [listDenied.id], operations: ["ListKeys"] } });
    try {
      await scanAndWait(db.prisma, worker, { accountIds: [listDenied.id] });
    } finally {
      sandbox.setFaults({});
    }
    const again = await stateOf(listDenied.id, "eu-west-1");
    expect(again).toMatchObject({ stale: true, lastErrorCode: "AccessDeniedException", keyCount: 7 });
    expect(again.lastSuccessAt).toEqual(state.lastSuccessAt);
  });
});
