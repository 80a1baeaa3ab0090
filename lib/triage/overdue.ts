import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Marks the open findings that fell due since they were last written (kms_keys.overdue, migration
 * 20261207100000), so that the count tables count them as overdue: the readers add the unmarked
 * ones themselves, so the counts are exact without this sweep, only slower as they pile up.
 * Rows another transaction holds are left for the next sweep (SKIP LOCKED): it never waits on a
 * scan's writes, so it can never deadlock with them. Idempotent; returns how many it marked.
 */
export async function markOverdueFindings(db: PrismaClient): Promise<number> {
  return db.$executeRaw`
    UPDATE kms_keys SET overdue = true
    WHERE id IN (
      SELECT id FROM kms_keys
      WHERE gone_at IS NULL AND status = 'OPEN' AND NOT overdue AND due_at < now()
      FOR UPDATE SKIP LOCKED
    )`;
}
