import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { orgsCommand } from "@/lib/cli/orgs";
import { generateEstate, MEMBER_ROLE_EXTERNAL_ID, MEMBER_ROLE_NAME } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { useOrgSandbox } from "@/test/support/kms-sandbox";
import { addOrganization, removeOrganization, updateOrganization } from "./service";
import { syncOrganization } from "./sync";
import { changeDuringSyncMessage, isOrgSyncRunning, orgSyncLockKey, syncRunningMessage } from "./sync-lock";

// Two syncs of one organization at once (a queued job and `orgs sync`, two clicks): the real
// sandbox's Organizations endpoint over HTTP, real PostgreSQL. One runs; the other changes and
// records nothing and says a sync is already running.

const estate = generateEstate({
  accounts: 10,
  regions: ["us-east-1"],
  keysPerRegion: 1,
  seed: "orgs-lock",
  organization: { ous: 3, depth: 2, leaver: false },
});
const ADMIN = { actorEmail: "admin@it.test" };
const db = useFreshDatabase();
const running = useOrgSandbox(estate);
let orgId: string;
const INPUT = {
  name: "Acme",
  memberRoleName: MEMBER_ROLE_NAME,
  memberExternalId: MEMBER_ROLE_EXTERNAL_ID,
  regionAllow: ["us-east-1"],
};

beforeAll(async () => {
  const org = await addOrganization(db.prisma, INPUT, ADMIN);
  orgId = org.id;
});

const snapshot = async () =>
  (await db.prisma.awsAccount.findMany({ orderBy: { id: "asc" } })).map((a) => ({
    id: a.id,
    name: a.name,
    orgStatus: a.orgStatus,
    ouPath: a.ouPath,
    excludedReason: a.excludedReason,
    regions: a.regions,
  }));

/** Holds the organization's sync lock as another process's running sync would, until `release`. */
async function holdSyncLock() {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${orgSyncLockKey(orgId)}::bigint)`;
      locked();
      await held;
    },
    { timeout: 60_000 },
  );
  await isLocked;
  return async () => {
    release();
    await holder;
  };
}

const cliIO = (err: string[]) => ({
  out: () => {},
  err: (l: string) => err.push(l),
  stdin: new PassThrough(),
  stdout: new PassThrough(),
});

describe("two syncs of one organization at once", () => {
  it("one runs; the other is refused at once, changes nothing and records nothing", async () => {
    // A realistic latency: the first sync is still listing when the second one starts.
    running.sandbox.setFaults({ latencyMs: 20 });
    const [a, b] = await Promise.all([
      syncOrganization(db.prisma, orgId, { actor: ADMIN }),
      syncOrganization(db.prisma, orgId, { actor: { actorEmail: "cli" } }),
    ]).finally(() => running.sandbox.setFaults({}));
    const ran = [a, b].filter((r) => !r.busy);
    const refused = [a, b].filter((r) => r.busy);
    expect(ran).toHaveLength(1);
    expect(refused).toEqual([
      {
        organizationId: orgId,
        name: "Acme",
        ok: false,
        busy: true,
        error: "A sync of Acme is already running; nothing was changed. Its result shows when it ends.",
      },
    ]);
    const active = estate.organization!.members.filter((m) => m.status === "ACTIVE");
    expect(ran[0]!.summary).toMatchObject({ listed: estate.accounts.length, added: active.length });
    // One sync's worth of accounts: each active member once, none flipped.
    const after = await snapshot();
    expect(after.map((x) => x.id)).toEqual(active.map((m) => m.accountId).sort());
    expect(after.every((x) => x.orgStatus === "ACTIVE")).toBe(true);
    // Only the sync that ran is in the audit log and on the organization.
    const entries = await db.prisma.auditLog.findMany({ where: { action: "organization.sync" } });
    expect(entries).toHaveLength(1);
    const org = await db.prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
    expect(org.lastSyncError).toBeNull();

    // A sync after them finds nothing to add or change: the same accounts as one sync.
    const again = await syncOrganization(db.prisma, orgId, { actor: ADMIN });
    expect(again.summary).toMatchObject({ added: 0, updated: 0, left: 0 });
    expect(await snapshot()).toEqual(after);
  });

  it("while a sync holds the lock: `orgs sync` says so and exits 1; the lock shows as running", async () => {
    expect(await isOrgSyncRunning(db.prisma, orgId)).toBe(false);
    const err: string[] = [];
    const before = await snapshot();
    const syncsBefore = await db.prisma.auditLog.count({ where: { action: "organization.sync" } });
    const release = await holdSyncLock();
    try {
      expect(await isOrgSyncRunning(db.prisma, orgId)).toBe(true);
      const code = await orgsCommand(["sync", "--id", orgId], db.prisma, cliIO(err));
      expect(code).toBe(1);
      expect(err).toEqual([syncRunningMessage("Acme")]);
    } finally {
      await release();
    }
    expect(await isOrgSyncRunning(db.prisma, orgId)).toBe(false);
    expect(await snapshot()).toEqual(before);
    expect(await db.prisma.auditLog.count({ where: { action: "organization.sync" } })).toBe(syncsBefore);
  });

  it("while a sync runs, the organization cannot be changed or removed; once it ends, it can", async () => {
    const before = await snapshot();
    const org = await db.prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
    const audits = await db.prisma.auditLog.count();
    const release = await holdSyncLock();
    try {
      await expect(
        updateOrganization(db.prisma, orgId, { ...INPUT, memberRoleName: "OtherRole" }, ADMIN),
      ).rejects.toThrow(changeDuringSyncMessage("Acme", "changed"));
      await expect(removeOrganization(db.prisma, orgId, { keepAccounts: false }, ADMIN)).rejects.toThrow(
        changeDuringSyncMessage("Acme", "removed"),
      );
      const err: string[] = [];
      await expect(
        orgsCommand(["remove", orgId, "--remove-accounts"], db.prisma, cliIO(err)),
      ).rejects.toThrow("A sync of Acme is running; nothing was removed. Try again when it ends.");
    } finally {
      await release();
    }
    // Nothing changed and nothing was audited while the sync ran.
    expect(await db.prisma.organization.findUniqueOrThrow({ where: { id: orgId } })).toEqual(org);
    expect(await snapshot()).toEqual(before);
    expect(await db.prisma.auditLog.count()).toBe(audits);

    // The removal holds the lock while it commits, and goes through once no sync runs.
    const removed = await removeOrganization(db.prisma, orgId, { keepAccounts: false }, ADMIN);
    expect(removed).toEqual({ name: "Acme", accounts: before.length });
    expect(await db.prisma.organization.findUnique({ where: { id: orgId } })).toBeNull();
    expect(await snapshot()).toEqual([]);
  });
});
