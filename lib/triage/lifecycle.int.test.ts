import { DisableKeyRotationCommand, EnableKeyRotationCommand, type KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { startWorker, type Worker } from "@/lib/collector/queue";
import { markGoneKeys } from "@/lib/collector/scan";
import { saveSettings } from "@/lib/settings";
import { sweepExpiredExceptions } from "@/lib/exceptions/apply";
import { approveException, createException, ExceptionError, revokeException } from "@/lib/exceptions/service";
import { EMPTY_FILTERS, type InsightFilters } from "@/lib/insight-table/filters";
import { fetchInsightPage } from "@/lib/insight-table/query";
import { fetchKeyCounts } from "@/lib/insight-table/key-counts";
import { generateEstate, sandboxEnvironment, startSandbox, type RunningSandbox } from "@/lib/kms-sandbox";
import { createUser } from "@/lib/users/service";
import { useFreshDatabase } from "@/test/db";
import { scanAndWait } from "@/test/support/collector";
import { kmsClient } from "@/test/support/kms-sandbox";

// A finding's life over real scans: the sandbox's EnableKeyRotation and DisableKeyRotation flip keys
// between scans, and the console sees them as new, resolved and reopened; exceptions take findings
// out of the open counts and give them back when revoked or expired (an injected clock).

const REGION = "us-east-1";
// The second region is scanned only from the last tests on: its keys are the ones that "appear later".
const LATER = "eu-west-1";
const estate = generateEstate({
  accounts: 1,
  regions: [REGION, LATER],
  keysPerRegion: 60,
  seed: "triage-it",
});
const account = estate.accounts[0]!;
const db = useFreshDatabase();
let sandbox: RunningSandbox;
let worker: Worker;
let kms: KMSClient;
const savedEnv = { ...process.env };
const admin = { actorEmail: "admin@example.com", role: "ADMIN" as const, scope: null };

beforeAll(async () => {
  sandbox = await startSandbox({ estate });
  Object.assign(process.env, sandboxEnvironment(sandbox.url, account.id, REGION));
  await addAccount(db.prisma, { id: account.id, name: account.name, regions: [REGION] });
  for (const email of ["admin@example.com", "second@example.com", "analyst@example.com"])
    await createUser(db.prisma, {
      email,
      password: "correct horse battery",
      role: email.startsWith("analyst") ? "analyst" : "admin",
    });
  kms = kmsClient(sandbox, account.id, REGION);
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 120_000);

afterAll(async () => {
  kms?.destroy();
  await worker?.stop();
  await sandbox?.stop();
  process.env = savedEnv;
});

/** Key ids of the keys the first scan judged for `reason`, in key id order. */
const judged = async (reason: string) =>
  (await db.prisma.kmsKey.findMany({ where: { reason }, orderBy: { keyId: "asc" } })).map((k) => k.keyId);
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${account.id}:key/${keyId}`;
const finding = (keyId: string) =>
  db.prisma.kmsKey.findFirstOrThrow({ where: { keyId }, include: { events: { orderBy: { id: "asc" } } } });
const keyIds = async (filters: Partial<InsightFilters>) =>
  (await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, pageSize: 200, ...filters }, null)).rows
    .map((r) => r.keyId)
    .sort();
const deltaOf = async (scanId: string) =>
  db.prisma.scanDelta.findUniqueOrThrow({
    where: { scanId_accountId_region: { scanId, accountId: account.id, region: REGION } },
  });

describe("finding lifecycle over scans", () => {
  let off: string[] = [];
  let on: string[] = [];
  const scans: string[] = [];

  it("marks every failing key new in the first scan, and the others passing", async () => {
    const scan = await scanAndWait(db.prisma, worker);
    scans.push(scan.id);
    off = await judged("ROTATION_DISABLED");
    on = await judged("ROTATION_ENABLED");
    expect(off.length).toBeGreaterThanOrEqual(3);
    expect(on.length).toBeGreaterThanOrEqual(1);
    const failing = await db.prisma.kmsKey.count({ where: { severity: { in: ["CRITICAL", "WARNING"] } } });
    expect(failing).toBeGreaterThan(0);
    expect(await db.prisma.kmsKey.count({ where: { status: "OPEN" } })).toBe(failing);
    expect(await deltaOf(scan.id)).toMatchObject({ new: failing, resolved: 0, reopened: 0, stillFailing: 0 });
    const first = await finding(off[0]!);
    expect(first).toMatchObject({ status: "OPEN", reopenedCount: 0 });
    expect(first.firstFailedAt).toEqual(first.evaluatedAt);
    expect(first.dueAt!.getTime() - first.failingSince!.getTime()).toBe(
      (first.severity === "CRITICAL" ? 30 : 90) * 86_400_000,
    );
    expect(first.events.map((e) => [e.kind, e.scanId])).toEqual([["NEW", scan.id]]);
    expect((await finding(on[0]!)).status).toBe("PASSING");
  });

  it("sees rotation enabled as resolved and rotation disabled as new, in the next scan's delta", async () => {
    await kms.send(new EnableKeyRotationCommand({ KeyId: off[0]!, RotationPeriodInDays: 365 }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: off[1]!, RotationPeriodInDays: 365 }));
    await kms.send(new DisableKeyRotationCommand({ KeyId: on[0]! }));
    const scan = await scanAndWait(db.prisma, worker);
    scans.push(scan.id);
    const delta = await deltaOf(scan.id);
    expect(delta).toMatchObject({ new: 1, resolved: 2, reopened: 0 });
    const resolved = await finding(off[0]!);
    expect(resolved).toMatchObject({ status: "RESOLVED", resolvedReason: "ROTATION_ENABLED" });
    expect(resolved.resolvedAt).toEqual(resolved.evaluatedAt);
    // The resolution carries the failing period it ends: its start and its severity.
    const resolution = resolved.events.at(-1)!;
    expect(resolution).toMatchObject({ kind: "RESOLVED", openedAt: resolved.failingSince });
    expect(["CRITICAL", "WARNING"]).toContain(resolution.severity);
    expect((await finding(on[0]!)).status).toBe("OPEN");
    // The table, filtered by change since the previous scan (the default), shows exactly those.
    expect(await keyIds({ changes: ["new"] })).toEqual([on[0]!]);
    expect(await keyIds({ changes: ["resolved"] })).toEqual([off[0]!, off[1]!].sort());
    expect(await keyIds({ statuses: ["resolved"] })).toEqual([off[0]!, off[1]!].sort());
    // Since the first scan's start: the first scan's own changes are not after it.
    expect(await keyIds({ changes: ["new"], since: scans[0]! })).toEqual([on[0]!]);
  });

  it("sees a resolved finding failing again as reopened", async () => {
    await kms.send(new DisableKeyRotationCommand({ KeyId: off[0]! }));
    const scan = await scanAndWait(db.prisma, worker);
    scans.push(scan.id);
    expect(await deltaOf(scan.id)).toMatchObject({ new: 0, resolved: 0, reopened: 1 });
    const reopened = await finding(off[0]!);
    expect(reopened).toMatchObject({ status: "OPEN", reopenedCount: 1 });
    expect(reopened.failingSince).toEqual(reopened.evaluatedAt);
    expect(reopened.firstFailedAt!.getTime()).toBeLessThan(reopened.failingSince!.getTime());
    expect(reopened.events.map((e) => e.kind)).toEqual(["NEW", "RESOLVED", "REOPENED"]);
    expect(await keyIds({ changes: ["reopened"] })).toEqual([off[0]!]);
    // Since a date before every scan: the whole history of changes.
    expect(await keyIds({ changes: ["new"], since: "2000-01-01" })).toContain(on[0]!);
  });
});

describe("exceptions", () => {
  let keyException = "";

  it("takes an admin's exception into force at once: the finding leaves the default view and the open counts", async () => {
    const target = (await judged("ROTATION_DISABLED"))[2]!;
    const before = await fetchKeyCounts(db.prisma, null);
    const created = await createException(
      db.prisma,
      {
        kind: "accepted-risk",
        justification: "Legacy client cannot follow a rotated key until Q2",
        ownerEmail: "admin@example.com",
        expires: "2027-01-15",
        ticketUrl: "https://tickets.example.com/SEC-1",
        scope: {
          keyArns: [arnOf(target)],
          accounts: [],
          regions: [],
          tagKey: null,
          tagValues: [],
          aliasPrefix: null,
        },
      },
      admin,
      { now: new Date("2026-12-02T00:00:00Z") },
    );
    keyException = created.id;
    expect(created).toMatchObject({ inForce: true, keys: 1 });
    expect((await finding(target)).status).toBe("EXCEPTED");
    expect(await keyIds({})).not.toContain(target);
    expect(await keyIds({ statuses: ["excepted"] })).toEqual([target]);
    const after = await fetchKeyCounts(db.prisma, null);
    expect(after.excepted).toBe(before.excepted + 1);
    expect(after.totals.CRITICAL + after.totals.WARNING).toBe(
      before.totals.CRITICAL + before.totals.WARNING - 1,
    );
    const page = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, statuses: ["excepted"] }, null);
    expect(page.rows[0]!.exception).toMatchObject({
      id: created.id,
      kind: "accepted-risk",
      justification: "Legacy client cannot follow a rotated key until Q2",
      owner: "admin@example.com",
    });
    const audit = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "exception.create", target: created.id },
    });
    expect(audit.actorEmail).toBe("admin@example.com");
  });

  it("keeps an excepted finding excepted through the next scan", async () => {
    await scanAndWait(db.prisma, worker);
    expect(await db.prisma.kmsKey.count({ where: { exceptionId: keyException, status: "EXCEPTED" } })).toBe(
      1,
    );
  });

  it("makes an analyst's rule wait for an admin other than its author, and covers keys that appear later", async () => {
    const analyst = { actorEmail: "analyst@example.com", role: "ANALYST" as const, scope: null };
    const rule = {
      kind: "false-positive" as const,
      justification: "Keys of the region being decommissioned",
      ownerEmail: "analyst@example.com",
      expires: "2027-02-01",
      ticketUrl: "",
      scope: {
        keyArns: [],
        accounts: [account.id],
        regions: [LATER],
        tagKey: null,
        tagValues: [],
        aliasPrefix: null,
      },
    };
    const created = await createException(db.prisma, rule, analyst, {
      now: new Date("2026-12-02T00:00:00Z"),
    });
    expect(created.inForce).toBe(false);
    await expect(approveException(db.prisma, created.id, { ...analyst, role: "ANALYST" })).rejects.toThrow(
      ExceptionError,
    );
    await expect(approveException(db.prisma, created.id, { ...analyst, role: "ADMIN" })).rejects.toThrow(
      "an admin other than its author",
    );
    const approved = await approveException(db.prisma, created.id, {
      actorEmail: "second@example.com",
      role: "ADMIN",
      scope: null,
    });
    expect(approved.keys).toBe(0);
    // The region's keys appear after the rule: the scan that first sees them excepts the failing ones.
    await db.prisma.awsAccount.update({ where: { id: account.id }, data: { regions: [REGION, LATER] } });
    await scanAndWait(db.prisma, worker);
    const later = await db.prisma.kmsKey.findMany({
      where: { region: LATER, severity: { in: ["CRITICAL", "WARNING"] } },
      include: { events: true },
    });
    expect(later.length).toBeGreaterThan(0);
    for (const key of later) {
      expect(key).toMatchObject({ status: "EXCEPTED", exceptionId: created.id });
      expect(key.events.map((e) => [e.kind, e.exceptionId])).toEqual([["NEW", created.id]]);
    }
  });

  it("opens the findings again when an exception expires, marked with the expiry, even without a scan", async () => {
    const target = (await db.prisma.kmsKey.findFirstOrThrow({ where: { exceptionId: keyException } })).keyId;
    expect(await sweepExpiredExceptions(db.prisma, new Date("2027-01-14T23:59:59Z"))).toEqual([]);
    expect(await sweepExpiredExceptions(db.prisma, new Date("2027-01-15T00:00:00Z"))).toEqual([keyException]);
    const reopened = await finding(target);
    expect(reopened).toMatchObject({ status: "OPEN", exceptionId: null });
    expect(reopened.exceptionExpiredAt).toEqual(new Date("2027-01-15T00:00:00Z"));
    expect(reopened.events.at(-1)).toMatchObject({
      kind: "EXCEPTION_ENDED",
      reason: "EXPIRED",
      exceptionId: keyException,
    });
  });

  it("opens the findings again at once when an exception is revoked", async () => {
    const ruled = await db.prisma.kmsKey.findFirstOrThrow({ where: { status: "EXCEPTED" } });
    await revokeException(db.prisma, ruled.exceptionId!, { ...admin, actorEmail: "second@example.com" });
    const after = await finding(ruled.keyId);
    expect(after).toMatchObject({ status: "OPEN", exceptionExpiredAt: null });
    expect(after.events.at(-1)).toMatchObject({ kind: "EXCEPTION_ENDED", reason: "REVOKED" });
    expect(
      await db.prisma.auditLog.count({ where: { action: "exception.revoke", target: ruled.exceptionId! } }),
    ).toBe(1);
  });

  it("refuses a viewer, an expiry over a year away, a ticket link that is not http(s), and an owner who is no user", async () => {
    const base = {
      kind: "accepted-risk" as const,
      justification: "x",
      ownerEmail: "admin@example.com",
      expires: "2027-01-01",
      ticketUrl: "",
      scope: {
        keyArns: [],
        accounts: [account.id],
        regions: [],
        tagKey: null,
        tagValues: [],
        aliasPrefix: null,
      },
    };
    const now = { now: new Date("2026-12-02T00:00:00Z") };
    const attempts: [Parameters<typeof createException>[1], Parameters<typeof createException>[2], string][] =
      [
        [base, { ...admin, role: "VIEWER" }, "Only analysts and admins"],
        [{ ...base, expires: "2027-12-03" }, admin, "at most 365 days"],
        [{ ...base, expires: "2026-12-01" }, admin, "in the future"],
        [{ ...base, ticketUrl: "javascript:alert(1)" }, admin, "http:// or https://"],
        [{ ...base, ownerEmail: "nobody@example.com" }, admin, "enabled user"],
        [{ ...base, justification: "   " }, admin, "justification is required"],
        [{ ...base, scope: { ...base.scope, accounts: [] } }, admin, "Choose the keys, or a rule"],
        [base, { ...admin, role: "ANALYST", scope: ["999999999999"] }, "accounts you can see"],
      ];
    const count = await db.prisma.findingException.count();
    for (const [input, actor, message] of attempts)
      await expect(createException(db.prisma, input, actor, now)).rejects.toThrow(message);
    expect(await db.prisma.findingException.count()).toBe(count);
  });
});

describe("keys that go", () => {
  it("resolves a failing key's finding as deleted when a complete listing no longer has it, as an event of that scan", async () => {
    const key = await db.prisma.kmsKey.findFirstOrThrow({ where: { status: "OPEN", region: REGION } });
    const scan = await db.prisma.scan.create({ data: { trigger: "CLI", status: "RUNNING" } });
    // Every other key of the region was seen by this scan; this one was not.
    await db.prisma.kmsKey.updateMany({
      where: { region: REGION, id: { not: key.id } },
      data: { lastScanId: scan.id },
    });
    expect(await markGoneKeys(db.prisma, scan.id, account.id, REGION)).toBe(1);
    const gone = await finding(key.keyId);
    expect(gone).toMatchObject({ status: "RESOLVED", resolvedReason: "KEY_DELETED" });
    expect(gone.events.at(-1)).toMatchObject({ kind: "RESOLVED", reason: "KEY_DELETED", scanId: scan.id });
    // The change filter keeps deleted keys: they were resolved since the previous scan.
    expect(await keyIds({ changes: ["resolved"], since: "2000-01-01" })).toContain(key.keyId);
    expect(await keyIds({ statuses: ["resolved"] })).not.toContain(key.keyId);
  });
});

describe("a policy change", () => {
  it("excepts at once the findings it makes fail that a rule in force covers", async () => {
    const rule = await createException(
      db.prisma,
      {
        kind: "accepted-risk",
        justification: "Yearly rotation is our standard for this account",
        ownerEmail: "admin@example.com",
        expires: "2027-06-01",
        ticketUrl: "",
        scope: {
          keyArns: [],
          accounts: [account.id],
          regions: [REGION],
          tagKey: null,
          tagValues: [],
          aliasPrefix: null,
        },
      },
      admin,
      { now: new Date("2026-12-02T00:00:00Z") },
    );
    const yearly = await db.prisma.kmsKey.findMany({
      where: {
        region: REGION,
        reason: "ROTATION_ENABLED",
        rotationPeriodDays: 365,
        goneAt: null,
        keyState: "Enabled",
      },
    });
    expect(yearly.length).toBeGreaterThan(0);
    expect(yearly.every((k) => k.exceptionId === null)).toBe(true);
    await saveSettings(db.prisma, { "policy.maxRotationDays": 180 }, { actorEmail: "admin@example.com" });
    const byId = (id: string) => db.prisma.kmsKey.findUniqueOrThrow({ where: { id } });
    for (const key of yearly) {
      const after = await byId(key.id);
      expect(after).toMatchObject({
        reason: "ROTATION_PERIOD_EXCEEDS_POLICY",
        status: "EXCEPTED",
        exceptionId: rule.id,
      });
    }
    await saveSettings(db.prisma, { "policy.maxRotationDays": 365 }, { actorEmail: "admin@example.com" });
    for (const key of yearly)
      expect(await byId(key.id)).toMatchObject({ status: "RESOLVED", exceptionId: null });
  });
});
