import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { audit } from "@/lib/audit/log";

export async function recordSignIn(
  db: PrismaClient | Prisma.TransactionClient,
  e: { email: string; ip: string; ok: boolean; userId?: string; reason?: string; locked?: string },
): Promise<void> {
  await audit(db, {
    actorId: e.userId,
    actorEmail: e.email,
    action: e.ok ? "auth.sign_in" : "auth.sign_in_failed",
    details: { ...(e.reason ? { reason: e.reason } : {}), ...(e.locked ? { locked: e.locked } : {}) },
    ip: e.ip,
  });
}
