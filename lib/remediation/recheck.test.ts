import { describe, expect, it } from "vitest";
import type { KmsKey } from "@/lib/generated/prisma/client";
import { recheckItem } from "./recheck";
import { inTargetState } from "./run";

const row = (over: Partial<KmsKey> = {}) =>
  ({
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
  }) as KmsKey;
const ctx = { hasRemediationAccess: true, maxRotationDays: 365 };
const enable = { action: "ENABLE_ROTATION" as const, periodDays: 365 };
const disable = { action: "DISABLE_ROTATION" as const, periodDays: null };

describe("recheckItem", () => {
  it("keeps a fix whose key still needs it, and skips one that changed since the plan", () => {
    expect(recheckItem("FIX", enable, row(), ctx)).toBeNull();
    expect(recheckItem("FIX", enable, null, ctx)).toBe("KEY_GONE");
    expect(recheckItem("FIX", enable, row({ keyState: "PendingDeletion" }), ctx)).toBe("PENDING_DELETION");
    expect(recheckItem("FIX", enable, row({ status: "EXCEPTED" }), ctx)).toBe("EXCEPTED");
    expect(recheckItem("FIX", enable, row({ rotationEnabled: true, rotationPeriodDays: 365 }), ctx)).toBe(
      "ALREADY_ROTATING",
    );
    expect(recheckItem("FIX", enable, row(), { ...ctx, hasRemediationAccess: false })).toBe(
      "NO_REMEDIATION_ACCESS",
    );
  });

  it("keeps a rollback of a key that is rotating within the policy or excepted, but not of a deleted one", () => {
    const rotating = row({ rotationEnabled: true, rotationPeriodDays: 365 });
    expect(recheckItem("ROLLBACK", disable, rotating, ctx)).toBeNull();
    expect(recheckItem("ROLLBACK", disable, row({ ...rotating, status: "EXCEPTED" }), ctx)).toBeNull();
    expect(recheckItem("ROLLBACK", disable, row({ keyState: "Disabled" }), ctx)).toBe("KEY_DISABLED");
    expect(recheckItem("ROLLBACK", disable, rotating, { ...ctx, hasRemediationAccess: false })).toBe(
      "NO_REMEDIATION_ACCESS",
    );
  });
});

describe("inTargetState", () => {
  it("is rotation on at the planned period (365 when AWS leaves it out), or off for a rollback", () => {
    const on = (periodDays: number | null) => ({ enabled: true, periodDays, nextRotation: null });
    expect(inTargetState(enable, on(365))).toBe(true);
    expect(inTargetState(enable, on(null))).toBe(true);
    expect(inTargetState(enable, on(730))).toBe(false);
    expect(inTargetState(enable, { enabled: false, periodDays: null, nextRotation: null })).toBe(false);
    expect(inTargetState(disable, { enabled: false, periodDays: null, nextRotation: null })).toBe(true);
    expect(inTargetState(disable, on(365))).toBe(false);
  });
});
