/** Most severe first: sorting and "worst of" comparisons rely on this order. */
export const SEVERITIES = ["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What people read on screen. The CSV, the URL parameters and the API keep the codes above. */
export const SEVERITY_LABELS: Record<Severity, string> = {
  CRITICAL: "Critical",
  WARNING: "Warning",
  OK: "OK",
  NOT_APPLICABLE: "Not applicable",
};

/** Every reason code of the severity table in the spec, in rule order. */
export const REASON_CODES = [
  "PENDING_DELETION",
  "KEY_NOT_USABLE",
  "AWS_MANAGED",
  "UNSUPPORTED_KEY_SPEC",
  "CUSTOM_KEY_STORE",
  "IMPORTED_MATERIAL_ROTATED",
  "IMPORTED_MATERIAL_STALE",
  "ROTATION_STATUS_UNKNOWN",
  "ROTATION_ENABLED",
  "ROTATION_PERIOD_EXCEEDS_POLICY",
  "DISABLED_KEY_ROTATION_OFF",
  "ROTATION_DISABLED",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Each reason as a short sentence people read; the finding's description has the key's own details. */
export const REASON_LABELS: Record<ReasonCode, string> = {
  PENDING_DELETION: "Scheduled for deletion",
  KEY_NOT_USABLE: "Key not usable in its current state",
  AWS_MANAGED: "AWS managed: AWS rotates it every year",
  UNSUPPORTED_KEY_SPEC: "Key type KMS cannot rotate automatically",
  CUSTOM_KEY_STORE: "In a custom key store: KMS cannot rotate it",
  IMPORTED_MATERIAL_ROTATED: "Imported material within the policy",
  IMPORTED_MATERIAL_STALE: "Imported material older than the policy",
  ROTATION_STATUS_UNKNOWN: "Rotation status could not be read",
  ROTATION_ENABLED: "Rotation on, within the policy",
  ROTATION_PERIOD_EXCEEDS_POLICY: "Rotation period longer than the policy",
  DISABLED_KEY_ROTATION_OFF: "Disabled key with rotation off",
  ROTATION_DISABLED: "Automatic rotation is off",
};

/** A stored reason in words; a code this version does not know (an older or newer one) as it is. */
export function reasonLabel(reason: string): string {
  return Object.hasOwn(REASON_LABELS, reason) ? REASON_LABELS[reason as ReasonCode] : reason;
}

export const ROTATION_STATUS_LABELS = ["enabled", "disabled", "not supported", "unknown"] as const;
export type RotationStatusLabel = (typeof ROTATION_STATUS_LABELS)[number];

/** Result of GetKeyRotationStatus; for imported-material keys, a failed ListKeyRotations. */
export type RotationRead =
  | {
      ok: true;
      enabled: boolean;
      periodDays: number | null;
      nextRotation: Date | null;
    }
  | { ok: false; error: string };

/**
 * What the collector knows about one key. The enum-like fields are plain strings because AWS
 * may add values; the rules give every unknown value a finding instead of throwing.
 */
export interface KeyFacts {
  keyId: string;
  arn: string;
  keyState: string;
  keyManager: string;
  keySpec: string;
  origin: string;
  creationDate: Date | null;
  /** null when GetKeyRotationStatus was not called (see rotationCallsNeeded). */
  rotation: RotationRead | null;
  /**
   * Origin EXTERNAL only: RotationDate of every ListKeyRotations entry ([] = never rotated).
   * null/absent = not read; then `rotation` may carry the ListKeyRotations error.
   */
  importedMaterialRotations?: Date[] | null;
}

export interface RotationPolicy {
  maxRotationDays: number;
}

export interface Finding {
  severity: Severity;
  reason: ReasonCode;
  description: string;
  rotationStatus: RotationStatusLabel;
  rotationPeriodDays: number | null;
  nextRotation: Date | null;
  lastRotation: Date | null;
  error: string | null;
}
