/** Rules 6-10 of the severity table: the keys whose verdict needs a rotation call. */
import { DAY_MS, addDays, isoDate, validDate } from "./dates";
import type { Finding, KeyFacts, RotationPolicy } from "./types";

/** What GetKeyRotationStatus means when it omits RotationPeriodInDays. */
export const KMS_DEFAULT_PERIOD_DAYS = 365;

/** The rotation fields of a finding for a key that KMS does not rotate automatically. */
export const NO_ROTATION = {
  rotationStatus: "not supported",
  rotationPeriodDays: null,
  nextRotation: null,
  lastRotation: null,
  error: null,
} as const;

/**
 * Rules 6/6b. The creation date bounds the material's age from above, so without the rotation
 * history a young key is still provably OK, but an old one cannot be called stale: rule 7 then.
 */
export function judgeImportedMaterial(facts: KeyFacts, policy: RotationPolicy, now: Date): Finding {
  const rotations = facts.importedMaterialRotations;
  const lastRotation = newest(rotations ?? []);
  const since = lastRotation ?? validDate(facts.creationDate);
  const withinPolicy = since !== null && now.getTime() - since.getTime() <= policy.maxRotationDays * DAY_MS;
  const historyKnown = Array.isArray(rotations);

  if (since === null || (!historyKnown && !withinPolicy)) {
    const error =
      facts.rotation?.ok === false
        ? facts.rotation.error
        : "the rotation history (ListKeyRotations) was not read";
    return {
      ...NO_ROTATION,
      severity: "WARNING",
      reason: "ROTATION_STATUS_UNKNOWN",
      description: `The age of the imported key material could not be determined (${error}); check that the collector may call kms:ListKeyRotations, then collect again.`,
      error,
    };
  }

  const ageDays = Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
  const sinceText = lastRotation
    ? `last imported ${isoDate(since)}`
    : `key created ${isoDate(since)}, never rotated`;
  const max = policy.maxRotationDays;
  return {
    ...NO_ROTATION,
    lastRotation,
    ...(withinPolicy
      ? {
          severity: "OK",
          reason: "IMPORTED_MATERIAL_ROTATED",
          description: `Imported key material is ${ageDays} days old (${sinceText}), within the ${max}-day policy; import new material by ${isoDate(addDays(since, max))}.`,
        }
      : {
          severity: "WARNING",
          reason: "IMPORTED_MATERIAL_STALE",
          description: `Imported key material is ${ageDays} days old (${sinceText}), older than the ${max}-day policy: import new key material and rotate to it on demand (RotateKeyOnDemand).`,
        }),
  };
}

/** Rules 7-10, from GetKeyRotationStatus. */
export function judgeRotationStatus(facts: KeyFacts, policy: RotationPolicy): Finding {
  const read = facts.rotation;
  if (read === null || !read.ok) {
    const error = read?.error ?? "the rotation status (GetKeyRotationStatus) was not read";
    return {
      ...NO_ROTATION,
      rotationStatus: "unknown",
      severity: "WARNING",
      reason: "ROTATION_STATUS_UNKNOWN",
      description: `The rotation status could not be read (${error}); check that the collector may call kms:GetKeyRotationStatus, then collect again.`,
      error,
    };
  }

  if (!read.enabled) {
    const base = { ...NO_ROTATION, rotationStatus: "disabled" } as const;
    return facts.keyState === "Disabled"
      ? {
          ...base,
          severity: "WARNING",
          reason: "DISABLED_KEY_ROTATION_OFF",
          description:
            "Automatic rotation is off on this disabled key: enable rotation when you re-enable the key, or schedule the key for deletion if it is no longer needed.",
        }
      : {
          ...base,
          severity: "CRITICAL",
          reason: "ROTATION_DISABLED",
          description: "Automatic rotation is disabled: KMS will never rotate this key's material.",
        };
  }

  const period = read.periodDays ?? KMS_DEFAULT_PERIOD_DAYS;
  const next = validDate(read.nextRotation);
  const max = policy.maxRotationDays;
  const base = {
    ...NO_ROTATION,
    rotationStatus: "enabled",
    rotationPeriodDays: period,
    nextRotation: next,
  } as const;
  return period <= max
    ? {
        ...base,
        severity: "OK",
        reason: "ROTATION_ENABLED",
        description: `Rotation is enabled: KMS rotates this key every ${period} days${next ? ` (next on ${isoDate(next)})` : ""}.`,
      }
    : {
        ...base,
        severity: "WARNING",
        reason: "ROTATION_PERIOD_EXCEEDS_POLICY",
        description: `Rotation is enabled but only every ${period} days, longer than the ${max}-day policy: set the rotation period to ${max} days or less.`,
      };
}

function newest(dates: Date[]): Date | null {
  let result: Date | null = null;
  for (const date of dates) {
    if (validDate(date) && (result === null || date.getTime() > result.getTime())) result = date;
  }
  return result;
}
