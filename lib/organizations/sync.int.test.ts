import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAccount } from "@/lib/accounts/service";
import { schedulerTick, startWorker, type Worker } from "@/lib/collector/queue";
import { generateEstate, MEMBER_ROLE_EXTERNAL_ID, MEMBER_ROLE_NAME } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { useOrgSandbox } from "@/test/support/kms-sandbox";
import { scanAndWait } from "@/test/support/collector";
import { addOrganization, removeOrganization, updateOrganization } from "./service";
import { syncOrganization } from "./sync";

// An organization in the sandbox (the real SDK over HTTP for Organizations, the Account API, STS
// and KMS; real PostgreSQL and queue): its management account is the console's own identity, a
// member lacks the member role, one is suspended, one is closing, one leaves after the first sync,
// and eu-south-1 (opt-in) is enabled in some accounts only.

const estate = generateEstate({
  accounts: 12,
  regions: ["us-east-1", "eu-south-1"],
  keysPerRegion: 3,
  seed: "orgs-it",
  organization: { ous: 5, depth: 3 },
});
const org = estate.organization!;
const member = (pred: (a: (typeof estate.accounts)[number]) => boolean) => estate.accounts.find(pred)!;
const suspended = org.members.find((m) => m.status === "SUSPENDED")!;
const leaver = org.leaverId!;
const noRole = member((a) => !a.memberRole && a.id !== suspended.accountId && a.id !== leaver);
const ADMIN = { actorEmail: "admin@it.test" };
const INPUT = {
  name: "Acme",
  memberRoleName: MEMBER_ROLE_NAME,
  memberExternalId: MEMBER_ROLE_EXTERNAL_ID,
  regionAllow: ["us-east-1", "eu-south-1"],
};

const db = useFreshDatabase();
useOrgSandbox(estate);
let worker: Worker;
let orgId: string;

// Registered after the sandbox's hooks: the worker starts after it and stops before it.
beforeAll(async () => {
  worker = await startWorker(db.prisma, db.url, { schedule: false });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
});

const accountsOf = (organizationId: string) =>
  db.prisma.awsAccount.findMany({ where: { organizationId }, orderBy: { id: "asc" } });

describe("an organization against the sandbox", () => {
  it("added, then synced: its active accounts with their OU paths, the member role and the enabled regions", async () => {
    // The suspended member was added by hand earlier: the sync links it and marks it.
    await addAccount(db.prisma, { id: suspended.accountId, name: "by hand", regions: ["us-east-1"] });
    const added = await addOrganization(db.prisma, INPUT, ADMIN);
    orgId = added.id;
    const result = await syncOrganization(db.prisma, orgId, { actor: ADMIN });
    expect(result.error).toBeUndefined();
    const active = org.members.filter((m) => m.status === "ACTIVE");
    expect(result.summary).toMatchObject({
      listed: estate.accounts.length,
      added: active.length,
      left: 0,
      excluded: 0,
    });
    // Each OU described once, however many accounts sit in it.
    expect(result.summary!.ousDescribed).toBeLessThanOrEqual(org.units.length);

    const accounts = await accountsOf(orgId);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    // The leaver leaves right after the listing (the sandbox's timing): its ListParents finds no
    // such child, which the summary names; it is added without a path.
    expect(result.summary!.problems).toContain(
      `${leaver}: ListParents failed: ChildNotFoundException: We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.`,
    );
    for (const m of active.filter((x) => x.accountId !== leaver)) {
      const a = byId.get(m.accountId)!;
      expect(a.name).toBe(m.name);
      expect(a.email).toBe(m.email);
      expect(a.roleArn).toBe(`arn:aws:iam::${m.accountId}:role/${MEMBER_ROLE_NAME}`);
      expect(a.externalIdCipher).not.toContain(MEMBER_ROLE_EXTERNAL_ID);
      expect(a.orgStatus).toBe("ACTIVE");
      // The OU path as names from the root, and as ids, root first.
      const ids: string[] = [];
      for (let p = m.parentId; p !== org.rootId; p = org.units.find((u) => u.id === p)!.parentId)
        ids.unshift(p);
      ids.unshift(org.rootId);
      expect(a.ouIds).toEqual(ids);
      expect(a.ouPath).toBe(
        ["Root", ...ids.slice(1).map((id) => org.units.find((u) => u.id === id)!.name)].join(" / "),
      );
    }
    // Linked, marked and kept: the account added by hand keeps its name and access.
    const linked = byId.get(suspended.accountId)!;
    expect(linked).toMatchObject({ name: "by hand", orgStatus: "SUSPENDED", accessMethod: "DEFAULT_CHAIN" });
    // Regions: us-east-1 everywhere, eu-south-1 (opt-in) only where enabled.
    for (const a of estate.accounts.filter((x) => byId.get(x.id)?.orgStatus === "ACTIVE" && x.memberRole)) {
      const expected = a.enabledOptInRegions!.includes("eu-south-1")
        ? ["eu-south-1", "us-east-1"]
        : ["us-east-1"];
      expect(byId.get(a.id)!.regions, a.id).toEqual(expected);
    }
    const audit = await db.prisma.auditLog.findMany({ where: { target: orgId }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["organization.create", "organization.sync"]);
    // Each account the sync added or linked has its own entry, by whoever ran the sync.
    const perAccount = await db.prisma.auditLog.findMany({
      where: { action: { startsWith: "organization.account_" } },
      orderBy: { target: "asc" },
    });
    expect(perAccount.map((e) => [e.action, e.target, e.actorEmail])).toEqual(
      [
        ...active.map((m) => ["organization.account_add", m.accountId, ADMIN.actorEmail]),
        ["organization.account_update", suspended.accountId, ADMIN.actorEmail],
      ].sort((x, y) => x[1]!.localeCompare(y[1]!)),
    );
    expect(perAccount.find((e) => e.target === suspended.accountId)!.details).toMatchObject({
      organization: orgId,
      changed: { orgStatus: { from: null, to: "SUSPENDED" } },
    });
    expect(JSON.stringify([...audit, ...perAccount].map((e) => e.details))).not.toContain(
      MEMBER_ROLE_EXTERNAL_ID,
    );
  });

  it("scans its active accounts, not the suspended one; a missing member role fails with AssumeRole and the role", async () => {
    const scan = await scanAndWait(db.prisma, worker, { timeoutMs: 120_000 });
    const scanned = new Set(scan.targets.map((t) => t.accountId));
    expect(scanned.has(suspended.accountId)).toBe(false);
    expect(scanned.has(leaver)).toBe(true);
    const failed = scan.targets.filter((t) => t.accountId === noRole.id);
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.status).toBe("FAILED");
      expect(t.error).toContain("sts:AssumeRole");
      expect(t.error).toContain(`arn:aws:iam::${noRole.id}:role/${MEMBER_ROLE_NAME}`);
    }
    expect(await db.prisma.kmsKey.count({ where: { accountId: leaver } })).toBeGreaterThan(0);
  });

  it("a second sync marks the account that left, keeps its data, and no longer scans it", async () => {
    const keys = await db.prisma.kmsKey.count({ where: { accountId: leaver } });
    const result = await syncOrganization(db.prisma, orgId, { actor: ADMIN });
    expect(result.summary).toMatchObject({ listed: estate.accounts.length - 1, added: 0, left: 1 });
    const gone = await db.prisma.awsAccount.findUniqueOrThrow({ where: { id: leaver } });
    expect(gone.orgStatus).toBe("LEFT");
    expect(
      await db.prisma.auditLog.count({ where: { action: "organization.account_left", target: leaver } }),
    ).toBe(1);
    expect(gone.orgStatusChangedAt).not.toBeNull();
    expect(await db.prisma.kmsKey.count({ where: { accountId: leaver } })).toBe(keys);
    const scan = await scanAndWait(db.prisma, worker, { timeoutMs: 120_000 });
    expect(scan.targets.some((t) => t.accountId === leaver)).toBe(false);
  });

  it("exclude and include OUs: accounts outside the rules are marked and not scanned", async () => {
    const top = org.units.find(
      (u) => u.parentId === org.rootId && org.members.some((m) => m.parentId === u.id),
    )!;
    const under = (id: string): boolean => {
      const m = org.members.find((x) => x.accountId === id)!;
      for (let p = m.parentId; p !== org.rootId; p = org.units.find((u) => u.id === p)!.parentId)
        if (p === top.id) return true;
      return false;
    };
    await updateOrganization(db.prisma, orgId, { ...INPUT, excludeOus: [top.id] }, ADMIN);
    const excluded = await syncOrganization(db.prisma, orgId, { actor: ADMIN });
    const inTop = (await accountsOf(orgId)).filter((a) => a.orgStatus !== "LEFT" && under(a.id));
    expect(inTop.length).toBeGreaterThan(0);
    // Listed accounts under it, whether added or not (a closing account is listed, not added).
    const listedInTop = org.members.filter((m) => m.accountId !== leaver && under(m.accountId));
    expect(excluded.summary!.excluded).toBe(listedInTop.length);
    for (const a of inTop) expect(a.excludedReason).toBe(`In ${top.id}, excluded by organization "Acme".`);

    await updateOrganization(db.prisma, orgId, { ...INPUT, includeOus: [top.id] }, ADMIN);
    await syncOrganization(db.prisma, orgId, { actor: ADMIN });
    const all = (await accountsOf(orgId)).filter((a) => a.orgStatus !== "LEFT");
    for (const a of all)
      expect(a.excludedReason, a.id).toBe(
        under(a.id) ? null : 'Not in an OU included by organization "Acme".',
      );
    const scan = await scanAndWait(db.prisma, worker, { timeoutMs: 120_000 });
    for (const t of scan.targets) expect(under(t.accountId), t.accountId).toBe(true);
  });

  it("a deny-listed region is no longer scanned, marked with why, its data kept", async () => {
    const withOptIn = estate.accounts.find(
      (a) =>
        a.memberRole &&
        a.enabledOptInRegions?.includes("eu-south-1") &&
        a.id !== leaver &&
        a.id !== suspended.accountId,
    )!;
    await updateOrganization(
      db.prisma,
      orgId,
      { ...INPUT, regionDeny: ["eu-south-1"], regionAllow: [] },
      ADMIN,
    );
    await syncOrganization(db.prisma, orgId, { actor: ADMIN });
    const account = await db.prisma.awsAccount.findUniqueOrThrow({ where: { id: withOptIn.id } });
    expect(account.regions).not.toContain("eu-south-1");
    expect(account.regions).toContain("us-east-1");
    const state = await db.prisma.accountRegionState.findUniqueOrThrow({
      where: { accountId_region: { accountId: withOptIn.id, region: "eu-south-1" } },
    });
    expect(state).toMatchObject({
      optInStatus: "ENABLED",
      excludedReason: 'In the region deny-list of organization "Acme".',
    });
  });

  it("is synced by the scheduler just before a scheduled scan", async () => {
    await db.prisma.scan.deleteMany(); // a scheduled scan is due
    const before = await db.prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
    const scanId = await schedulerTick(db.prisma, worker.boss);
    expect(scanId).not.toBeNull();
    const after = await db.prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
    expect(after.lastSyncAt!.getTime()).toBeGreaterThan(before.lastSyncAt!.getTime());
    const [sync, scan] = await Promise.all(
      ["organization.sync", "scan.start"].map((action) =>
        db.prisma.auditLog.findFirstOrThrow({ where: { action, actorEmail: "scheduler" } }),
      ),
    );
    expect(sync!.id).toBeLessThan(scan!.id);
    await expect
      .poll(async () => (await db.prisma.scan.findUniqueOrThrow({ where: { id: scanId! } })).finishedAt, {
        timeout: 60_000,
      })
      .not.toBeNull();
  });

  it("removed keeping its accounts: they stay as accounts added by hand", async () => {
    const before = (await accountsOf(orgId)).length;
    const removed = await removeOrganization(db.prisma, orgId, { keepAccounts: true }, ADMIN);
    expect(removed.accounts).toBe(before);
    expect(await db.prisma.awsAccount.count({ where: { organizationId: null } })).toBe(before);
    const entry = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "organization.remove" } });
    // Those it did not let us scan (the suspended one, the one that left) are disabled, not
    // scanned again as accounts of no organization; the others are scanned as before.
    const notScanned = [suspended.accountId, leaver].sort();
    expect(entry.details).toMatchObject({ keepAccounts: true, accounts: before, disabled: notScanned });
    const kept = await db.prisma.awsAccount.findMany({ orderBy: { id: "asc" } });
    for (const a of kept) {
      expect(a.enabled, a.id).toBe(!notScanned.includes(a.id));
      expect([a.orgStatus, a.ouPath, a.ouIds], a.id).toEqual([null, null, []]);
    }
  });
});
