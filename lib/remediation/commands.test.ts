import { describe, expect, it } from "vitest";
import { fixScriptLines, type ScriptAccount, type ScriptKey, type ScriptOptions } from "./commands";
import { remediationFor } from "@/lib/verdict/remediation";
import { SKIP_REASON_LABELS } from "./judge";

const ACCOUNT = "111122223333";
const arnOf = (id: string, region = "eu-west-1", account = ACCOUNT) =>
  `arn:aws:kms:${region}:${account}:key/${id}`;

const key = (id: string, over: Partial<ScriptKey> = {}): ScriptKey => ({
  accountId: ACCOUNT,
  keyId: id,
  region: "eu-west-1",
  arn: arnOf(id),
  keyState: "Enabled",
  keyManager: "CUSTOMER",
  keySpec: "SYMMETRIC_DEFAULT",
  origin: "AWS_KMS",
  multiRegionType: null,
  primaryKeyArn: null,
  rotationEnabled: false,
  rotationPeriodDays: null,
  status: "OPEN",
  goneAt: null,
  ...over,
});

const ACCOUNTS: Record<string, ScriptAccount> = {
  [ACCOUNT]: {
    id: ACCOUNT,
    name: "Production",
    remediationMethod: null,
    remediationProfile: null,
    remediationRoleArn: null,
  },
  "444455556666": {
    id: "444455556666",
    name: "Fixable",
    remediationMethod: "PROFILE",
    remediationProfile: "fixer",
    remediationRoleArn: null,
  },
};

async function script(rows: ScriptKey[], over: Partial<ScriptOptions> = {}): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of fixScriptLines(rows, {
    selection: "severity=critical",
    generatedAt: new Date("2026-12-02T12:00:00Z"),
    maxRotationDays: 365,
    periodDays: null,
    account: (id) => ACCOUNTS[id],
    ...over,
  }))
    lines.push(line);
  return lines;
}
const commandsOf = (lines: string[]) => lines.filter((l) => l.startsWith("aws "));

describe("the commands script", () => {
  it("is a POSIX script that stops at the first failure, naming its keys, date and period", async () => {
    const lines = await script([key("k1")]);
    expect(lines[0]).toBe("#!/bin/sh");
    expect(lines).toContain("set -eu");
    expect(lines).toContain("# Keys: severity=critical");
    expect(lines).toContain("# Generated 2026-12-02T12:00:00.000Z");
    expect(lines).toContain("# Rotation period: the policy maximum, 365 days.");
    expect(commandsOf(lines)).toEqual([
      "aws kms enable-key-rotation --key-id k1 --rotation-period-in-days 365 --region eu-west-1",
    ]);
    expect(lines.at(-1)).toBe("# 1 command, 0 keys skipped.");
  });

  it("uses the period asked for, and shortens a period longer than the policy", async () => {
    const rows = [key("k1"), key("k2", { rotationEnabled: true, rotationPeriodDays: 730 })];
    expect(commandsOf(await script(rows, { periodDays: 90 }))).toEqual([
      "aws kms enable-key-rotation --key-id k1 --rotation-period-in-days 90 --region eu-west-1",
      "aws kms enable-key-rotation --key-id k2 --rotation-period-in-days 90 --region eu-west-1",
    ]);
    expect(await script(rows, { periodDays: 90 })).toContain("# Rotation period: 90 days.");
    expect(commandsOf(await script(rows, { maxRotationDays: 180 }))[1]).toBe(
      "aws kms enable-key-rotation --key-id k2 --rotation-period-in-days 180 --region eu-west-1",
    );
  });

  it.each([
    ["KEY_GONE", { goneAt: new Date() }],
    ["PENDING_DELETION", { keyState: "PendingDeletion" }],
    ["KEY_DISABLED", { keyState: "Disabled" }],
    ["NOT_APPLICABLE", { keyManager: "AWS" }],
    ["IMPORTED_MATERIAL", { origin: "EXTERNAL" }],
    ["CUSTOM_KEY_STORE", { origin: "AWS_CLOUDHSM" }],
    ["MULTI_REGION_REPLICA", { multiRegionType: "REPLICA" }],
    ["EXCEPTED", { status: "EXCEPTED" }],
    ["ALREADY_ROTATING", { rotationEnabled: true, rotationPeriodDays: 180 }],
  ] as const)("lists a key skipped for %s as a comment in words, with no command", async (reason, over) => {
    const lines = await script([key("k1", over)]);
    expect(lines).toContain(`# skipped ${arnOf("k1")}: ${SKIP_REASON_LABELS[reason]}`);
    expect(commandsOf(lines)).toEqual([]);
    expect(lines.at(-1)).toBe("# 0 commands, 1 key skipped.");
  });

  it("never skips for scope or remediation access: the rows are the reader's, the reader runs them", async () => {
    const text = (await script([key("k1"), key("k2", { keyState: "Disabled" })])).join("\n");
    expect(text).not.toContain(SKIP_REASON_LABELS.OUT_OF_SCOPE);
    expect(text).not.toContain(SKIP_REASON_LABELS.NO_REMEDIATION_ACCESS);
  });

  it("fixes a replica's primary once instead, however many replicas and whether the primary is listed", async () => {
    const primaryArn = arnOf("mrk-1", "us-east-1");
    const replica = (region: string) =>
      key("mrk-1", {
        region,
        arn: arnOf("mrk-1", region),
        multiRegionType: "REPLICA",
        primaryKeyArn: primaryArn,
      });
    const primary = key("mrk-1", { region: "us-east-1", arn: primaryArn, multiRegionType: "PRIMARY" });
    // Primary not scanned: its ARN names it and its region.
    const unknown = await script([replica("eu-west-1"), replica("ap-south-1")]);
    expect(commandsOf(unknown)).toEqual([
      `aws kms enable-key-rotation --key-id ${primaryArn} --rotation-period-in-days 365 --region us-east-1`,
    ]);
    expect(unknown.filter((l) => l.startsWith("# skipped"))).toHaveLength(2);
    // Primary known, listed after its replicas: judged once, not repeated.
    const known = await script([
      { ...replica("eu-west-1"), primary },
      { ...replica("ap-south-1"), primary },
      primary,
    ]);
    expect(commandsOf(known)).toEqual([
      "aws kms enable-key-rotation --key-id mrk-1 --rotation-period-in-days 365 --region us-east-1",
    ]);
    // Primary listed first: its command, then the replica only as a comment.
    expect(commandsOf(await script([primary, { ...replica("eu-west-1"), primary }]))).toHaveLength(1);
    // A primary already rotating is skipped once, with its reason.
    const rotating = { ...primary, rotationEnabled: true, rotationPeriodDays: 90 };
    const skippedPrimary = await script([rotating, { ...replica("eu-west-1"), primary: rotating }]);
    expect(commandsOf(skippedPrimary)).toEqual([]);
    expect(skippedPrimary.filter((l) => l.startsWith(`# skipped ${primaryArn}:`))).toEqual([
      `# skipped ${primaryArn}: ${SKIP_REASON_LABELS.ALREADY_ROTATING}`,
    ]);
  });

  it("quotes key ids and regions a shell would read otherwise", async () => {
    const lines = await script([key("x; rm -rf ~ 'y'", { region: "$(id)" })]);
    expect(commandsOf(lines)).toEqual([
      `aws kms enable-key-rotation --key-id 'x; rm -rf ~ '\\''y'\\''' --rotation-period-in-days 365 --region '$(id)'`,
    ]);
    // A line break in a value never starts a new shell line from a comment.
    const odd = await script([key("k1", { keyState: "Disabled", arn: "arn:x\nrm -rf /" })]);
    expect(odd.some((l) => l.startsWith("rm"))).toBe(false);
  });

  it("groups keys by account, naming each and how to run its commands, with its remediation profile", async () => {
    const other = "444455556666";
    const lines = await script([
      key("k1"),
      key("k2", { accountId: other, arn: arnOf("k2", "eu-west-1", other) }),
    ]);
    expect(lines).toContain(`# Account ${ACCOUNT} (Production)`);
    expect(lines).toContain(
      "# Run them with credentials that may write to this account (e.g. add --profile NAME).",
    );
    expect(lines).toContain(`# Account ${other} (Fixable)`);
    expect(lines).toContain("# These commands use its remediation profile fixer.");
    expect(commandsOf(lines)[1]).toBe(
      "aws kms enable-key-rotation --key-id k2 --rotation-period-in-days 365 --region eu-west-1 --profile fixer",
    );
  });

  it("writes the same command as the key page, for a key with rotation off or a period too long", async () => {
    for (const [reason, over] of [
      ["ROTATION_DISABLED", {}],
      ["ROTATION_PERIOD_EXCEEDS_POLICY", { rotationEnabled: true, rotationPeriodDays: 730 }],
    ] as const) {
      const page = remediationFor({ reason, keyId: "k1", region: "eu-west-1", maxRotationDays: 180 });
      expect(commandsOf(await script([key("k1", over)], { maxRotationDays: 180 })), reason).toEqual(
        page!.commands,
      );
    }
  });

  it("consumes its rows one at a time (an async source of any size)", async () => {
    let made = 0;
    async function* many() {
      for (let i = 0; i < 100_000; i++) {
        made++;
        yield key(`k${i}`);
      }
    }
    const lines = fixScriptLines(many(), {
      selection: "all",
      generatedAt: new Date(),
      maxRotationDays: 365,
      periodDays: null,
      account: () => undefined,
    });
    for await (const line of lines) if (line.startsWith("aws ")) break;
    expect(made).toBe(1);
  });
});
