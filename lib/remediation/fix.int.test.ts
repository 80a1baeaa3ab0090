import { EnableKeyRotationCommand, GetKeyRotationStatusCommand } from "@aws-sdk/client-kms";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { allKeys, generateEstate, keysIn, type RunningSandbox, type SandboxKey } from "@/lib/kms-sandbox";
import { setSetting } from "@/lib/settings";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";
import { kmsClient, sandboxAccountRow, startDemoSandbox } from "@/test/support/kms-sandbox";
import { FixError, type FixActor } from "./actor";
import { approveFixPlan, cancelFixPlan, startFixRun } from "./lifecycle";
import { planFix, planRollback } from "./plan";
import { enqueueFixJobs } from "./queue";
import { runFixJob } from "./run";

// Plan → approve → run → verify → rollback against the sandbox over HTTP, with the real queue and
// PostgreSQL: the right keys change, each at most once (the sandbox's write log), through
// throttling, denied accounts and a worker that dies between a write and its record.

const [EAST, WEST] = ["us-east-1", "eu-west-1"];
const estate = generateEstate({ accounts: 2, regions: [EAST, WEST], keysPerRegion: 30, seed: "fixes-it" });
const [alpha, beta] = [estate.accounts[0]!, estate.accounts[1]!];
const db = useFreshDatabase();
let sandbox: RunningSandbox;
let worker: Worker;

const actor = (email: string, role: FixActor["role"], scope: FixActor["scope"] = null): FixActor => ({
  actorId: email,
  actorEmail: email,
  role,
  scope,
});
const adminA = actor("a@example.com", "ADMIN");
const adminB = actor("b@example.com", "ADMIN");
const analyst = actor("analyst@example.com", "ANALYST");
const viewer = actor("viewer@example.com", "VIEWER");

beforeAll(async () => {
  sandbox = await startDemoSandbox(estate);
  await db.prisma.awsAccount.createMany({
    data: [sandboxAccountRow(sandbox, alpha, [EAST, WEST]), sandboxAccountRow(sandbox, beta, [EAST, WEST])],
  });
  await db.prisma.awsAccount.update({ where: { id: alpha.id }, data: { remediationMethod: "SANDBOX" } });
  worker = await startWorker(db.prisma, db.url, { schedule: false });
  await scanAndWait(db.prisma, worker);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.stop();
});

function live(account: string, region: string, scenario: string): SandboxKey {
  const found = keysIn(sandbox.estate, account, region).find((k) => k.scenario === scenario);
  if (!found) throw new Error(`no ${scenario} key in ${account}/${region}`);
  return found;
}
const arn = (account: string, region: string, scenario: string) =>
  live(account, region, scenario).metadata.Arn!;

/** A key whose policy denies GetKeyRotationStatus: a fix reads it first, so it fails. */
const readDenied = (keyArn: string) =>
  allKeys(sandbox.estate).find((k) => k.metadata.Arn === keyArn)?.rotationStatusError !== undefined;

async function itemsOf(planId: string) {
  return db.prisma.fixItem.findMany({ where: { planId }, orderBy: { id: "asc" } });
}

/** Each key's number of writes in the sandbox's log. */
function writesPerKey(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of sandbox.writes()) counts.set(w.keyArn, (counts.get(w.keyArn) ?? 0) + 1);
  return counts;
}

async function waitForPlan(id: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const plan = await db.prisma.fixPlan.findUniqueOrThrow({ where: { id } });
    if (plan.finishedAt) return plan;
    if (Date.now() > deadline) throw new Error(`plan ${id} did not finish: ${plan.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function approvedPlan(selection: Parameters<typeof planFix>[1]["selection"]) {
  const plan = await planFix(db.prisma, { selection, periodDays: null }, adminA);
  await approveFixPlan(db.prisma, plan.id, plan.changeCount, adminB);
  return plan;
}

describe("planning", () => {
  it("lists each key's call, or its reason to be skipped", async () => {
    const chosen = {
      off: arn(alpha.id, EAST, "enabled-rotation-off"),
      long: arn(alpha.id, EAST, "rotation-period-730"),
      fine: arn(alpha.id, EAST, "rotation-enabled-default"),
      deleting: arn(alpha.id, EAST, "pending-deletion"),
      disabled: arn(alpha.id, EAST, "disabled-rotation-off"),
      managed: arn(alpha.id, EAST, "aws-managed"),
      noAccess: arn(beta.id, EAST, "enabled-rotation-off"),
    };
    const plan = await planFix(
      db.prisma,
      { selection: { keys: Object.values(chosen) }, periodDays: null },
      analyst,
    );
    const byArn = new Map((await itemsOf(plan.id)).map((i) => [i.keyArn, i]));
    const seen = (k: keyof typeof chosen) => {
      const i = byArn.get(chosen[k])!;
      return [i.action, i.periodDays, i.skipReason, i.state];
    };
    expect(seen("off")).toEqual(["ENABLE_ROTATION", 365, null, "PENDING"]);
    expect(seen("long")).toEqual(["ENABLE_ROTATION", 365, null, "PENDING"]);
    expect(seen("fine")).toEqual(["SKIP", null, "ALREADY_ROTATING", "SKIPPED"]);
    expect(seen("deleting")).toEqual(["SKIP", null, "PENDING_DELETION", "SKIPPED"]);
    expect(seen("disabled")).toEqual(["SKIP", null, "KEY_DISABLED", "SKIPPED"]);
    expect(seen("managed")).toEqual(["SKIP", null, "NOT_APPLICABLE", "SKIPPED"]);
    expect(seen("noAccess")).toEqual(["SKIP", null, "NO_REMEDIATION_ACCESS", "SKIPPED"]);
    expect(plan).toMatchObject({ changeCount: 2, skipCount: 5 });
    expect(byArn.get(chosen.long)).toMatchObject({ beforeEnabled: true, beforePeriodDays: 730 });
    const audit = await db.prisma.auditLog.findFirst({ where: { action: "fix.plan", target: plan.id } });
    expect(audit).toMatchObject({ actorEmail: analyst.actorEmail, details: { keys: 2, skipped: 5 } });
  });

  it("skips keys outside the planner's scope, and plans a filter's keys within it", async () => {
    const scoped = actor("scoped@example.com", "ANALYST", [alpha.id]);
    const outside = arn(beta.id, EAST, "enabled-rotation-off");
    const byKeys = await planFix(db.prisma, { selection: { keys: [outside] }, periodDays: 120 }, scoped);
    expect(await itemsOf(byKeys.id)).toMatchObject([{ action: "SKIP", skipReason: "OUT_OF_SCOPE" }]);
    const byFilter = await planFix(
      db.prisma,
      { selection: { filters: "severity=CRITICAL" }, periodDays: 120 },
      scoped,
    );
    const items = await itemsOf(byFilter.id);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.accountId === alpha.id)).toBe(true);
    expect(items.filter((i) => i.action === "ENABLE_ROTATION").every((i) => i.periodDays === 120)).toBe(true);
    // After the only scan every critical finding is new since the previous scan (there is none).
    const byChange = await planFix(
      db.prisma,
      { selection: { filters: "change=new&severity=CRITICAL" }, periodDays: 120 },
      scoped,
    );
    const arns = async (planId: string) => (await itemsOf(planId)).map((i) => i.keyArn).sort();
    expect(await arns(byChange.id)).toEqual(await arns(byFilter.id));
  });

  it("fixes a multi-Region replica's primary instead of the replica", async () => {
    const primaryArn = arn(alpha.id, EAST, "multi-region-primary");
    const replica = allKeys(sandbox.estate).find(
      (k) =>
        k.metadata.MultiRegionConfiguration?.PrimaryKey?.Arn === primaryArn && k.metadata.Arn !== primaryArn,
    )!;
    expect(replica, "a replica in the estate").toBeDefined();
    // The primary rotates every 180 days: a 90-day period asks for a change.
    const plan = await planFix(
      db.prisma,
      { selection: { keys: [replica.metadata.Arn!] }, periodDays: 90 },
      analyst,
    );
    const items = await itemsOf(plan.id);
    expect(items.map((i) => [i.keyArn, i.action, i.periodDays, i.skipReason])).toEqual([
      [replica.metadata.Arn, "SKIP", null, "MULTI_REGION_REPLICA"],
      [primaryArn, "ENABLE_ROTATION", 90, null],
    ]);
  });

  it("refuses viewers, unknown keys and periods outside 90 to the policy's maximum", async () => {
    const key = arn(alpha.id, EAST, "enabled-rotation-off");
    await expect(
      planFix(db.prisma, { selection: { keys: [key] }, periodDays: null }, viewer),
    ).rejects.toThrow("Only analysts and admins can plan fixes.");
    await expect(
      planFix(db.prisma, { selection: { keys: [key, `${key}-gone`] }, periodDays: null }, analyst),
    ).rejects.toThrow(/unknown to the console/);
    for (const periodDays of [60, 400])
      await expect(
        planFix(db.prisma, { selection: { keys: [key] }, periodDays }, analyst),
      ).rejects.toMatchObject({
        field: "period",
        message: expect.stringMatching(/from 90 to the policy's maximum, 365/),
      });
    await expect(
      planFix(db.prisma, { selection: { filters: "severity=LOUD" }, periodDays: null }, analyst),
    ).rejects.toBeInstanceOf(FixError);
    expect(
      await db.prisma.auditLog.count({ where: { action: "fix.plan", actorEmail: viewer.actorEmail } }),
    ).toBe(0);
  });
});

describe("approval", () => {
  const oneKey = () => ({ keys: [arn(alpha.id, WEST, "enabled-rotation-off")] });

  it("needs an admin other than the planner, typing the number of keys", async () => {
    const plan = await planFix(db.prisma, { selection: oneKey(), periodDays: null }, adminA);
    await expect(approveFixPlan(db.prisma, plan.id, 1, adminA)).rejects.toThrow(/second person/);
    await expect(approveFixPlan(db.prisma, plan.id, 1, analyst)).rejects.toThrow(/Only admins/);
    await expect(approveFixPlan(db.prisma, plan.id, 1, viewer)).rejects.toThrow(/Only admins/);
    await expect(approveFixPlan(db.prisma, plan.id, 2, adminB)).rejects.toMatchObject({ field: "count" });
    await expect(startFixRun(db.prisma, plan.id, adminB)).rejects.toThrow(/waiting for approval/);
    const approved = await approveFixPlan(db.prisma, plan.id, 1, adminB);
    expect(approved).toMatchObject({ status: "APPROVED", approvedByEmail: adminB.actorEmail });
    await expect(startFixRun(db.prisma, plan.id, analyst)).rejects.toThrow(/Only admins/);
    await expect(cancelFixPlan(db.prisma, plan.id, analyst)).rejects.toThrow(/Only admins/);
    await expect(cancelFixPlan(db.prisma, plan.id, viewer)).rejects.toThrow(/Only admins/);
    await cancelFixPlan(db.prisma, plan.id, adminA);
    expect(await db.prisma.fixPlan.findUnique({ where: { id: plan.id } })).toMatchObject({
      status: "CANCELLED",
      cancelledByEmail: adminA.actorEmail,
    });
    const actions = await db.prisma.auditLog.findMany({ where: { target: plan.id }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["fix.plan", "fix.approve", "fix.cancel"]);
  });

  it("lets the planner approve when the setting is off", async () => {
    await setSetting(db.prisma, "fixes.requireSecondPerson", false);
    try {
      const plan = await planFix(db.prisma, { selection: oneKey(), periodDays: null }, adminA);
      expect(await approveFixPlan(db.prisma, plan.id, 1, adminA)).toMatchObject({ status: "APPROVED" });
      await cancelFixPlan(db.prisma, plan.id, adminA);
    } finally {
      await setSetting(db.prisma, "fixes.requireSecondPerson", true);
    }
  });

  it("expires a plan not approved within 7 days", async () => {
    const planned = new Date(Date.now() - 8 * 86_400_000);
    const plan = await planFix(db.prisma, { selection: oneKey(), periodDays: null }, adminA, planned);
    await expect(approveFixPlan(db.prisma, plan.id, 1, adminB)).rejects.toThrow(/expired/);
    expect(await db.prisma.fixPlan.findUnique({ where: { id: plan.id } })).toMatchObject({
      status: "EXPIRED",
    });
  });
});

describe("a run", () => {
  it("fixes the keys it may, records AccessDenied, and writes each key once through throttling", async () => {
    await db.prisma.awsAccount.update({ where: { id: beta.id }, data: { remediationMethod: "SANDBOX" } });
    sandbox.setFaults({ throttleRate: 0.3, accessDenied: { accounts: [beta.id] }, seed: "fix-run" });
    try {
      const plan = await approvedPlan({ filters: `region=${EAST}` });
      expect(plan.changeCount).toBeGreaterThan(4);
      const { jobs } = await startFixRun(db.prisma, plan.id, adminB);
      expect(jobs.map((j) => j.accountId).sort()).toEqual([alpha.id, beta.id].sort());
      await enqueueFixJobs(worker.boss, jobs);
      expect(await waitForPlan(plan.id)).toMatchObject({ status: "PARTIAL" });
      const items = (await itemsOf(plan.id)).filter((i) => i.action !== "SKIP");
      const writes = writesPerKey();
      for (const item of items) {
        if (item.accountId === alpha.id && !readDenied(item.keyArn)) {
          expect(item, `${item.keyArn} ${item.error}`).toMatchObject({
            state: "DONE",
            afterEnabled: true,
            afterPeriodDays: 365,
          });
          expect(writes.get(item.keyArn), item.keyArn).toBe(1);
        } else {
          expect(item.state).toBe("FAILED");
          // A denied account, or a key whose policy denies reading its rotation.
          expect(item.error).toMatch(/^AccessDeniedException: /);
          expect(writes.get(item.keyArn)).toBeUndefined();
        }
      }
      // Verified at once: the key rows show the fix, without a scan.
      const done = items.filter((i) => i.state === "DONE").map((i) => i.keyArn);
      const rows = await db.prisma.kmsKey.findMany({ where: { arn: { in: done } } });
      expect(rows.map((r) => [r.severity, r.reason, r.rotationPeriodDays])).toEqual(
        done.map(() => ["OK", "ROTATION_ENABLED", 365]),
      );
      expect(
        await db.prisma.auditLog.count({
          where: { action: "fix.key", details: { path: ["plan"], equals: plan.id } },
        }),
      ).toBe(done.length);
    } finally {
      sandbox.setFaults({});
      await db.prisma.awsAccount.update({ where: { id: beta.id }, data: { remediationMethod: null } });
    }
  }, 120_000);

  it("resumes after a worker died between a write and its record, writing no key twice", async () => {
    const plan = await approvedPlan({ filters: `region=${WEST}&account=${alpha.id}` });
    expect(plan.changeCount).toBeGreaterThan(3);
    const { jobs } = await startFixRun(db.prisma, plan.id, adminB);
    let written = 0;
    const crash = new Error("worker killed");
    await expect(
      runFixJob(db.prisma, jobs[0]!, {
        writesPerSecond: 50,
        afterWrite: () => {
          if (++written === 3) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const midway = await itemsOf(plan.id);
    expect(midway.filter((i) => i.state === "DONE")).toHaveLength(2);
    expect((await db.prisma.fixPlan.findUnique({ where: { id: plan.id } }))?.status).toBe("RUNNING");

    const resumed = await startFixRun(db.prisma, plan.id, adminB);
    expect(resumed.resumed).toBe(true);
    for (const job of resumed.jobs) await runFixJob(db.prisma, job, { writesPerSecond: 50 });
    // PARTIAL: the key whose policy denies reading its rotation failed; every other key is done.
    expect(await db.prisma.fixPlan.findUnique({ where: { id: plan.id } })).toMatchObject({
      status: "PARTIAL",
    });
    const items = (await itemsOf(plan.id)).filter((i) => i.action !== "SKIP" && !readDenied(i.keyArn));
    const writes = writesPerKey();
    expect(items.map((i) => [i.state, writes.get(i.keyArn)])).toEqual(items.map(() => ["DONE", 1]));
    // The key whose record was lost: written once, recorded on resume without a second write.
    const entries = await db.prisma.auditLog.findMany({
      where: { action: "fix.key", details: { path: ["plan"], equals: plan.id } },
    });
    expect(entries.filter((e) => (e.details as { wrote: boolean }).wrote === false)).toHaveLength(1);
    expect(entries).toHaveLength(items.length);
  }, 120_000);

  it("rolls back: rotation off again, and the earlier period where it was on", async () => {
    const fix = await db.prisma.fixPlan.findFirstOrThrow({
      where: { status: "PARTIAL", kind: "FIX", items: { some: { region: WEST } } },
      orderBy: { createdAt: "desc" },
      include: { items: { where: { state: "DONE" } } },
    });
    await expect(planRollback(db.prisma, fix.id, viewer)).rejects.toThrow(/Only analysts and admins/);
    // Two rollbacks planned at the same moment (both held up by a lock on the fix, then let go
    // together): one is planned, the other finds it under way.
    const hold = new pg.Client({ connectionString: db.url });
    await hold.connect();
    await hold.query("BEGIN");
    await hold.query("SELECT id FROM fix_plans WHERE id = $1 FOR UPDATE", [fix.id]);
    // Both by admin A (a double submit, say), so that admin B may approve whichever is planned.
    const planned = [planRollback(db.prisma, fix.id, adminA), planRollback(db.prisma, fix.id, adminA)];
    for (const p of planned) p.catch(() => {}); // settled below
    const lockWaits = async () =>
      (
        await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`
      )[0]!.n;
    await expect.poll(lockWaits, { timeout: 30_000, interval: 20 }).toBe(2);
    await hold.query("COMMIT");
    await hold.end();
    const settled = await Promise.allSettled(planned);
    const rejected = settled.filter((r) => r.status === "rejected");
    expect(rejected.map((r) => String(r.reason))).toEqual([expect.stringMatching(/already has a rollback/)]);
    const rollback = settled.find((r) => r.status === "fulfilled")!.value;
    expect(await db.prisma.fixPlan.count({ where: { rollbackOfId: fix.id } })).toBe(1);
    const items = await itemsOf(rollback.id);
    const off = live(alpha.id, WEST, "enabled-rotation-off").metadata.Arn!;
    const long = live(alpha.id, WEST, "rotation-period-730").metadata.Arn!;
    expect(items.find((i) => i.keyArn === off)).toMatchObject({ action: "DISABLE_ROTATION" });
    expect(items.find((i) => i.keyArn === long)).toMatchObject({
      action: "ENABLE_ROTATION",
      periodDays: 730,
    });
    await expect(planRollback(db.prisma, fix.id, adminA)).rejects.toThrow(/already has a rollback/);
    await approveFixPlan(db.prisma, rollback.id, rollback.changeCount, adminB);
    const { jobs } = await startFixRun(db.prisma, rollback.id, adminB);
    await enqueueFixJobs(worker.boss, jobs);
    expect(await waitForPlan(rollback.id)).toMatchObject({ status: "COMPLETED", rollbackOfId: fix.id });
    const kms = kmsClient(sandbox, alpha.id, WEST);
    try {
      const read = (keyArn: string) => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
      expect((await read(off)).KeyRotationEnabled).toBe(false);
      expect(await read(long)).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 730 });
    } finally {
      kms.destroy();
    }
    const rows = await db.prisma.kmsKey.findMany({
      where: { arn: { in: [off, long] } },
      orderBy: { arn: "asc" },
    });
    expect(Object.fromEntries(rows.map((r) => [r.arn, r.reason]))).toEqual({
      [off]: "ROTATION_DISABLED",
      [long]: "ROTATION_PERIOD_EXCEEDS_POLICY",
    });
  }, 120_000);

  it("records a key someone else fixed before the run as it was found, and leaves it out of a rollback", async () => {
    await db.prisma.awsAccount.update({ where: { id: beta.id }, data: { remediationMethod: "SANDBOX" } });
    try {
      const keyArn = arn(beta.id, WEST, "enabled-rotation-off");
      const plan = await approvedPlan({ keys: [keyArn] });
      const kms = kmsClient(sandbox, beta.id, WEST);
      try {
        await kms.send(new EnableKeyRotationCommand({ KeyId: keyArn, RotationPeriodInDays: 365 }));
      } finally {
        kms.destroy();
      }
      const { jobs } = await startFixRun(db.prisma, plan.id, adminB);
      for (const job of jobs) await runFixJob(db.prisma, job, { writesPerSecond: 50 });
      expect(await itemsOf(plan.id)).toMatchObject([
        { state: "DONE", beforeEnabled: true, beforePeriodDays: 365, afterEnabled: true },
      ]);
      expect(writesPerKey().get(keyArn)).toBe(1); // the other person's, not the plan's
      await expect(planRollback(db.prisma, plan.id, adminA)).rejects.toThrow(/nothing to roll back/);
    } finally {
      await db.prisma.awsAccount.update({ where: { id: beta.id }, data: { remediationMethod: null } });
    }
  }, 60_000);
});
