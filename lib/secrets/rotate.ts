import { audit, SYSTEM, type Actor } from "@/lib/audit/log";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordContext, type Encrypter } from "./encrypter";

// Re-encrypts every stored secret with the current encrypter and key, one row per transaction
// (row locked, decrypted, re-encrypted, checked, written, audited), so an interrupted run leaves each
// value either as it was or rotated with its audit entry, and an account edited meanwhile is never
// overwritten with its old value. Stored secrets today: aws_accounts.external_id_cipher,
// aws_accounts.remediation_external_id_cipher, organizations.external_id_cipher and
// organizations.member_external_id_cipher.

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
    where: { OR: [{ externalIdCipher: { not: null } }, { remediationExternalIdCipher: { not: null } }] },
    select: { id: true, externalIdCipher: true, remediationExternalIdCipher: true },
    orderBy: { id: "asc" },
  });
  const secrets = rows.flatMap((r) => [
    ...(r.externalIdCipher ? [{ id: r.id, field: "external_id" as const }] : []),
    ...(r.remediationExternalIdCipher ? [{ id: r.id, field: "remediation_external_id" as const }] : []),
  ]);
  const orgs = await db.organization.findMany({
    where: { OR: [{ externalIdCipher: { not: null } }, { memberExternalIdCipher: { not: null } }] },
    select: { id: true, externalIdCipher: true, memberExternalIdCipher: true },
    orderBy: { id: "asc" },
  });
  const orgSecrets = orgs.flatMap((o) => [
    ...(o.externalIdCipher ? [{ id: o.id, field: "external_id" as const }] : []),
    ...(o.memberExternalIdCipher ? [{ id: o.id, field: "member_external_id" as const }] : []),
  ]);
  const report: RotationReport = {
    keyId: encrypter.keyId,
    total: secrets.length + orgSecrets.length,
    rotated: 0,
    failed: [],
  };
  for (const { id, field } of secrets) {
    try {
      if (await rotateExternalId(db, encrypter, id, field, actor)) report.rotated++;
      else report.total--; // cleared or removed since the listing
    } catch (err) {
      report.failed.push({
        record: field === "external_id" ? `aws_accounts/${id}` : `aws_accounts/${id}/${field}`,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  for (const { id, field } of orgSecrets) {
    try {
      if (await rotateOrganizationSecret(db, encrypter, id, field, actor)) report.rotated++;
      else report.total--;
    } catch (err) {
      report.failed.push({
        record: field === "external_id" ? `organizations/${id}` : `organizations/${id}/${field}`,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return report;
}

/** An organization's external id (its management access's, or the member role's), as rotateExternalId. */
async function rotateOrganizationSecret(
  db: PrismaClient,
  encrypter: Encrypter,
  id: string,
  field: "external_id" | "member_external_id",
  actor: Actor,
): Promise<boolean> {
  const context = recordContext("organizations", id, field);
  return db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ external_id_cipher: string | null; member: string | null }[]>`
        SELECT external_id_cipher, member_external_id_cipher AS member
        FROM organizations WHERE id = ${id} FOR UPDATE`;
      const stored = field === "external_id" ? row?.external_id_cipher : row?.member;
      if (!stored) return false;
      const plaintext = await encrypter.decrypt(stored, context);
      const fresh = await encrypter.encrypt(plaintext, context);
      if ((await encrypter.decrypt(fresh, context)) !== plaintext) {
        throw new Error("the new ciphertext did not decrypt to the same value; the old one is kept");
      }
      await tx.organization.update({
        where: { id },
        data: field === "external_id" ? { externalIdCipher: fresh } : { memberExternalIdCipher: fresh },
      });
      await audit(tx, {
        ...actor,
        action: "secret.rotate",
        target: field === "external_id" ? `organizations/${id}` : `organizations/${id}/${field}`,
        details: { keyId: encrypter.keyId },
      });
      return true;
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}

async function rotateExternalId(
  db: PrismaClient,
  encrypter: Encrypter,
  id: string,
  field: "external_id" | "remediation_external_id",
  actor: Actor,
): Promise<boolean> {
  const context = recordContext("aws_accounts", id, field);
  return db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ external_id_cipher: string | null; remediation: string | null }[]>`
        SELECT external_id_cipher, remediation_external_id_cipher AS remediation
        FROM aws_accounts WHERE id = ${id} FOR UPDATE`;
      const stored = field === "external_id" ? row?.external_id_cipher : row?.remediation;
      if (!stored) return false;
      const plaintext = await encrypter.decrypt(stored, context);
      const fresh = await encrypter.encrypt(plaintext, context);
      // Never replace a readable value with one that is not.
      if ((await encrypter.decrypt(fresh, context)) !== plaintext) {
        throw new Error("the new ciphertext did not decrypt to the same value; the old one is kept");
      }
      await tx.awsAccount.update({
        where: { id },
        data: field === "external_id" ? { externalIdCipher: fresh } : { remediationExternalIdCipher: fresh },
      });
      await audit(tx, {
        ...actor,
        action: "secret.rotate",
        target: field === "external_id" ? `aws_accounts/${id}` : `aws_accounts/${id}/${field}`,
        details: { keyId: encrypter.keyId },
      });
      return true;
    },
    // KMS calls happen inside: allow for SDK retries.
    { maxWait: 10_000, timeout: 120_000 },
  );
}
