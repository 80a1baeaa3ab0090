import { describe, expect, it } from "vitest";
import { checkOrganizationForm, readOrganizationForm } from "./form";
import { applyRegionLists } from "./regions";
import { describeSyncSummary, readSyncSummary } from "./summary";
import { exclusionOf } from "./sync";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

const VALID = {
  name: "Acme",
  accessMethod: "ROLE",
  roleArn: "arn:aws:iam::111111111111:role/OrgReader",
  memberRoleName: "KmsInsightsReadOnly",
};

describe("the organization form", () => {
  it("accepts a valid organization and reads its lists comma- or space-separated", () => {
    const f = form({ ...VALID, includeOus: "ou-ab12-12345678, r-ab12", regionDeny: "eu-west-1 us-east-1" });
    expect(checkOrganizationForm(f)).toEqual({});
    expect(readOrganizationForm(f)).toMatchObject({
      includeOus: ["ou-ab12-12345678", "r-ab12"],
      regionDeny: ["eu-west-1", "us-east-1"],
    });
  });

  it("names each bad field with a sentence", () => {
    const errors = checkOrganizationForm(
      form({
        name: "",
        accessMethod: "ROLE",
        roleArn: "arn:aws:iam::1:role/x",
        memberRoleName: "has space",
        includeOus: "ou-1",
        regionAllow: "mars-1",
      }),
    );
    expect(errors.name).toEqual(["Give the organization a name."]);
    expect(errors.roleArn?.[0]).toMatch(/A role ARN looks like/);
    expect(errors.memberRoleName?.[0]).toMatch(/A role name is/);
    expect(errors.includeOus?.[0]).toBe('Not an OU or root id (ou-abcd-12345678, r-abcd): "ou-1".');
    expect(errors.regionAllow?.[0]).toBe('Not an AWS region: "mars-1".');
  });

  it("refuses an OU both included and excluded, and a region both allowed and denied", () => {
    const errors = checkOrganizationForm(
      form({
        ...VALID,
        includeOus: "ou-ab12-12345678",
        excludeOus: "ou-ab12-12345678",
        regionAllow: "us-east-1",
        regionDeny: "us-east-1",
      }),
    );
    expect(errors.excludeOus?.[0]).toMatch(/both included and excluded: ou-ab12-12345678/);
    expect(errors.regionDeny?.[0]).toMatch(/both allowed and denied: us-east-1/);
  });

  it("asks for the role ARN or profile of the chosen access, and an external id only with a role", () => {
    expect(checkOrganizationForm(form({ ...VALID, roleArn: "" })).roleArn).toEqual([
      "Give the role ARN to assume.",
    ]);
    expect(checkOrganizationForm(form({ ...VALID, accessMethod: "PROFILE" })).profile).toEqual([
      "Name the profile to use.",
    ]);
    expect(
      checkOrganizationForm(form({ ...VALID, accessMethod: "DEFAULT_CHAIN", roleArn: "", externalId: "abc" }))
        .externalId,
    ).toEqual(["An external id goes with a role ARN."]);
  });
});

describe("OU rules", () => {
  const org = { name: "Acme", includeOus: ["ou-ab12-prod0001"], excludeOus: ["ou-ab12-sandbox1"] };
  it("scans an account under an included OU, at any depth", () => {
    expect(exclusionOf(org, ["r-ab12", "ou-ab12-prod0001", "ou-ab12-payments"])).toBeNull();
  });
  it("excludes an account outside every included OU", () => {
    expect(exclusionOf(org, ["r-ab12", "ou-ab12-dev00001"])).toBe(
      'Not in an OU included by organization "Acme".',
    );
  });
  it("an exclude wins over an include", () => {
    expect(exclusionOf(org, ["r-ab12", "ou-ab12-prod0001", "ou-ab12-sandbox1"])).toBe(
      'In ou-ab12-sandbox1, excluded by organization "Acme".',
    );
  });
  it("with no include list, every account not excluded is scanned", () => {
    expect(exclusionOf({ ...org, includeOus: [] }, ["r-ab12"])).toBeNull();
  });
});

describe("region lists", () => {
  it("scans the enabled regions less the deny-list, or only the allow-list's, saying why for the others", () => {
    const lists = { allow: [], deny: ["ap-east-1"], owner: 'organization "Acme"' };
    const denied = applyRegionLists(["us-east-1", "ap-east-1", "eu-west-1"], lists);
    expect(denied.scan).toEqual(["eu-west-1", "us-east-1"]);
    expect(denied.excluded.get("ap-east-1")).toBe('In the region deny-list of organization "Acme".');
    const allowed = applyRegionLists(["us-east-1", "eu-west-1"], { ...lists, allow: ["eu-west-1"] });
    expect(allowed.scan).toEqual(["eu-west-1"]);
    expect(allowed.excluded.get("us-east-1")).toBe('Not in the region allow-list of organization "Acme".');
  });
});

describe("the sync summary", () => {
  it("reads as a sentence, and a stored value of another shape as none", () => {
    const summary = readSyncSummary({
      listed: 1000,
      added: 3,
      updated: 2,
      suspended: 1,
      left: 1,
      excluded: 40,
    });
    expect(describeSyncSummary(summary!)).toBe(
      "1,000 accounts listed: 3 added, 2 updated, 1 suspended or closed, 1 left the organization, 40 excluded by an OU rule.",
    );
    expect(readSyncSummary({ listed: "many" })).toBeNull();
    expect(readSyncSummary(null)).toBeNull();
  });
});
