import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { startBoss, startWorker } from "@/lib/collector/queue";
import {
  allKeys,
  generateEstate,
  sandboxEnvironment,
  startSandbox,
  type RunningSandbox,
} from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";
import type { FixActor } from "./actor";
import { approveFixPlan, startFixRun } from "./lifecycle";
import { planFix } from "./plan";
import { enqueueFixJobs } from "./queue";

// A whole worker process killed (SIGKILL) in the middle of a fix run, under 30% throttling and
// AccessDenied on some keys, with the account's separate remediation role (the scanning role may
// not write): after a resume by another worker, every key is as the plan wants it or failed with
// AWS's error, and the sandbox's write log shows no key written twice.

const estate = generateEstate({
  accounts: 1,
  regions: ["us-east-1", "eu-west-1"],
  keysPerRegion: 60,
  seed: "fix-kill",
});
const account = estate.accounts.find((a) => a.role?.externalId && a.remediationRole)!;
let sandbox: RunningSandbox;
const db = useFreshDatabase();
let childEnv: NodeJS.ProcessEnv;
const savedEnv = { ...process.env };
const admin = (email: string): FixActor => ({
  actorId: email,
  actorEmail: email,
  role: "ADMIN",
  scope: null,
});

beforeAll(async () => {
  sandbox = await startSandbox({ estate });
  childEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    ...sandboxEnvironment(sandbox.url, account.id, "us-east-1"),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    LOG_LEVEL: "warn",
    INSIGHTS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  };
  Object.assign(process.env, childEnv);
  await addAccount(db.prisma, {
    id: account.id,
    name: account.name,
    regions: estate.regions,
    accessMethod: "ROLE",
    roleArn: account.role!.roleArn,
    externalId: account.role!.externalId,
    remediationMethod: "ROLE",
    remediationRoleArn: account.remediationRole!.roleArn,
    remediationExternalId: account.remediationRole!.externalId,
  });
  const worker = await startWorker(db.prisma, db.url, { schedule: false });
  try {
    await scanAndWait(db.prisma, worker);
  } finally {
    await worker.stop();
  }
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  process.env = savedEnv;
});

describe("a worker killed in the middle of a fix run", () => {
  it(
    "resumes on another worker: each key as planned or failed with AWS's error, none written twice",
    { timeout: 240_000 },
    async () => {
      const prisma = db.prisma;
      const plan = await planFix(
        prisma,
        { selection: { filters: "severity=CRITICAL" }, periodDays: 180 },
        admin("a@example.com"),
      );
      expect(plan.changeCount).toBeGreaterThan(8);
      await approveFixPlan(prisma, plan.id, plan.changeCount, admin("b@example.com"));
      const items = await prisma.fixItem.findMany({ where: { planId: plan.id, action: "ENABLE_ROTATION" } });
      const denied = items.slice(0, 2).map((i) => i.keyArn);
      sandbox.setFaults({ latencyMs: 60, throttleRate: 0.3, seed: 5, accessDenied: { keys: denied } });

      // The run's jobs go to the queue; a worker process takes them and is killed once a few keys are done.
      const boss = await startBoss(db.url, { supervise: false });
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        env: childEnv,
        stdio: "ignore",
      });
      try {
        const { jobs } = await startFixRun(prisma, plan.id, admin("b@example.com"));
        await enqueueFixJobs(boss, jobs);
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
          const done = await prisma.fixItem.count({ where: { planId: plan.id, state: "DONE" } });
          if (done >= 3) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
        await boss.stop({ graceful: false, wait: true });
      }
      const doneBeforeKill = await prisma.fixItem.count({ where: { planId: plan.id, state: "DONE" } });
      expect(doneBeforeKill, "the killed worker had fixed some keys").toBeGreaterThanOrEqual(3);
      const pending = await prisma.fixItem.count({ where: { planId: plan.id, state: "PENDING" } });
      expect(pending, "the worker was killed before the run ended").toBeGreaterThan(0);
      expect((await prisma.fixPlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe("RUNNING");

      // Another worker; the admin resumes the run.
      const worker = await startWorker(prisma, db.url, { schedule: false });
      try {
        const resumed = await startFixRun(prisma, plan.id, admin("b@example.com"));
        expect(resumed.resumed).toBe(true);
        await enqueueFixJobs(worker.boss, resumed.jobs);
        const deadline = Date.now() + 150_000;
        while (!(await prisma.fixPlan.findUniqueOrThrow({ where: { id: plan.id } })).finishedAt) {
          if (Date.now() > deadline) throw new Error("the resumed run did not finish");
          await new Promise((r) => setTimeout(r, 200));
        }
      } finally {
        await worker.stop();
        sandbox.setFaults({});
      }

      const finished = await prisma.fixPlan.findUniqueOrThrow({ where: { id: plan.id } });
      expect(finished.status).toBe("PARTIAL");
      const results = await prisma.fixItem.findMany({
        where: { planId: plan.id, action: "ENABLE_ROTATION" },
      });
      const writes = new Map<string, number>();
      for (const w of sandbox.writes()) writes.set(w.keyArn, (writes.get(w.keyArn) ?? 0) + 1);
      for (const item of results) {
        // Never twice: the resumed worker reads a key before writing it.
        expect(writes.get(item.keyArn) ?? 0, item.keyArn).toBeLessThanOrEqual(1);
        if (denied.includes(item.keyArn)) {
          expect(item).toMatchObject({
            state: "FAILED",
            error: expect.stringMatching(/^AccessDeniedException/),
          });
          expect(writes.get(item.keyArn)).toBeUndefined();
          continue;
        }
        expect(item, item.keyArn).toMatchObject({ state: "DONE", afterEnabled: true, afterPeriodDays: 180 });
        const key = allKeys(sandbox.estate).find((k) => k.metadata.Arn === item.keyArn)!;
        expect(key.rotation).toMatchObject({ enabled: true, periodInDays: 180 });
      }
      // The fixed keys' findings were judged again at once: no CRITICAL left but the denied two.
      const critical = await prisma.kmsKey.findMany({
        where: { severity: "CRITICAL", goneAt: null },
        select: { arn: true },
      });
      expect(critical.map((k) => k.arn).sort()).toEqual([...denied].sort());
      // Every write went through the remediation role, never the scanning one.
      expect(sandbox.writes().every((w) => w.principalArn.includes(account.remediationRole!.roleName))).toBe(
        true,
      );
    },
  );
});
