import { audit, type Actor } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordContext, type Encrypter } from "@/lib/secrets";
import type { RotationReport } from "@/lib/secrets/rotate";

// `secrets rotate` for alert destinations: each secret re-encrypted with the current key in its
// own transaction (row locked, decrypted, re-encrypted, checked, written, audited), as
// lib/secrets/rotate.ts does for the accounts' external ids.

export async function rotateAlertSecrets(
  db: PrismaClient,
  encrypter: Encrypter,
  actor: Actor,
): Promise<Omit<RotationReport, "keyId">> {
  const rows = await db.alertDestination.findMany({
    where: { secretCipher: { not: null } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const report = { total: rows.length, rotated: 0, failed: [] as RotationReport["failed"] };
  for (const { id } of rows) {
    const record = `alert_destinations/${id}`;
    try {
      const context = recordContext("alert_destinations", id, "secret");
      const rotated = await db.$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<{ secret_cipher: string | null }[]>`
            SELECT secret_cipher FROM alert_destinations WHERE id = ${id} FOR UPDATE`;
          if (!row?.secret_cipher) return false;
          const plaintext = await encrypter.decrypt(row.secret_cipher, context);
          const fresh = await encrypter.encrypt(plaintext, context);
          if ((await encrypter.decrypt(fresh, context)) !== plaintext) {
            throw new Error("the new ciphertext did not decrypt to the same value; the old one is kept");
          }
          await tx.alertDestination.update({ where: { id }, data: { secretCipher: fresh } });
          await audit(tx, {
            ...actor,
            action: "secret.rotate",
            target: record,
            details: { keyId: encrypter.keyId },
          });
          return true;
        },
        { maxWait: 10_000, timeout: 120_000 },
      );
      if (rotated) report.rotated++;
      else report.total--;
    } catch (err) {
      report.failed.push({ record, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}
