// Read helpers over an estate, for tests that compute what a caller should see.
import type { Estate, SandboxAccount, SandboxAlias, SandboxKey } from "./estate-types";

export function allKeys(estate: Estate): SandboxKey[] {
  return estate.accounts.flatMap((account) =>
    Object.values(account.regions).flatMap((region) => region.keys),
  );
}

export function findAccount(estate: Estate, accountId: string): SandboxAccount | undefined {
  return estate.accounts.find((account) => account.id === accountId);
}

export function keysIn(estate: Estate, accountId: string, region: string): SandboxKey[] {
  return findAccount(estate, accountId)?.regions[region]?.keys ?? [];
}

export function aliasesIn(estate: Estate, accountId: string, region: string): SandboxAlias[] {
  return findAccount(estate, accountId)?.regions[region]?.aliases ?? [];
}

export type Severity = "CRITICAL" | "WARNING" | "OK" | "NOT_APPLICABLE";
export type ReasonCode =
  | "PENDING_DELETION"
  | "KEY_NOT_USABLE"
  | "AWS_MANAGED"
  | "UNSUPPORTED_KEY_SPEC"
  | "CUSTOM_KEY_STORE"
  | "IMPORTED_MATERIAL_ROTATED"
  | "IMPORTED_MATERIAL_STALE"
  | "ROTATION_STATUS_UNKNOWN"
  | "ROTATION_ENABLED"
  | "ROTATION_PERIOD_EXCEEDS_POLICY"
  | "DISABLED_KEY_ROTATION_OFF"
  | "ROTATION_DISABLED";

const SEVERITY: Record<ReasonCode, Severity> = {
  PENDING_DELETION: "NOT_APPLICABLE",
  KEY_NOT_USABLE: "NOT_APPLICABLE",
  AWS_MANAGED: "OK",
  UNSUPPORTED_KEY_SPEC: "NOT_APPLICABLE",
  CUSTOM_KEY_STORE: "NOT_APPLICABLE",
  IMPORTED_MATERIAL_ROTATED: "OK",
  IMPORTED_MATERIAL_STALE: "WARNING",
  ROTATION_STATUS_UNKNOWN: "WARNING",
  ROTATION_ENABLED: "OK",
  ROTATION_PERIOD_EXCEEDS_POLICY: "WARNING",
  DISABLED_KEY_ROTATION_OFF: "WARNING",
  ROTATION_DISABLED: "CRITICAL",
};

export const severityOf = (reason: ReasonCode): Severity => SEVERITY[reason];

/**
 * The reason the spec's table gives for a key when the sandbox answers without faults: the
 * ground truth a collector + evaluator run against this estate should reproduce.
 */
export function expectedReason(
  key: SandboxKey,
  options: { now: Date; maxRotationPeriodDays?: number },
): ReasonCode {
  const maxDays = options.maxRotationPeriodDays ?? 365;
  const m = key.metadata;
  if (m.KeyState === "PendingDeletion" || m.KeyState === "PendingReplicaDeletion") return "PENDING_DELETION";
  if (["Creating", "Updating", "PendingImport", "Unavailable"].includes(m.KeyState)) return "KEY_NOT_USABLE";
  if (m.KeyManager === "AWS") return "AWS_MANAGED";
  if (m.KeySpec !== "SYMMETRIC_DEFAULT") return "UNSUPPORTED_KEY_SPEC";
  if (m.Origin === "AWS_CLOUDHSM" || m.Origin === "EXTERNAL_KEY_STORE") return "CUSTOM_KEY_STORE";
  if (m.Origin === "EXTERNAL") {
    const newest = key.rotations.at(-1)?.RotationDate ?? m.CreationDate;
    const ageDays = (options.now.getTime() - newest.getTime()) / 86_400_000;
    return ageDays <= maxDays ? "IMPORTED_MATERIAL_ROTATED" : "IMPORTED_MATERIAL_STALE";
  }
  if (key.rotationStatusError) return "ROTATION_STATUS_UNKNOWN";
  if (key.rotation.enabled) {
    return (key.rotation.periodInDays ?? 365) <= maxDays
      ? "ROTATION_ENABLED"
      : "ROTATION_PERIOD_EXCEEDS_POLICY";
  }
  return m.KeyState === "Disabled" ? "DISABLED_KEY_ROTATION_OFF" : "ROTATION_DISABLED";
}
