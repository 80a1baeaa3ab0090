import { describe, expect, it } from "vitest";
import { daysAgo, disabledRotation, key, now, policy } from "@/test/fixtures/key-facts";
import { evaluateKey } from "./rules";

describe("evaluateKey: one case per row of the severity table", () => {
  it.each(["PendingDeletion", "PendingReplicaDeletion"])(
    "1: %s is NOT_APPLICABLE PENDING_DELETION",
    (keyState) => {
      const finding = evaluateKey(key({ keyState, rotation: null }), policy, now);
      expect(finding).toMatchObject({
        severity: "NOT_APPLICABLE",
        reason: "PENDING_DELETION",
        rotationStatus: "not supported",
      });
      expect(finding.description).toContain(keyState);
    },
  );

  it.each(["Creating", "Updating", "PendingImport", "Unavailable"])(
    "2: %s is NOT_APPLICABLE KEY_NOT_USABLE",
    (keyState) => {
      const finding = evaluateKey(key({ keyState, rotation: null }), policy, now);
      expect(finding).toMatchObject({
        severity: "NOT_APPLICABLE",
        reason: "KEY_NOT_USABLE",
        rotationStatus: "not supported",
      });
      expect(finding.description).toContain(keyState);
    },
  );

  it("3: an AWS managed key is OK AWS_MANAGED and reads enabled, every 365 days", () => {
    const finding = evaluateKey(key({ keyManager: "AWS", rotation: null }), policy, now);
    expect(finding).toMatchObject({
      severity: "OK",
      reason: "AWS_MANAGED",
      rotationStatus: "enabled",
      rotationPeriodDays: 365,
    });
    expect(finding.description).toBe("AWS managed key: AWS rotates its material every year; nothing to do.");
  });

  it.each(["RSA_2048", "ECC_NIST_P256", "HMAC_256", "SM2", "ML_DSA_65"])(
    "4: %s is NOT_APPLICABLE UNSUPPORTED_KEY_SPEC",
    (keySpec) => {
      const finding = evaluateKey(key({ keySpec, rotation: null }), policy, now);
      expect(finding).toMatchObject({
        severity: "NOT_APPLICABLE",
        reason: "UNSUPPORTED_KEY_SPEC",
        rotationStatus: "not supported",
      });
      expect(finding.description).toContain(keySpec);
    },
  );

  it.each(["AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"])(
    "5: origin %s is NOT_APPLICABLE CUSTOM_KEY_STORE",
    (origin) => {
      const finding = evaluateKey(key({ origin, rotation: null }), policy, now);
      expect(finding).toMatchObject({
        severity: "NOT_APPLICABLE",
        reason: "CUSTOM_KEY_STORE",
        rotationStatus: "not supported",
      });
    },
  );

  it("6: imported material rotated 100 days ago is OK, dated from the newest rotation", () => {
    const rotations = [daysAgo(500), daysAgo(100), daysAgo(300)];
    const finding = evaluateKey(
      key({
        origin: "EXTERNAL",
        rotation: null,
        importedMaterialRotations: rotations,
      }),
      policy,
      now,
    );
    expect(finding).toMatchObject({
      severity: "OK",
      reason: "IMPORTED_MATERIAL_ROTATED",
      rotationStatus: "not supported",
      lastRotation: daysAgo(100),
    });
    expect(finding.description).toBe(
      "Imported key material is 100 days old (last imported 2026-08-22), within the 365-day policy; import new material by 2027-08-22.",
    );
  });

  it("6: imported material never rotated is dated from CreationDate", () => {
    const finding = evaluateKey(
      key({
        origin: "EXTERNAL",
        rotation: null,
        creationDate: daysAgo(30),
        importedMaterialRotations: [],
      }),
      policy,
      now,
    );
    expect(finding).toMatchObject({
      severity: "OK",
      reason: "IMPORTED_MATERIAL_ROTATED",
      lastRotation: null,
    });
    expect(finding.description).toContain("30 days old (key created 2026-10-31, never rotated)");
  });

  it("6b: imported material older than the policy is WARNING IMPORTED_MATERIAL_STALE", () => {
    const finding = evaluateKey(
      key({
        origin: "EXTERNAL",
        rotation: null,
        creationDate: daysAgo(900),
        importedMaterialRotations: [daysAgo(400)],
      }),
      policy,
      now,
    );
    expect(finding).toMatchObject({
      severity: "WARNING",
      reason: "IMPORTED_MATERIAL_STALE",
      lastRotation: daysAgo(400),
    });
    expect(finding.description).toContain("400 days old");
    expect(finding.description).toContain("365-day policy");
  });

  it("7: a failed status read is WARNING ROTATION_STATUS_UNKNOWN and keeps the error", () => {
    const error = "AccessDeniedException: not authorized to perform kms:GetKeyRotationStatus";
    const finding = evaluateKey(key({ rotation: { ok: false, error } }), policy, now);
    expect(finding).toMatchObject({
      severity: "WARNING",
      reason: "ROTATION_STATUS_UNKNOWN",
      rotationStatus: "unknown",
      error,
    });
    expect(finding.description).toContain(error);
  });

  it("7: a status that was never read is unknown too, not silently OK", () => {
    const finding = evaluateKey(key({ rotation: null }), policy, now);
    expect(finding).toMatchObject({
      severity: "WARNING",
      reason: "ROTATION_STATUS_UNKNOWN",
    });
    expect(finding.error).toMatch(/not read/);
  });

  it("8: rotation enabled within the policy is OK ROTATION_ENABLED", () => {
    const finding = evaluateKey(key(), policy, now);
    expect(finding).toEqual({
      severity: "OK",
      reason: "ROTATION_ENABLED",
      description: "Rotation is enabled: KMS rotates this key every 365 days (next on 2027-03-02).",
      rotationStatus: "enabled",
      rotationPeriodDays: 365,
      nextRotation: new Date("2027-03-02T00:00:00Z"),
      lastRotation: null,
      error: null,
    });
  });

  it("8: an absent RotationPeriodInDays means 365", () => {
    const finding = evaluateKey(
      key({
        rotation: {
          ok: true,
          enabled: true,
          periodDays: null,
          nextRotation: null,
        },
      }),
      policy,
      now,
    );
    expect(finding).toMatchObject({
      severity: "OK",
      reason: "ROTATION_ENABLED",
      rotationPeriodDays: 365,
    });
    expect(finding.description).toBe("Rotation is enabled: KMS rotates this key every 365 days.");
  });

  it("8b: a period longer than the policy is WARNING ROTATION_PERIOD_EXCEEDS_POLICY", () => {
    const finding = evaluateKey(
      key({
        rotation: {
          ok: true,
          enabled: true,
          periodDays: 730,
          nextRotation: null,
        },
      }),
      policy,
      now,
    );
    expect(finding).toMatchObject({
      severity: "WARNING",
      reason: "ROTATION_PERIOD_EXCEEDS_POLICY",
      rotationPeriodDays: 730,
    });
    expect(finding.description).toContain("every 730 days, longer than the 365-day policy");
  });

  it("9: rotation off on a Disabled key is WARNING DISABLED_KEY_ROTATION_OFF", () => {
    const finding = evaluateKey(key({ keyState: "Disabled", rotation: disabledRotation }), policy, now);
    expect(finding).toMatchObject({
      severity: "WARNING",
      reason: "DISABLED_KEY_ROTATION_OFF",
      rotationStatus: "disabled",
    });
  });

  it("10: rotation off on an Enabled key is CRITICAL ROTATION_DISABLED", () => {
    const finding = evaluateKey(key({ rotation: disabledRotation }), policy, now);
    expect(finding).toMatchObject({
      severity: "CRITICAL",
      reason: "ROTATION_DISABLED",
      rotationStatus: "disabled",
    });
    expect(finding.description).toBe(
      "Automatic rotation is disabled: KMS will never rotate this key's material.",
    );
  });
});
