import type { KeyFacts } from "./types";

export const now = new Date("2026-11-30T12:00:00Z");
export const policy = { maxRotationDays: 365 };
export const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

/** A customer managed, enabled, symmetric AWS_KMS key with yearly rotation, plus overrides. */
export function key(overrides: Partial<KeyFacts> = {}): KeyFacts {
  return {
    keyId: "1234abcd-12ab-34cd-56ef-1234567890ab",
    arn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    keyState: "Enabled",
    keyManager: "CUSTOMER",
    keySpec: "SYMMETRIC_DEFAULT",
    origin: "AWS_KMS",
    creationDate: daysAgo(1000),
    rotation: {
      ok: true,
      enabled: true,
      periodDays: 365,
      nextRotation: new Date("2027-03-02T00:00:00Z"),
    },
    ...overrides,
  };
}

export const disabledRotation = {
  ok: true,
  enabled: false,
  periodDays: null,
  nextRotation: null,
} as const;
