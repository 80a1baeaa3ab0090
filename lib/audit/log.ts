import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

// The audit trail: append-only (the table refuses UPDATE, DELETE and TRUNCATE, and the application
// role may only read and insert). Who, what, when, from which address. A change and its entry are
// written by one transaction: pass the transaction's client, so that neither commits without the other.
export interface AuditEntry {
  actorId?: string | null;
  actorEmail?: string | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
  /** The API token a write came through (its name), kept in the entry's details as `apiToken`. */
  apiToken?: string | null;
}

/** Who makes a change, for the audit log: a console user, or "cli" / "system" / "scheduler". */
export interface Actor {
  actorId?: string | null;
  actorEmail: string;
  ip?: string | null;
  /** Set when the change comes through the API: the token's name. */
  apiToken?: string | null;
}

/** The actor of writes that no person asked for (first start, a caller that names none). */
export const SYSTEM: Actor = { actorEmail: "system" };

/** Pass the transaction that makes the change, so the change and its entry commit together. */
export async function audit(db: PrismaClient | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId ?? null,
      actorEmail: entry.actorEmail ?? null,
      action: entry.action,
      target: entry.target ?? null,
      details: (entry.apiToken
        ? { ...entry.details, apiToken: entry.apiToken }
        : (entry.details ?? {})) as Prisma.InputJsonValue,
      ip: entry.ip ?? null,
    },
  });
}
