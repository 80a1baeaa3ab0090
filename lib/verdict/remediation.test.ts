import { describe, expect, it } from "vitest";
import { awsConsoleKeyUrl, remediationFor, shellArg } from "./remediation";
import { REASON_CODES, type ReasonCode } from "./types";

const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const key = (reason: ReasonCode, more: { maxRotationDays?: number } = {}) => ({
  reason,
  keyId: KEY_ID,
  region: "eu-west-1",
  maxRotationDays: 365,
  ...more,
});

const PASSING: ReasonCode[] = [
  "PENDING_DELETION",
  "KEY_NOT_USABLE",
  "AWS_MANAGED",
  "UNSUPPORTED_KEY_SPEC",
  "CUSTOM_KEY_STORE",
  "IMPORTED_MATERIAL_ROTATED",
  "ROTATION_ENABLED",
];

describe("remediationFor", () => {
  it("has nothing to fix for a key that passes or to which the check does not apply", () => {
    for (const reason of PASSING) expect(remediationFor(key(reason)), reason).toBeNull();
  });

  it("has a fix for every failing reason", () => {
    for (const reason of REASON_CODES.filter((r) => !PASSING.includes(r)))
      expect(remediationFor(key(reason))?.summary, reason).toMatch(/\w/);
  });

  it("turns rotation on with the policy's maximum period, as a fix plan and the commands script do", () => {
    expect(remediationFor(key("ROTATION_DISABLED"))).toEqual({
      summary: "Turn on automatic rotation.",
      commands: [
        `aws kms enable-key-rotation --key-id ${KEY_ID} --rotation-period-in-days 365 --region eu-west-1`,
      ],
      steps: [],
    });
    expect(remediationFor(key("ROTATION_DISABLED", { maxRotationDays: 90 }))?.commands).toEqual([
      `aws kms enable-key-rotation --key-id ${KEY_ID} --rotation-period-in-days 90 --region eu-west-1`,
    ]);
  });

  it("sets the policy's period when the period is the problem", () => {
    expect(remediationFor(key("ROTATION_PERIOD_EXCEEDS_POLICY", { maxRotationDays: 180 }))).toMatchObject({
      summary: "Shorten the rotation period to 180 days or less.",
      commands: [
        `aws kms enable-key-rotation --key-id ${KEY_ID} --rotation-period-in-days 180 --region eu-west-1`,
      ],
    });
  });

  it("enables a disabled key before its rotation, and offers deletion instead", () => {
    const fix = remediationFor(key("DISABLED_KEY_ROTATION_OFF"))!;
    expect(fix.commands).toEqual([
      `aws kms enable-key --key-id ${KEY_ID} --region eu-west-1`,
      `aws kms enable-key-rotation --key-id ${KEY_ID} --rotation-period-in-days 365 --region eu-west-1`,
    ]);
    expect(fix.steps.join(" ")).toContain(
      `aws kms schedule-key-deletion --key-id ${KEY_ID} --pending-window-in-days 30 --region eu-west-1`,
    );
  });

  it("gives the re-import steps in words for stale imported material", () => {
    const fix = remediationFor(key("IMPORTED_MATERIAL_STALE"))!;
    expect(fix.commands).toEqual([]);
    const steps = fix.steps.join("\n");
    expect(steps).toContain("get-parameters-for-import");
    expect(steps).toContain("--import-type NEW_KEY_MATERIAL");
    expect(steps).toContain(`aws kms rotate-key-on-demand --key-id ${KEY_ID} --region eu-west-1`);
  });

  it("asks for the read permission when the rotation could not be read", () => {
    const fix = remediationFor(key("ROTATION_STATUS_UNKNOWN"))!;
    expect(fix.steps.join(" ")).toContain("kms:GetKeyRotationStatus");
    expect(fix.steps.join(" ")).toContain(
      `aws kms get-key-rotation-status --key-id ${KEY_ID} --region eu-west-1`,
    );
  });

  it("sets a replica's rotation on its primary", () => {
    const primary = { arn: "arn:aws:kms:us-east-1:111122223333:key/mrk-1", region: "us-east-1" };
    const fix = remediationFor({ ...key("ROTATION_DISABLED"), primary })!;
    expect(fix.commands).toEqual([
      `aws kms enable-key-rotation --key-id ${primary.arn} --rotation-period-in-days 365 --region us-east-1`,
    ]);
    expect(fix.steps.join(" ")).toContain("multi-Region replica");
    // The primary's region read from its ARN when not known otherwise.
    const fromArn = remediationFor({ ...key("ROTATION_DISABLED"), primary: { ...primary, region: null } })!;
    expect(fromArn.commands).toEqual(fix.commands);
  });

  it("quotes what a shell would read otherwise", () => {
    const fix = remediationFor({ ...key("ROTATION_DISABLED"), keyId: "x; rm -rf ~ 'y'" })!;
    expect(fix.commands[0]).toBe(
      `aws kms enable-key-rotation --key-id 'x; rm -rf ~ '\\''y'\\''' --rotation-period-in-days 365 --region eu-west-1`,
    );
    expect(shellArg("$(id)")).toBe("'$(id)'");
  });
});

describe("awsConsoleKeyUrl", () => {
  it("links the key in its region's console, and refuses what is not a region", () => {
    expect(awsConsoleKeyUrl("eu-west-1", KEY_ID)).toBe(
      `https://eu-west-1.console.aws.amazon.com/kms/home?region=eu-west-1#/kms/keys/${KEY_ID}`,
    );
    expect(awsConsoleKeyUrl("us-gov-west-1", "k")).toContain("https://us-gov-west-1.console.aws.amazon.com/");
    for (const region of ["evil.com/x", "eu-west-1.attacker.net#", "", "EU-WEST-1"])
      expect(awsConsoleKeyUrl(region, KEY_ID)).toBeNull();
  });
});
