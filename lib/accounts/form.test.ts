import { describe, expect, it } from "vitest";
import { checkAccountForm, readAccountForm } from "./form";
import { accountInputSchema } from "./schema";

const VALID: [string, string][] = [
  ["id", "123456789012"],
  ["name", "Production"],
  ["regions", "us-east-1"],
  ["regions", "eu-west-1"],
  ["accessMethod", "ROLE"],
  ["roleArn", "arn:aws:iam::123456789012:role/KmsInsightsReadOnly"],
];

function post(fields: [string, string][], change: Record<string, string | null> = {}) {
  const data = new FormData();
  for (const [k, v] of fields) if (!(k in change)) data.append(k, v);
  for (const [k, v] of Object.entries(change)) if (v !== null) data.append(k, v);
  return data;
}

describe("the account form's check before sending", () => {
  it("all enabled regions needs no region chosen; the listed regions need one", () => {
    expect(checkAccountForm(post(VALID, { regions: null, regionMode: "ALL_ENABLED" }))).toEqual({});
    expect(readAccountForm(post(VALID, { regionMode: "ALL_ENABLED" }))).toMatchObject({
      regionMode: "ALL_ENABLED",
    });
    expect(readAccountForm(post(VALID, { regionMode: "anything else" }))).toMatchObject({
      regionMode: "LISTED",
    });
    expect(checkAccountForm(post(VALID, { regions: null, regionMode: "LISTED" }))).toEqual({
      regions: ["Choose at least one region."],
    });
  });

  it("passes a valid account, read as the server reads it", () => {
    expect(checkAccountForm(post(VALID))).toEqual({});
    expect(readAccountForm(post(VALID))).toMatchObject({
      id: "123456789012",
      regions: ["us-east-1", "eu-west-1"],
      profile: undefined,
      externalId: undefined,
    });
  });

  it.each([
    [{ id: "12345678901" }, { id: ["An AWS account id is exactly 12 digits."] }],
    [{ name: " " }, { name: ["Give the account a name."] }],
    [{ regions: null }, { regions: ["Choose at least one region."] }],
    [{ regions: "mars-north-1" }, { regions: ['Not an AWS region: "mars-north-1".'] }],
    [
      { roleArn: "arn:aws:iam::12345:role/x" },
      { roleArn: ["A role ARN looks like arn:aws:iam::123456789012:role/KmsInsightsReadOnly."] },
    ],
    [{ roleArn: null }, { roleArn: ["Give the role ARN to assume."] }],
    [
      { externalId: "x" },
      { externalId: ["An external id is 2 to 1224 characters of letters, digits and _+=,.@:/-"] },
    ],
    [{ endpointUrl: "ftp://kms.example" }, { endpointUrl: ["The endpoint must be an http(s) URL."] }],
    [{ accessMethod: "PROFILE", roleArn: null }, { profile: ["Name the profile to use."] }],
  ])("refuses %j beside the field, with the server's message", (change, errors) => {
    const data = post(VALID, change);
    expect(checkAccountForm(data)).toEqual(errors);
    // The same schema the server parses with: it refuses the same input.
    expect(accountInputSchema.safeParse(readAccountForm(data)).success).toBe(false);
  });

  it("accepts a GovCloud or China role ARN", () => {
    for (const arn of ["arn:aws-us-gov:iam::123456789012:role/r", "arn:aws-cn:iam::123456789012:role/a/b"])
      expect(checkAccountForm(post(VALID, { roleArn: arn }))).toEqual({});
  });
});

describe("the remediation access on the account form", () => {
  it("is none by default, and a role, profile or the default chain when chosen", () => {
    expect(accountInputSchema.parse(readAccountForm(post(VALID))).remediationMethod).toBe("NONE");
    const role = post(VALID, {
      remediationMethod: "ROLE",
      remediationRoleArn: "arn:aws:iam::123456789012:role/KmsInsightsRemediation",
      remediationExternalId: "fix-secret-1",
    });
    expect(checkAccountForm(role)).toEqual({});
    expect(readAccountForm(role)).toMatchObject({
      remediationMethod: "ROLE",
      remediationRoleArn: "arn:aws:iam::123456789012:role/KmsInsightsRemediation",
      remediationExternalId: "fix-secret-1",
    });
    expect(checkAccountForm(post(VALID, { remediationMethod: "DEFAULT_CHAIN" }))).toEqual({});
    expect(
      checkAccountForm(post(VALID, { remediationMethod: "PROFILE", remediationProfile: "fixer" })),
    ).toEqual({});
  });

  it.each([
    [{ remediationMethod: "ROLE" }, { remediationRoleArn: ["Give the remediation role ARN to assume."] }],
    [
      { remediationMethod: "ROLE", remediationRoleArn: "arn:aws:iam::1:role/x" },
      { remediationRoleArn: ["A role ARN looks like arn:aws:iam::123456789012:role/KmsInsightsReadOnly."] },
    ],
    [
      {
        remediationMethod: "ROLE",
        remediationRoleArn: "arn:aws:iam::123456789012:role/r",
        remediationExternalId: "x",
      },
      { remediationExternalId: ["An external id is 2 to 1224 characters of letters, digits and _+=,.@:/-"] },
    ],
    [
      { remediationExternalId: "fix-secret-1" },
      { remediationExternalId: ["An external id goes with a remediation role ARN."] },
    ],
    [{ remediationMethod: "PROFILE" }, { remediationProfile: ["Name the profile to use for fixes."] }],
    [
      { remediationMethod: "PROFILE", remediationProfile: "bad name" },
      { remediationProfile: ["A profile name is 1 to 128 letters, digits or _.@+-"] },
    ],
  ])("refuses %j beside the field", (change, errors) => {
    expect(checkAccountForm(post(VALID, change))).toEqual(errors);
  });

  it("refuses a remediation method it does not know (SANDBOX is the demo's only)", () => {
    for (const m of ["SANDBOX", "WRITE"])
      expect(checkAccountForm(post(VALID, { remediationMethod: m }))).toHaveProperty("remediationMethod");
  });
});
