import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEncrypter, recordContext } from "@/lib/secrets";
import { useFreshDatabase } from "@/test/db";
import { addOrganization, OrganizationError, updateOrganization } from "./service";

// Editing an organization (the console's edit form and `orgs update` call this): what changes,
// what is kept, what is refused, and the audit entry that commits with it.

const db = useFreshDatabase();
const savedEnv = { ...process.env };
const ADMIN = { actorEmail: "admin@it.test" };
const INPUT = {
  name: "Acme",
  accessMethod: "ROLE" as const,
  roleArn: "arn:aws:iam::111111111111:role/OrgRead",
  externalId: "mgmt-secret-1",
  memberRoleName: "KmsInsightsReadOnly",
  memberExternalId: "member-secret-1",
  excludeOus: ["ou-ab12-sandbox01"],
};
let orgId: string;

const decrypt = async (cipher: string | null, table: string, id: string, field: string) =>
  cipher ? (await getEncrypter()).decrypt(cipher, recordContext(table, id, field)) : null;

beforeAll(async () => {
  process.env.INSIGHTS_ENCRYPTION_KEY = Buffer.alloc(32, 3).toString("base64");
  orgId = (await addOrganization(db.prisma, INPUT, ADMIN)).id;
  await addOrganization(db.prisma, { ...INPUT, name: "Other" }, ADMIN);
  // Two member accounts the organization manages (its member role), one added by hand and linked.
  const encrypter = await getEncrypter();
  for (const id of ["222222222222", "333333333333"])
    await db.prisma.awsAccount.create({
      data: {
        id,
        name: `member ${id}`,
        regions: [],
        regionMode: "ALL_ENABLED",
        organizationId: orgId,
        orgStatus: "ACTIVE",
        accessMethod: "ROLE",
        roleArn: `arn:aws:iam::${id}:role/KmsInsightsReadOnly`,
        externalIdCipher: await encrypter.encrypt(
          "member-secret-1",
          recordContext("aws_accounts", id, "external_id"),
        ),
      },
    });
  await db.prisma.awsAccount.create({
    data: {
      id: "444444444444",
      name: "by hand",
      regions: ["us-east-1"],
      organizationId: orgId,
      orgStatus: "ACTIVE",
      accessMethod: "ROLE",
      roleArn: "arn:aws:iam::444444444444:role/OwnRole",
    },
  });
});

afterAll(() => {
  process.env = savedEnv;
});

const auditOf = () =>
  db.prisma.auditLog.findMany({ where: { action: "organization.update" }, orderBy: { id: "asc" } });

describe("updateOrganization", () => {
  it("changes the fields given; external ids left blank are kept; one audit entry without secrets", async () => {
    const org = await updateOrganization(
      db.prisma,
      orgId,
      { ...INPUT, externalId: undefined, memberExternalId: undefined, name: "Acme Corp", excludeOus: [] },
      ADMIN,
    );
    expect(org).toMatchObject({ name: "Acme Corp", excludeOus: [], roleArn: INPUT.roleArn });
    expect(await decrypt(org.externalIdCipher, "organizations", orgId, "external_id")).toBe("mgmt-secret-1");
    expect(await decrypt(org.memberExternalIdCipher, "organizations", orgId, "member_external_id")).toBe(
      "member-secret-1",
    );
    const entries = await auditOf();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorEmail: "admin@it.test", target: orgId });
    expect(entries[0]!.details).toMatchObject({
      name: "Acme Corp",
      externalId: "set",
      memberExternalId: "set",
    });
    expect(JSON.stringify(entries[0]!.details)).not.toMatch(/secret/);
  });

  it("a new member role name and external id reach the accounts it manages, not one added by hand", async () => {
    await updateOrganization(
      db.prisma,
      orgId,
      { ...INPUT, name: "Acme Corp", memberRoleName: "audit/KmsRead", memberExternalId: "member-secret-2" },
      ADMIN,
    );
    for (const id of ["222222222222", "333333333333"]) {
      const a = await db.prisma.awsAccount.findUniqueOrThrow({ where: { id } });
      expect(a.roleArn).toBe(`arn:aws:iam::${id}:role/audit/KmsRead`);
      expect(await decrypt(a.externalIdCipher, "aws_accounts", id, "external_id")).toBe("member-secret-2");
    }
    const byHand = await db.prisma.awsAccount.findUniqueOrThrow({ where: { id: "444444444444" } });
    expect(byHand.roleArn).toBe("arn:aws:iam::444444444444:role/OwnRole");
    expect((await auditOf()).at(-1)!.details).toMatchObject({ memberAccountsUpdated: 2 });
  });

  it("another access method drops the role and its external id; the clear boxes remove stored ids", async () => {
    const org = await updateOrganization(
      db.prisma,
      orgId,
      {
        ...INPUT,
        name: "Acme Corp",
        memberRoleName: "audit/KmsRead",
        accessMethod: "PROFILE",
        profile: "org-admin",
        roleArn: undefined,
        externalId: undefined,
        memberExternalId: undefined,
        clearMemberExternalId: true,
      },
      ADMIN,
    );
    expect(org).toMatchObject({ accessMethod: "PROFILE", profile: "org-admin", roleArn: null });
    expect(org.externalIdCipher).toBeNull();
    expect(org.memberExternalIdCipher).toBeNull();
    const member = await db.prisma.awsAccount.findUniqueOrThrow({ where: { id: "222222222222" } });
    expect(member.externalIdCipher).toBeNull();
  });

  it("refuses bad input and a name already used, by field; nothing changes and nothing is audited", async () => {
    const before = await db.prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
    const audited = (await auditOf()).length;
    const bad = await updateOrganization(
      db.prisma,
      orgId,
      { ...INPUT, name: "", memberRoleName: "has spaces", regionDeny: ["mars-1"] },
      ADMIN,
    ).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OrganizationError);
    expect(Object.keys((bad as OrganizationError).fieldErrors).sort()).toEqual([
      "memberRoleName",
      "name",
      "regionDeny",
    ]);
    const taken = await updateOrganization(db.prisma, orgId, { ...INPUT, name: "Other" }, ADMIN).catch(
      (e: unknown) => e,
    );
    expect((taken as OrganizationError).fieldErrors).toEqual({ name: ["This name is already used."] });
    await expect(updateOrganization(db.prisma, "nope", INPUT, ADMIN)).rejects.toThrow(
      "Organization nope is not configured.",
    );
    expect(await db.prisma.organization.findUniqueOrThrow({ where: { id: orgId } })).toEqual(before);
    expect(await auditOf()).toHaveLength(audited);
  });

  it("refuses to change the demo organization", async () => {
    const demo = await db.prisma.organization.create({
      data: { name: "Demo", memberRoleName: "KmsInsightsReadOnly", isDemo: true },
    });
    await expect(updateOrganization(db.prisma, demo.id, { ...INPUT, name: "Demo 2" }, ADMIN)).rejects.toThrow(
      "The demo organization cannot be changed.",
    );
  });
});
