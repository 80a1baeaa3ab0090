import { describe, expect, it } from "vitest";
import { checkPeriod, judgeKey, type FixableKey, type JudgeContext } from "./judge";

const key = (over: Partial<FixableKey> = {}): FixableKey => ({
  arn: "arn:aws:kms:eu-west-1:111122223333:key/k1",
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
const ctx = (over: Partial<JudgeContext> = {}): JudgeContext => ({
  maxRotationDays: 365,
  periodDays: null,
  inScope: true,
  hasRemediationAccess: true,
  ...over,
});

describe("judgeKey", () => {
  it("enables rotation of a key with rotation off, at the policy maximum unless a period is asked for", () => {
    expect(judgeKey(key(), ctx())).toEqual({ action: "ENABLE_ROTATION", periodDays: 365 });
    expect(judgeKey(key(), ctx({ periodDays: 180 }))).toEqual({ action: "ENABLE_ROTATION", periodDays: 180 });
  });

  it("shortens a period longer than the policy, and skips one within it", () => {
    expect(judgeKey(key({ rotationEnabled: true, rotationPeriodDays: 730 }), ctx())).toEqual({
      action: "ENABLE_ROTATION",
      periodDays: 365,
    });
    expect(judgeKey(key({ rotationEnabled: true, rotationPeriodDays: 365 }), ctx())).toMatchObject({
      reason: "ALREADY_ROTATING",
    });
    // Absent period means 365 days.
    expect(judgeKey(key({ rotationEnabled: true }), ctx({ maxRotationDays: 180 }))).toEqual({
      action: "ENABLE_ROTATION",
      periodDays: 180,
    });
    expect(
      judgeKey(key({ rotationEnabled: true, rotationPeriodDays: 300 }), ctx({ periodDays: 90 })),
    ).toEqual({
      action: "ENABLE_ROTATION",
      periodDays: 90,
    });
  });

  it.each([
    [{}, { inScope: false }, "OUT_OF_SCOPE"],
    [{ goneAt: new Date() }, {}, "KEY_GONE"],
    [{ keyState: "PendingDeletion" }, {}, "PENDING_DELETION"],
    [{ keyState: "Disabled" }, {}, "KEY_DISABLED"],
    [{ keyState: "PendingImport" }, {}, "NOT_APPLICABLE"],
    [{ keyManager: "AWS" }, {}, "NOT_APPLICABLE"],
    [{ keySpec: "RSA_2048" }, {}, "NOT_APPLICABLE"],
    [{ origin: "EXTERNAL" }, {}, "IMPORTED_MATERIAL"],
    [{ origin: "AWS_CLOUDHSM" }, {}, "CUSTOM_KEY_STORE"],
    [{ origin: "EXTERNAL_KEY_STORE" }, {}, "CUSTOM_KEY_STORE"],
    [{ multiRegionType: "REPLICA" }, {}, "MULTI_REGION_REPLICA"],
    [{ status: "EXCEPTED" }, {}, "EXCEPTED"],
    [{}, { hasRemediationAccess: false }, "NO_REMEDIATION_ACCESS"],
  ] as const)("skips %j %j: %s", (k, c, reason) => {
    expect(judgeKey(key(k), ctx(c))).toMatchObject({ action: "SKIP", reason });
  });

  it("names a replica's primary as the key to fix instead", () => {
    const primary = "arn:aws:kms:us-east-1:111122223333:key/mrk-1";
    expect(judgeKey(key({ multiRegionType: "REPLICA", primaryKeyArn: primary }), ctx())).toEqual({
      action: "SKIP",
      reason: "MULTI_REGION_REPLICA",
      primaryArn: primary,
    });
  });
});

describe("checkPeriod", () => {
  it("accepts null (the policy maximum) and 90 to the maximum, and explains anything else", () => {
    expect(checkPeriod(null, 365)).toEqual({ ok: true, periodDays: null });
    expect(checkPeriod(90, 365)).toEqual({ ok: true, periodDays: 90 });
    expect(checkPeriod(365, 365)).toEqual({ ok: true, periodDays: 365 });
    for (const bad of [89, 366, 100.5, Number.NaN])
      expect(checkPeriod(bad, 365)).toMatchObject({ ok: false, message: expect.stringContaining("90") });
  });
});
