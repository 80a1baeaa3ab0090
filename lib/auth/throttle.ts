import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

type Db = PrismaClient | Prisma.TransactionClient;

// Sign-in throttling, per email and per address. Every attempt reserves its place before the
// password is checked, in one statement that the key's row lock serialises: however requests
// interleave, no more than the limit are checked per window. The attempt that reaches the limit
// locks the key for LOCK_MS, and while a key is locked its attempts are refused before anything is
// written. A successful sign-in gives its place back. Kept in Postgres so that it holds across
// restarts and servers.
export const MAX_ATTEMPTS_PER_EMAIL = 5;
export const MAX_ATTEMPTS_PER_ADDRESS = 20;
const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;
// Attempts refused by the reservation itself (a race at the limit) still count, up to this.
const COUNT_CEILING = 1_000_000;

export const emailKey = (email: string) => `email:${email}`;
export const addressKey = (ip: string) => `ip:${ip}`;

export interface Reservation {
  allowed: boolean;
  /** This attempt reached the limit: the key is locked from now on. */
  locks: boolean;
}

/** Whether any of the keys is locked now: read only, so a refused attempt writes nothing. */
export async function isLocked(db: PrismaClient, keys: string[], now = new Date()): Promise<boolean> {
  const locked = await db.loginThrottle.count({ where: { key: { in: keys }, lockedUntil: { gt: now } } });
  return locked > 0;
}

export async function reserveAttempt(
  db: PrismaClient,
  key: string,
  max: number,
  now = new Date(),
): Promise<Reservation> {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  const lockUntil = new Date(now.getTime() + LOCK_MS);
  const [row] = await db.$queryRaw<{ attempts: number }[]>`
    INSERT INTO login_throttles AS t (key, failures, window_start, locked_until)
    VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_start < ${windowStart} AND coalesce(t.locked_until <= ${now}, true)
        THEN 1 ELSE least(t.failures + 1, ${COUNT_CEILING}) END,
      window_start = CASE WHEN t.window_start < ${windowStart} AND coalesce(t.locked_until <= ${now}, true)
        THEN ${now} ELSE t.window_start END,
      locked_until = CASE
        WHEN t.window_start < ${windowStart} AND coalesce(t.locked_until <= ${now}, true) THEN NULL
        WHEN t.failures + 1 = ${max} THEN ${lockUntil}
        ELSE t.locked_until END
    RETURNING failures AS attempts`;
  const attempts = row!.attempts;
  return { allowed: attempts <= max, locks: attempts === max };
}

/** Gives back a successful attempt's place on the address, and clears the email's count. */
export async function releaseAttempt(db: Db, email: string, ip: string): Promise<void> {
  await clearThrottle(db, email);
  await db.$executeRaw`
    UPDATE login_throttles SET
      failures = greatest(failures - 1, 0),
      locked_until = CASE WHEN failures - 1 < ${MAX_ATTEMPTS_PER_ADDRESS} THEN NULL ELSE locked_until END
    WHERE key = ${addressKey(ip)}`;
}

/** Drops rows whose window and lock are both over: they no longer hold anything back. */
export async function pruneThrottles(db: PrismaClient, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  await db.loginThrottle.deleteMany({
    where: {
      windowStart: { lt: windowStart },
      OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
    },
  });
}

/** Clears an email's count (an admin reset a password). */
export async function clearThrottle(db: Db, email: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: emailKey(email) } });
}
