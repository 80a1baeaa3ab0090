import { describe, expect, it } from "vitest";
import { generateEstate, MEMBER_ROLE_EXTERNAL_ID, type Estate } from "./estate";

const now = new Date("2026-11-30T00:00:00Z");
const regions = ["us-east-1", "eu-west-1", "eu-south-1"];
const orgEstate = (seed: string | number, accounts = 40, organization = {}) =>
  generateEstate({ accounts, regions, keysPerRegion: 2, seed, now, organization });

function depthOf(estate: Estate, unitId: string): number {
  const org = estate.organization!;
  let depth = 0;
  for (let id = unitId; id !== org.rootId; id = org.units.find((u) => u.id === id)!.parentId) depth++;
  return depth;
}

describe("generateEstate with an organization", () => {
  it("is deterministic: the same seed gives the same organization, another seed another one", () => {
    expect(JSON.stringify(orgEstate(3))).toBe(JSON.stringify(orgEstate(3)));
    expect(orgEstate(4).organization!.id).not.toBe(orgEstate(3).organization!.id);
  });

  it("leaves an estate without the option as it was: no organization, no member role, all regions", () => {
    const plain = generateEstate({ accounts: 5, regions, keysPerRegion: 2, seed: 3, now });
    expect(plain.organization).toBeUndefined();
    expect(plain.accounts.every((a) => !a.memberRole && !a.enabledOptInRegions)).toBe(true);
    expect(plain.accounts.every((a) => Object.keys(a.regions).length === 3)).toBe(true);
  });

  it("makes the first account the management account and every account a member of a known parent", () => {
    const estate = orgEstate(5);
    const org = estate.organization!;
    expect(org.managementAccountId).toBe(estate.accounts[0]!.id);
    expect(org.members.map((m) => m.accountId)).toEqual(estate.accounts.map((a) => a.id));
    expect(org.members[0]!.parentId).toBe(org.rootId);
    const parents = new Set([org.rootId, ...org.units.map((u) => u.id)]);
    expect(org.members.every((m) => parents.has(m.parentId))).toBe(true);
    expect(org.units.every((u) => parents.has(u.parentId))).toBe(true);
    expect(org.id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(org.units.every((u) => /^ou-[0-9a-z]{4}-[a-z0-9]{8}$/.test(u.id))).toBe(true);
    expect(
      org.members.every((m) => m.arn === `${org.arn.replace(":organization/", ":account/")}/${m.accountId}`),
    ).toBe(true);
  });

  it("builds an OU tree exactly as deep as asked, with unique names among siblings", () => {
    const estate = orgEstate(6, 40, { ous: 15, depth: 4 });
    const org = estate.organization!;
    expect(org.units).toHaveLength(15);
    expect(Math.max(...org.units.map((u) => depthOf(estate, u.id)))).toBe(4);
    const keys = org.units.map((u) => `${u.parentId}/${u.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("has one suspended, one pending closure, one leaver and 5% without the member role, all distinct", () => {
    const estate = orgEstate(7, 100);
    const org = estate.organization!;
    const suspended = org.members.filter((m) => m.status === "SUSPENDED");
    const closing = org.members.filter((m) => m.status === "PENDING_CLOSURE");
    const withoutRole = estate.accounts.filter((a) => !a.memberRole);
    expect(suspended).toHaveLength(1);
    expect(closing).toHaveLength(1);
    expect(withoutRole).toHaveLength(5);
    const special = [
      suspended[0]!.accountId,
      closing[0]!.accountId,
      org.leaverId!,
      ...withoutRole.map((a) => a.id),
    ];
    expect(new Set(special).size).toBe(special.length);
    expect(special).not.toContain(org.managementAccountId);
    expect(special).not.toContain(org.delegatedAdministrators[0]);
    expect(estate.accounts.find((a) => a.memberRole)!.memberRole).toMatchObject({
      roleName: "KmsInsightsMember",
      externalId: MEMBER_ROLE_EXTERNAL_ID,
    });
  });

  it("gives keys only in the opt-in regions an account enabled, each enabled somewhere", () => {
    const estate = orgEstate(8);
    for (const account of estate.accounts) {
      const enabled = account.enabledOptInRegions!;
      expect(Object.keys(account.regions).sort()).toEqual(
        ["us-east-1", "eu-west-1", ...(enabled.includes("eu-south-1") ? ["eu-south-1"] : [])].sort(),
      );
    }
    for (const region of ["eu-south-1", "ap-east-1", "me-south-1"])
      expect(estate.accounts.some((a) => a.enabledOptInRegions!.includes(region))).toBe(true);
    expect(estate.accounts.some((a) => !a.enabledOptInRegions!.includes("eu-south-1"))).toBe(true);
  });

  it("generates 1,000 accounts in 50 OUs quickly", () => {
    const started = performance.now();
    const estate = generateEstate({
      accounts: 1000,
      regions: ["us-east-1", "eu-west-1"],
      keysPerRegion: 2,
      seed: "bench",
      organization: { ous: 50, depth: 5 },
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(estate.organization!.members).toHaveLength(1000);
    expect(estate.organization!.units).toHaveLength(50);
  });

  it("follows its options: no leaver, no delegated administrator, another ExternalId, steady accounts", () => {
    const estate = orgEstate(9, 12, {
      leaver: false,
      delegatedAdministrator: false,
      memberRoleExternalId: "my-org-id",
      withoutMemberRole: 0,
      steadyAccounts: 6,
    });
    const org = estate.organization!;
    expect(org.leaverId).toBeUndefined();
    expect(org.delegatedAdministrators).toEqual([]);
    expect(estate.accounts.every((a) => a.memberRole?.externalId === "my-org-id")).toBe(true);
    expect(org.members.slice(0, 6).every((m) => m.status === "ACTIVE")).toBe(true);
  });

  it("rejects bad options with a RangeError", () => {
    expect(() => orgEstate(1, 5, { ous: -1 })).toThrow(/ous/);
    expect(() => orgEstate(1, 5, { depth: 6 })).toThrow(/depth/);
    expect(() => orgEstate(1, 5, { optInRegions: ["us-east-1"] })).toThrow(/opt-in/);
    expect(() => orgEstate(1, 5, { memberRoleExternalId: "x" })).toThrow(/ExternalId/);
    expect(() => orgEstate(1, 5, { withoutMemberRole: 6 })).toThrow(/withoutMemberRole/);
  });
});
