import type { KmsKey, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { evaluateKey } from "./rules";
import type { KeyFacts, RotationRead } from "./types";

// The policy's maximum rotation period changes only the verdicts of rules 6 and 8 (imported
// material age, rotation period); those keys are judged again from their stored facts, in batches.
const POLICY_REASONS = [
  "IMPORTED_MATERIAL_ROTATED",
  "IMPORTED_MATERIAL_STALE",
  "ROTATION_ENABLED",
  "ROTATION_PERIOD_EXCEEDS_POLICY",
];
const BATCH = 2_000;

/** The facts a key row stores, as the rules read them (`rotation` overrides the stored rotation). */
export function storedFacts(k: KmsKey, rotation?: RotationRead): KeyFacts {
  return {
    keyId: k.keyId,
    arn: k.arn,
    keyState: k.keyState,
    keyManager: k.keyManager,
    keySpec: k.keySpec,
    origin: k.origin,
    creationDate: k.creationDate,
    rotation:
      rotation ??
      (k.rotationEnabled === null
        ? null
        : {
            ok: true,
            enabled: k.rotationEnabled,
            periodDays: k.rotationPeriodDays,
            nextRotation: k.nextRotation,
          }),
    importedMaterialRotations: k.lastRotation ? [k.lastRotation] : [],
  };
}

/**
 * Judges the policy-dependent keys again and writes those whose verdict changed, in batches;
 * `afterBatch` gets each batch's changed key ids (the caller looks for the exceptions of keys that
 * started failing: lib/exceptions/apply.ts coverKeys). Returns how many changed.
 */
export async function reevaluateFindings(
  db: PrismaClient | Prisma.TransactionClient,
  maxRotationDays: number,
  now = new Date(),
  afterBatch?: (ids: string[]) => Promise<unknown>,
): Promise<number> {
  let changed = 0;
  let after = "";
  for (;;) {
    const keys = await db.kmsKey.findMany({
      where: { goneAt: null, reason: { in: POLICY_REASONS }, id: { gt: after } },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (!keys.length) return changed;
    after = keys[keys.length - 1]!.id;
    const updates = keys.flatMap((k) => {
      const facts = storedFacts(k);
      const f = evaluateKey(facts, { maxRotationDays }, now);
      if (f.reason === k.reason && f.description === k.findingDescription) return [];
      return [{ id: k.id, severity: f.severity, reason: f.reason, description: f.description }];
    });
    if (updates.length) {
      await db.$executeRaw`
        UPDATE kms_keys k SET severity = u.severity::"Severity", reason = u.reason,
          finding_description = u.description, evaluated_at = ${now}
        FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS u(id text, severity text, reason text, description text)
        WHERE k.id = u.id`;
      await afterBatch?.(updates.map((u) => u.id));
      changed += updates.length;
    }
  }
}
