import { isoDate, validDate } from "./dates";
import {
  KMS_DEFAULT_PERIOD_DAYS,
  NO_ROTATION,
  judgeImportedMaterial,
  judgeRotationStatus,
} from "./rotation-rules";
import type { Finding, KeyFacts, ReasonCode, RotationPolicy } from "./types";

export {
  DEFAULT_MAX_ROTATION_DAYS,
  MAX_ROTATION_DAYS,
  MIN_ROTATION_DAYS,
  maxRotationDaysSchema,
  rotationPolicySchema,
} from "./rotation-policy";

const PENDING_DELETION_STATES = new Set(["PendingDeletion", "PendingReplicaDeletion"]);
/** Any other state, known or not, is treated as not usable (rule 2). */
const USABLE_STATES = new Set(["Enabled", "Disabled"]);
const CUSTOM_KEY_STORE_ORIGINS = new Set(["AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"]);

export type KeyMetadata = Pick<KeyFacts, "keyState" | "keyManager" | "keySpec" | "origin">;

/** Rules 1-5: the verdicts that DescribeKey alone decides. */
function metadataVerdict(meta: KeyMetadata): ReasonCode | null {
  if (PENDING_DELETION_STATES.has(meta.keyState)) return "PENDING_DELETION";
  if (!USABLE_STATES.has(meta.keyState)) return "KEY_NOT_USABLE";
  if (meta.keyManager === "AWS") return "AWS_MANAGED";
  if (meta.keySpec !== "SYMMETRIC_DEFAULT") return "UNSUPPORTED_KEY_SPEC";
  if (CUSTOM_KEY_STORE_ORIGINS.has(meta.origin)) return "CUSTOM_KEY_STORE";
  return null;
}

/** Which rotation calls the verdict needs, so the collector spends no quota on the others. */
export function rotationCallsNeeded(meta: KeyMetadata): {
  rotationStatus: boolean;
  keyRotations: boolean;
} {
  if (metadataVerdict(meta) !== null) return { rotationStatus: false, keyRotations: false };
  if (meta.origin === "EXTERNAL") return { rotationStatus: false, keyRotations: true };
  return { rotationStatus: true, keyRotations: false };
}

const orUnknown = (value: string) => value || "(unknown)";

/** Judges one key by the spec's severity table; the first matching rule wins. */
export function evaluateKey(facts: KeyFacts, policy: RotationPolicy, now: Date): Finding {
  const verdict = metadataVerdict(facts);
  switch (verdict) {
    case "PENDING_DELETION":
      return {
        ...NO_ROTATION,
        severity: "NOT_APPLICABLE",
        reason: verdict,
        description: `The key is scheduled for deletion (${facts.keyState}), so its rotation no longer matters; cancel the deletion if the key is still needed.`,
      };
    case "KEY_NOT_USABLE":
      return {
        ...NO_ROTATION,
        severity: "NOT_APPLICABLE",
        reason: verdict,
        description: `The key is in state ${orUnknown(facts.keyState)} and cannot be used now, so its rotation is not judged until it is Enabled or Disabled.`,
      };
    case "AWS_MANAGED":
      return awsManaged(facts);
    case "UNSUPPORTED_KEY_SPEC":
      return {
        ...NO_ROTATION,
        severity: "NOT_APPLICABLE",
        reason: verdict,
        description: `KMS cannot rotate ${orUnknown(facts.keySpec)} keys automatically; to renew the material, create a new key and move its users (and aliases) to it.`,
      };
    case "CUSTOM_KEY_STORE":
      return {
        ...NO_ROTATION,
        severity: "NOT_APPLICABLE",
        reason: verdict,
        description:
          facts.origin === "AWS_CLOUDHSM"
            ? "KMS cannot rotate keys in an AWS CloudHSM key store; to renew the material, create a new KMS key and move its users to it."
            : "KMS cannot rotate keys in an external key store; rotate the key in your external key manager or create a new KMS key.",
      };
  }
  if (facts.origin === "EXTERNAL") return judgeImportedMaterial(facts, policy, now);
  return judgeRotationStatus(facts, policy);
}

function awsManaged(facts: KeyFacts): Finding {
  const next = facts.rotation?.ok ? validDate(facts.rotation.nextRotation) : null;
  const nextText = next ? ` (next on ${isoDate(next)})` : "";
  return {
    severity: "OK",
    reason: "AWS_MANAGED",
    description: `AWS managed key: AWS rotates its material every year${nextText}; nothing to do.`,
    rotationStatus: "enabled",
    rotationPeriodDays: KMS_DEFAULT_PERIOD_DAYS,
    nextRotation: next,
    lastRotation: null,
    error: null,
  };
}
