import type { FixAction, FixPlanKind, KmsKey } from "@/lib/generated/prisma/client";
import { judgeKey, type SkipReason } from "./judge";

// Before a key is written, the plan's judgement is made again from the key's current row (the
// latest scan, or the last fix read back): a key deleted, disabled, excepted or already fixed since
// the plan was made is skipped with its reason.

/** Reasons that still hold for a rollback: whether KMS lets the key's rotation be changed at all. */
const ROLLBACK_SKIPS = new Set<SkipReason>([
  "KEY_GONE",
  "PENDING_DELETION",
  "KEY_DISABLED",
  "NOT_APPLICABLE",
  "IMPORTED_MATERIAL",
  "CUSTOM_KEY_STORE",
  "MULTI_REGION_REPLICA",
]);

export function recheckItem(
  kind: FixPlanKind,
  item: { action: FixAction; periodDays: number | null },
  key: KmsKey | null,
  ctx: { hasRemediationAccess: boolean; maxRotationDays: number },
): SkipReason | null {
  if (!key) return "KEY_GONE";
  const judged = judgeKey(key, {
    maxRotationDays: ctx.maxRotationDays,
    periodDays: kind === "FIX" ? item.periodDays : null,
    inScope: true,
    hasRemediationAccess: ctx.hasRemediationAccess,
  });
  if (kind === "FIX") return judged.action === "SKIP" ? judged.reason : null;
  if (judged.action === "SKIP" && ROLLBACK_SKIPS.has(judged.reason)) return judged.reason;
  return ctx.hasRemediationAccess ? null : "NO_REMEDIATION_ACCESS";
}
