import type { KmsKey, Prisma } from "@/lib/generated/prisma/client";
import { coverKeys } from "@/lib/exceptions/apply";
import { storedFacts } from "@/lib/verdict/reevaluate";
import { evaluateKey } from "@/lib/verdict/rules";

/** A key's rotation as GetKeyRotationStatus reads it. */
export interface RotationState {
  enabled: boolean;
  periodDays: number | null;
  nextRotation: Date | null;
}

/**
 * The key's finding judged again from the rotation just read back, written to its row the way a
 * scan writes it (rotation fields, verdict, the exception that covers it while it fails): the table
 * shows the fix at once, without waiting for the next scan. Call it in the transaction that
 * records the fix.
 */
export async function recordRotation(
  tx: Prisma.TransactionClient,
  key: KmsKey,
  read: RotationState,
  maxRotationDays: number,
  now: Date,
): Promise<{ severity: string; reason: string }> {
  const finding = evaluateKey(storedFacts(key, { ok: true, ...read }), { maxRotationDays }, now);
  await tx.kmsKey.update({
    where: { id: key.id },
    data: {
      rotationEnabled: read.enabled,
      rotationPeriodDays: finding.rotationPeriodDays,
      nextRotation: finding.nextRotation,
      rotationError: null,
      severity: finding.severity,
      reason: finding.reason,
      findingDescription: finding.description,
      rotationStatus: finding.rotationStatus,
      evaluatedAt: now,
    },
  });
  await coverKeys(tx, [key.id], now);
  return { severity: finding.severity, reason: finding.reason };
}
