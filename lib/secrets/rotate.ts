import { audit, SYSTEM, type Actor } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordContext, type Encrypter } from "./encrypter";

// Re-encrypts every stored secret with the current encrypter and key, one row per transaction
// (row locked, decrypted, re-encrypted, checked, written, audited), so an interrupted run leaves each
// value either as it was or rotated with its audit entry, and an account edited meanwhile is never
// overwritten with its old value. Stored secrets today: aws_accounts.external_id_cipher.

export interface RotationReport {
  /** The key new ciphertexts were made with. */
  keyId: string;
  total: number;
  rotated: number;
  failed: { record: string; error: string }[];
}

export async function rotateSecrets(
  db: PrismaClient,
  encrypter: Encrypter,
  actor: Actor = SYSTEM,
): Promise<RotationReport> {
  const rows = await db.awsAccount.findMany({
    where: { externalIdCipher: { not: null } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const report: RotationReport = { keyId: encrypter.keyId, total: rows.length, rotated: 0, failed: [] };
  for (const { id } of rows) {
    try {
      if (await rotateExternalId(db, encrypter, id, actor)) report.rotated++;
      else report.total--; // cleared or removed since the listing
    } catch (err) {
      report.failed.push({
        record: `aws_accounts/${id}`,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return report;
}

async function rotateExternalId(
  db: PrismaClient,
  encrypter: Encrypter,
  id: string,
  actor: Actor,
): Promise<boolean> {
  const context = recordContext("aws_accounts", id, "external_id");
  return db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ external_id_cipher: string | null }[]>`
        SELECT external_id_cipher FROM aws_accounts WHERE id = ${id} FOR UPDATE`;
      if (!row?.external_id_cipher) return false;
      const plaintext = await encrypter.decrypt(row.external_id_cipher, context);
      const fresh = await encrypter.encrypt(plaintext, context);
      // Never replace a readable value with one that is not.
      if ((await encrypter.decrypt(fresh, context)) !== plaintext) {
        throw new Error("the new ciphertext did not decrypt to the same value; the old one is kept");
      }
      await tx.awsAccount.update({ where: { id }, data: { externalIdCipher: fresh } });
      await audit(tx, {
        ...actor,
        action: "secret.rotate",
        target: `aws_accounts/${id}`,
        details: { keyId: encrypter.keyId },
      });
      return true;
    },
    // KMS calls happen inside: allow for SDK retries.
    { maxWait: 10_000, timeout: 120_000 },
  );
}
