import { KMS_DEFAULT_PERIOD_DAYS } from "@/lib/verdict/rotation-rules";

// What a fix would do to one key: call EnableKeyRotation with a period, or skip it with a reason.
// Pure and shared: the stored plan, the CLI commands view and the script all judge keys here, so
// they never disagree about which keys a fix touches.

/** Why a key is listed in a plan but not called, in the order they are checked. */
export const SKIP_REASONS = [
  "OUT_OF_SCOPE",
  "KEY_GONE",
  "PENDING_DELETION",
  "KEY_DISABLED",
  "NOT_APPLICABLE",
  "IMPORTED_MATERIAL",
  "CUSTOM_KEY_STORE",
  "MULTI_REGION_REPLICA",
  "EXCEPTED",
  "ALREADY_ROTATING",
  "NO_REMEDIATION_ACCESS",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const SKIP_REASON_LABELS: Record<SkipReason, string> = {
  OUT_OF_SCOPE: "Outside your account scope",
  KEY_GONE: "Key no longer exists",
  PENDING_DELETION: "Scheduled for deletion",
  KEY_DISABLED: "Key is disabled: KMS refuses to change its rotation",
  NOT_APPLICABLE: "KMS cannot rotate this key automatically (AWS managed, asymmetric, HMAC or not usable)",
  IMPORTED_MATERIAL: "Imported key material: rotate it by importing new material",
  CUSTOM_KEY_STORE: "In a custom key store: KMS cannot rotate it",
  MULTI_REGION_REPLICA: "Multi-Region replica: the plan sets rotation on its primary key",
  EXCEPTED: "Covered by an exception in force",
  ALREADY_ROTATING: "Already rotating within the policy",
  NO_REMEDIATION_ACCESS: "Its account has no remediation access",
};

/** A skip reason in words; an unknown code as it is. */
export function skipReasonLabel(reason: string): string {
  return Object.hasOwn(SKIP_REASON_LABELS, reason) ? SKIP_REASON_LABELS[reason as SkipReason] : reason;
}

/** The key's fields a judgement reads (a KmsKey row has them all). */
export interface FixableKey {
  arn: string;
  keyState: string;
  keyManager: string;
  keySpec: string;
  origin: string;
  multiRegionType: string | null;
  primaryKeyArn: string | null;
  rotationEnabled: boolean | null;
  rotationPeriodDays: number | null;
  status: string; // FindingStatus
  goneAt: Date | null;
}

export interface JudgeContext {
  /** The policy's longest allowed period (settings' policy.maxRotationDays). */
  maxRotationDays: number;
  /** The period asked for; null means the policy maximum. Checked by `checkPeriod` first. */
  periodDays: number | null;
  /** The planner may act on this key's account (their account scope). */
  inScope: boolean;
  /** The key's account has remediation access. False in the commands view does not matter. */
  hasRemediationAccess: boolean;
}

export type Judgement =
  | { action: "ENABLE_ROTATION"; periodDays: number }
  | { action: "SKIP"; reason: SkipReason; /** For a replica: the key to fix instead. */ primaryArn?: string };

const DELETION_STATES = new Set(["PendingDeletion", "PendingReplicaDeletion"]);
const CUSTOM_ORIGINS = new Set(["AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"]);

/** What a fix does to this key. The planner adds a replica's primary itself (`primaryArn`). */
export function judgeKey(key: FixableKey, ctx: JudgeContext): Judgement {
  const skip = (reason: SkipReason): Judgement => ({ action: "SKIP", reason });
  if (!ctx.inScope) return skip("OUT_OF_SCOPE");
  if (key.goneAt) return skip("KEY_GONE");
  if (DELETION_STATES.has(key.keyState)) return skip("PENDING_DELETION");
  if (key.keyState === "Disabled") return skip("KEY_DISABLED");
  if (key.keyState !== "Enabled" || key.keyManager === "AWS" || key.keySpec !== "SYMMETRIC_DEFAULT")
    return skip("NOT_APPLICABLE");
  if (key.origin === "EXTERNAL") return skip("IMPORTED_MATERIAL");
  if (CUSTOM_ORIGINS.has(key.origin)) return skip("CUSTOM_KEY_STORE");
  if (key.multiRegionType === "REPLICA") {
    return key.primaryKeyArn
      ? { action: "SKIP", reason: "MULTI_REGION_REPLICA", primaryArn: key.primaryKeyArn }
      : skip("MULTI_REGION_REPLICA");
  }
  if (key.status === "EXCEPTED") return skip("EXCEPTED");
  const target = ctx.periodDays ?? ctx.maxRotationDays;
  if (key.rotationEnabled === true) {
    const current = key.rotationPeriodDays ?? KMS_DEFAULT_PERIOD_DAYS;
    // Within the policy and no shorter period asked for: nothing to change.
    if (current <= ctx.maxRotationDays && (ctx.periodDays === null || current <= ctx.periodDays))
      return skip("ALREADY_ROTATING");
  }
  if (!ctx.hasRemediationAccess) return skip("NO_REMEDIATION_ACCESS");
  return { action: "ENABLE_ROTATION", periodDays: target };
}

/** A requested rotation period: null for the policy maximum, else 90 to the maximum; a message if not. */
export function checkPeriod(
  value: number | null,
  maxRotationDays: number,
): { ok: true; periodDays: number | null } | { ok: false; message: string } {
  if (value === null) return { ok: true, periodDays: null };
  if (!Number.isInteger(value) || value < 90 || value > maxRotationDays)
    return {
      ok: false,
      message: `The rotation period is a whole number of days from 90 to the policy's maximum, ${maxRotationDays}.`,
    };
  return { ok: true, periodDays: value };
}
