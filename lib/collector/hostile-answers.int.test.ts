import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { allKeys, generateEstate, type RunningSandbox } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { sandboxAccountRow, startDemoSandbox } from "@/test/support/kms-sandbox";
import { scanAndWait } from "@/test/support/collector";

// Hostile AWS answers (unknown enum values, missing fields, huge and odd tags, malformed JSON) are
// stored or rejected per key with a recorded error: the scan never crashes and loses nothing.

const estate = generateEstate({
  accounts: 1,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 30,
  seed: "hostile",
});
const account = estate.accounts[0]!;
let sandbox: RunningSandbox;
const db = useFreshDatabase();
let worker: Worker;

beforeAll(async () => {
  sandbox = await startDemoSandbox(estate);
  await db.prisma.awsAccount.create({ data: sandboxAccountRow(sandbox, account, estate.regions) });
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
});

describe("hostile answers", () => {
  it("stores odd answers, rejects oversized tags per key with an error, and completes", async () => {
    sandbox.setFaults({ hostile: true });
    const scan = await scanAndWait(db.prisma, worker);
    sandbox.setFaults({});
    expect(scan.status).toBe("SUCCEEDED");
    const keys = await db.prisma.kmsKey.findMany({ include: { keyTags: true } });
    expect(keys).toHaveLength(allKeys(estate).length);
    // Unknown states are kept as sent and judged NOT_APPLICABLE, never dropped.
    const future = keys.filter((k) => k.keyState === "FutureState");
    expect(future.length).toBeGreaterThan(0);
    expect(future.every((k) => k.severity === "NOT_APPLICABLE" && k.reason === "KEY_NOT_USABLE")).toBe(true);
    const customer = keys.filter((k) => k.keyManager === "CUSTOMER");
    for (const k of customer) {
      expect(k.keyTags.some((t) => t.tagKey === "hostile-huge")).toBe(false);
      expect(k.collectError).toMatch(/Ignored tags outside AWS limits: hostile-huge/);
      const odd = k.keyTags.find((t) => t.tagKey === "hostile-bidi");
      expect(odd?.tagValue).toBe("\u202Egnp.exe\u202C invoice");
    }
  });

  it("records a malformed ListAliases answer on the keys and keeps their stored aliases", async () => {
    const before = await db.prisma.kmsKey.findMany({
      select: { arn: true, aliases: true },
      orderBy: { arn: "asc" },
    });
    expect(before.some((k) => k.aliases.length > 0)).toBe(true);
    sandbox.setFaults({ malformedJsonOperations: ["ListAliases"] });
    const scan = await scanAndWait(db.prisma, worker);
    sandbox.setFaults({});
    expect(scan.status).toBe("SUCCEEDED");
    const after = await db.prisma.kmsKey.findMany({
      select: { arn: true, aliases: true, collectError: true },
      orderBy: { arn: "asc" },
    });
    expect(after.map((k) => [k.arn, k.aliases])).toEqual(before.map((k) => [k.arn, k.aliases]));
    expect(after.every((k) => /ListAliases failed/.test(k.collectError ?? ""))).toBe(true);
  });

  it("keeps every key, judged unknown with the error, when DescribeKey answers malformed JSON", async () => {
    sandbox.setFaults({ malformedJsonOperations: ["DescribeKey"] });
    const scan = await scanAndWait(db.prisma, worker);
    sandbox.setFaults({});
    expect(scan.status).toBe("SUCCEEDED");
    const keys = await db.prisma.kmsKey.findMany();
    expect(keys).toHaveLength(allKeys(estate).length);
    expect(
      keys.every(
        (k) => k.reason === "ROTATION_STATUS_UNKNOWN" && /DescribeKey failed/.test(k.collectError ?? ""),
      ),
    ).toBe(true);
    // The metadata read by the earlier scans is kept.
    expect(keys.filter((k) => k.keyState === "Unknown")).toHaveLength(0);
  });

  it("marks a region stale, keeping its keys, when ListKeys answers malformed JSON", async () => {
    sandbox.setFaults({ malformedJsonOperations: ["ListKeys"] });
    const scan = await scanAndWait(db.prisma, worker);
    sandbox.setFaults({});
    expect(scan.status).toBe("FAILED");
    expect(scan.targets.every((t) => /ListKeys failed/.test(t.error ?? ""))).toBe(true);
    expect(await db.prisma.kmsKey.count({ where: { goneAt: null } })).toBe(allKeys(estate).length);
    const states = await db.prisma.accountRegionState.findMany();
    expect(states.every((s) => s.stale && /ListKeys failed/.test(s.lastError ?? ""))).toBe(true);
  });
});
