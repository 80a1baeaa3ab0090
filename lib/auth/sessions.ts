import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

// Server-side record of each sign-in: the session cookie carries the id. A session ends when it is
// revoked (sign-out) or at its absolute expiry, however often the cookie is refreshed.
export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;

type Db = PrismaClient | Prisma.TransactionClient;

export async function openSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  await db.signInSession.create({
    data: { id, userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS) },
  });
  return id;
}

/** The session's row with its user, when it is neither revoked nor past its expiry. */
export async function findActiveSession(db: PrismaClient, id: string, now = new Date()) {
  return db.signInSession.findFirst({
    where: { id, revokedAt: null, expiresAt: { gt: now } },
    include: { user: { include: { accountScopes: { select: { accountId: true } } } } },
  });
}

export async function revokeSession(db: Db, id: string, now = new Date()) {
  const revoked = await db.signInSession.updateManyAndReturn({
    where: { id, revokedAt: null },
    data: { revokedAt: now },
    include: { user: { select: { email: true } } },
  });
  return revoked[0] ?? null;
}

/** Ended sessions are kept for a day (to tell "signed out" from "never existed"), then dropped. */
export async function pruneSessions(db: Db, now = new Date()): Promise<void> {
  await db.signInSession.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - 24 * 60 * 60_000) } },
  });
}
