import { describe, expect, it } from "vitest";
import { SCANNED_ACCOUNTS } from "@/lib/collector/scan";
import { generateEstate, MEMBER_ROLE_EXTERNAL_ID, MEMBER_ROLE_NAME } from "@/lib/kms-sandbox";
import { useFreshDatabase } from "@/test/db";
import { useOrgSandbox } from "@/test/support/kms-sandbox";
import { refreshAccountRegions } from "./regions";
import { addOrganization } from "./service";
import { syncOrganization } from "./sync";

// A sync when AWS or the stored state is not as expected: an OU path that cannot be read while OU
// rules apply, an account that moved between two organizations of the console, a ListRegions
// that fails after a region was deny-listed, and a stored secret that no longer decrypts.

const estate = generateEstate({
  accounts: 6,
  regions: ["us-east-1"],
  keysPerRegion: 1,
  seed: "orgs-edges",
  organization: { ous: 3, depth: 2, leaver: false },
});
const org = estate.organization!;
const active = org.members.filter((m) => m.status === "ACTIVE").map((m) => m.accountId);
const withRole = estate.accounts.find((a) => a.memberRole && active.includes(a.id))!;
const ADMIN = { actorEmail: "admin@it.test" };
const INPUT = { name: "Acme", memberRoleName: MEMBER_ROLE_NAME, memberExternalId: MEMBER_ROLE_EXTERNAL_ID };

const db = useFreshDatabase();
const running = useOrgSandbox(estate);
let acme: string;

describe("a sync at the edges", () => {
  it("adds an account whose OU cannot be read as waiting while OU rules apply, and places it once it can", async () => {
    const excludedOu = org.units.find((u) => u.parentId === org.rootId)!.id;
    acme = (await addOrganization(db.prisma, { ...INPUT, excludeOus: [excludedOu] }, ADMIN)).id;
    running.sandbox.setFaults({ accessDenied: { operations: ["ListParents"] } });
    const first = await syncOrganization(db.prisma, acme, { actor: ADMIN });
    expect(first.summary).toMatchObject({ added: active.length });
    const added = await db.prisma.awsAccount.findMany({ where: { organizationId: acme } });
    for (const a of added) {
      expect(a.ouIds, a.id).toEqual([]);
      expect(a.excludedReason, a.id).toMatch(/Its OU could not be read \(ListParents failed\)/);
    }
    // None is scanned: an include or exclude rule cannot be judged without the OU.
    expect(await db.prisma.awsAccount.count({ where: { organizationId: acme, ...SCANNED_ACCOUNTS } })).toBe(
      0,
    );

    running.sandbox.setFaults({});
    await syncOrganization(db.prisma, acme, { actor: ADMIN });
    for (const a of await db.prisma.awsAccount.findMany({ where: { organizationId: acme } }))
      expect(a.excludedReason, a.id).toBe(
        a.ouIds.includes(excludedOu) ? `In ${excludedOu}, excluded by organization "Acme".` : null,
      );
  });

  it("moves an account that left another organization of the console: this one's member role, audited", async () => {
    await db.prisma.awsAccount.update({ where: { id: withRole.id }, data: { orgStatus: "LEFT" } });
    const beta = (
      await addOrganization(db.prisma, { ...INPUT, name: "Beta", memberRoleName: "BetaReadOnly" }, ADMIN)
    ).id;
    const result = await syncOrganization(db.prisma, beta, { actor: ADMIN });
    expect(result.ok).toBe(true);
    expect(await db.prisma.awsAccount.findUniqueOrThrow({ where: { id: withRole.id } })).toMatchObject({
      organizationId: beta,
      orgStatus: "ACTIVE",
      roleArn: `arn:aws:iam::${withRole.id}:role/BetaReadOnly`,
    });
    const entry = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "organization.account_move", target: withRole.id },
    });
    expect(entry).toMatchObject({
      actorEmail: ADMIN.actorEmail,
      details: { organization: beta, from: acme },
    });
    // The accounts Acme still lists stay Acme's.
    const others = active.filter((id) => id !== withRole.id);
    expect(await db.prisma.awsAccount.count({ where: { id: { in: others }, organizationId: acme } })).toBe(
      others.length,
    );
    expect(result.summary!.problems).toContain(
      `${others[0]}: already listed by another organization; left as it is.`,
    );
  });

  it("a failing ListRegions still applies a deny-list to the regions the account has", async () => {
    await db.prisma.awsAccount.update({
      where: { id: withRole.id },
      data: { regions: ["us-east-1", "eu-west-1"] },
    });
    running.sandbox.setFaults({ accessDenied: { operations: ["ListRegions"] } });
    try {
      const refreshed = await refreshAccountRegions(db.prisma, withRole.id, {
        allow: [],
        deny: ["us-east-1"],
        owner: 'organization "Beta"',
      });
      expect(refreshed.error).toMatch(/^ListRegions failed: AccessDenied/);
      expect(refreshed.regions).toEqual(["eu-west-1"]);
    } finally {
      running.sandbox.setFaults({});
    }
    expect((await db.prisma.awsAccount.findUniqueOrThrow({ where: { id: withRole.id } })).regions).toEqual([
      "eu-west-1",
    ]);
    expect(
      await db.prisma.accountRegionState.findUniqueOrThrow({
        where: { accountId_region: { accountId: withRole.id, region: "us-east-1" } },
      }),
    ).toMatchObject({ excludedReason: 'In the region deny-list of organization "Beta".' });
  });

  it("records a member external id that no longer decrypts as the sync's error, audited", async () => {
    await db.prisma.organization.update({
      where: { id: acme },
      data: { memberExternalIdCipher: "v1:not-a-cipher" },
    });
    const result = await syncOrganization(db.prisma, acme, { actor: ADMIN });
    expect(result.ok).toBe(false);
    expect(result.error).toBeTruthy();
    const stored = await db.prisma.organization.findUniqueOrThrow({ where: { id: acme } });
    expect(stored.lastSyncError).toBe(result.error);
    const entry = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: "organization.sync", target: acme },
      orderBy: { id: "desc" },
    });
    expect(entry.details).toMatchObject({ error: result.error });
  });
});
