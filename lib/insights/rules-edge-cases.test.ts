import { describe, expect, it } from "vitest";
import { daysAgo, disabledRotation, key, now, policy } from "./key-facts.fixture";
import { evaluateKey, rotationCallsNeeded, rotationPolicySchema } from "./rules";

describe("evaluateKey: the first matching rule wins", () => {
  it("AWS managed and pending deletion is rule 1", () => {
    expect(evaluateKey(key({ keyManager: "AWS", keyState: "PendingDeletion" }), policy, now).reason).toBe(
      "PENDING_DELETION",
    );
  });

  it("a customer RSA key that is Disabled with rotation off is rule 4, not 9", () => {
    const facts = key({
      keySpec: "RSA_4096",
      keyState: "Disabled",
      rotation: disabledRotation,
    });
    expect(evaluateKey(facts, policy, now).reason).toBe("UNSUPPORTED_KEY_SPEC");
  });

  it("an AWS managed HMAC key is rule 3, not 4", () => {
    expect(evaluateKey(key({ keyManager: "AWS", keySpec: "HMAC_256" }), policy, now).reason).toBe(
      "AWS_MANAGED",
    );
  });

  it("an imported-material key with a failed read still judged by age is rule 6, not 7", () => {
    const facts = key({
      origin: "EXTERNAL",
      rotation: { ok: false, error: "boom" },
      importedMaterialRotations: [daysAgo(10)],
    });
    expect(evaluateKey(facts, policy, now).reason).toBe("IMPORTED_MATERIAL_ROTATED");
  });

  it("imported material with an unread history: a young key is OK, an old one is unknown, not stale", () => {
    const young = key({
      origin: "EXTERNAL",
      creationDate: daysAgo(20),
      rotation: null,
      importedMaterialRotations: null,
    });
    expect(evaluateKey(young, policy, now).reason).toBe("IMPORTED_MATERIAL_ROTATED");
    const old = key({
      origin: "EXTERNAL",
      creationDate: daysAgo(800),
      rotation: { ok: false, error: "ThrottlingException" },
    });
    expect(evaluateKey(old, policy, now)).toMatchObject({
      reason: "ROTATION_STATUS_UNKNOWN",
      error: "ThrottlingException",
    });
  });
});

describe("evaluateKey: the policy's maximum changes the verdict", () => {
  const period400 = key({
    rotation: { ok: true, enabled: true, periodDays: 400, nextRotation: null },
  });

  it("period 400 is WARNING under a 365-day maximum and OK under 730", () => {
    expect(evaluateKey(period400, { maxRotationDays: 365 }, now).severity).toBe("WARNING");
    expect(evaluateKey(period400, { maxRotationDays: 730 }, now).severity).toBe("OK");
  });

  it("a period equal to the maximum is within it", () => {
    expect(evaluateKey(period400, { maxRotationDays: 400 }, now).reason).toBe("ROTATION_ENABLED");
  });

  it("imported material 200 days old is stale under 180 days and OK under 365", () => {
    const facts = key({
      origin: "EXTERNAL",
      rotation: null,
      importedMaterialRotations: [daysAgo(200)],
    });
    expect(evaluateKey(facts, { maxRotationDays: 180 }, now).reason).toBe("IMPORTED_MATERIAL_STALE");
    expect(evaluateKey(facts, { maxRotationDays: 365 }, now).reason).toBe("IMPORTED_MATERIAL_ROTATED");
  });
});

describe("evaluateKey: values AWS may add later never throw", () => {
  it("an unknown KeyState is not usable", () => {
    expect(evaluateKey(key({ keyState: "Hibernating" }), policy, now)).toMatchObject({
      severity: "NOT_APPLICABLE",
      reason: "KEY_NOT_USABLE",
    });
  });

  it("an unknown or empty KeySpec is unsupported", () => {
    expect(evaluateKey(key({ keySpec: "QUANTUM_9000" }), policy, now).reason).toBe("UNSUPPORTED_KEY_SPEC");
    expect(evaluateKey(key({ keySpec: "" }), policy, now).description).toContain("(unknown)");
  });

  it("an unknown KeyManager is judged like a customer key", () => {
    expect(evaluateKey(key({ keyManager: "PARTNER", rotation: disabledRotation }), policy, now).reason).toBe(
      "ROTATION_DISABLED",
    );
  });

  it("an unknown Origin is judged by its rotation status", () => {
    expect(evaluateKey(key({ origin: "SOMETHING_NEW" }), policy, now).reason).toBe("ROTATION_ENABLED");
  });

  it("invalid dates are treated as absent", () => {
    const facts = key({
      rotation: {
        ok: true,
        enabled: true,
        periodDays: 365,
        nextRotation: new Date("nope"),
      },
    });
    expect(evaluateKey(facts, policy, now)).toMatchObject({
      reason: "ROTATION_ENABLED",
      nextRotation: null,
    });
    const imported = key({
      origin: "EXTERNAL",
      creationDate: new Date("nope"),
      importedMaterialRotations: [],
    });
    expect(evaluateKey(imported, policy, now).reason).toBe("ROTATION_STATUS_UNKNOWN");
  });
});

describe("rotationCallsNeeded", () => {
  const meta = {
    keyState: "Enabled",
    keyManager: "CUSTOMER",
    keySpec: "SYMMETRIC_DEFAULT",
    origin: "AWS_KMS",
  };
  const none = { rotationStatus: false, keyRotations: false };

  it.each([
    ["pending deletion (rule 1)", { keyState: "PendingDeletion" }],
    ["not usable (rule 2)", { keyState: "Creating" }],
    ["AWS managed (rule 3)", { keyManager: "AWS" }],
    ["asymmetric (rule 4)", { keySpec: "ECC_NIST_P384" }],
    ["CloudHSM (rule 5)", { origin: "AWS_CLOUDHSM" }],
    ["external key store (rule 5)", { origin: "EXTERNAL_KEY_STORE" }],
  ])("%s needs no call", (_name, overrides) => {
    expect(rotationCallsNeeded({ ...meta, ...overrides })).toEqual(none);
  });

  it("imported material (rule 6) needs ListKeyRotations only", () => {
    expect(rotationCallsNeeded({ ...meta, origin: "EXTERNAL" })).toEqual({
      rotationStatus: false,
      keyRotations: true,
    });
  });

  it.each(["Enabled", "Disabled"])(
    "a customer symmetric AWS_KMS key (%s) needs GetKeyRotationStatus only",
    (keyState) => {
      expect(rotationCallsNeeded({ ...meta, keyState })).toEqual({
        rotationStatus: true,
        keyRotations: false,
      });
    },
  );
});

describe("rotationPolicySchema", () => {
  it("defaults to 365 and accepts a numeric string", () => {
    expect(rotationPolicySchema.parse({})).toEqual({ maxRotationDays: 365 });
    expect(rotationPolicySchema.parse({ maxRotationDays: "730" })).toEqual({
      maxRotationDays: 730,
    });
  });

  it.each([89, 2561, 100.5, "abc"])("rejects %s with a message naming the range", (maxRotationDays) => {
    const result = rotationPolicySchema.safeParse({ maxRotationDays });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]!.message).toContain("from 90 to 2560");
  });
});
