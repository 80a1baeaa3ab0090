import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

// The audit trail: append-only (the table refuses UPDATE and DELETE, and there is no code here
// that tries). Who, what, when, from which address.
export interface AuditEntry {
  actorId?: string | null;
  actorEmail?: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Pass the transaction that makes the change, so the change and its entry commit together. */
export async function audit(db: PrismaClient | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId ?? null,
      actorEmail: entry.actorEmail ?? null,
      action: entry.action,
      target: entry.target ?? null,
      details: (entry.details ?? {}) as Prisma.InputJsonValue,
      ip: entry.ip ?? null,
    },
  });
}
