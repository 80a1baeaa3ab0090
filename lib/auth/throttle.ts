import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

// Sign-in throttling, per email and per address: after MAX_FAILURES failures within WINDOW_MS the
// key is locked for LOCK_MS. Kept in Postgres so that it holds across restarts and servers.
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_ADDRESS = 20;
const WINDOW_MS = 15 * 60_000;
const LOCK_MS = 15 * 60_000;

const emailKey = (email: string) => `email:${email}`;
const addressKey = (ip: string) => `ip:${ip}`;

export async function checkThrottle(db: PrismaClient, email: string, ip: string): Promise<boolean> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: [emailKey(email), addressKey(ip)] } } });
  const now = Date.now();
  return rows.every((r) => !r.lockedUntil || r.lockedUntil.getTime() <= now);
}

export async function noteFailure(
  db: PrismaClient | Prisma.TransactionClient,
  email: string,
  ip: string,
): Promise<void> {
  await bump(db, emailKey(email), MAX_FAILURES_PER_EMAIL);
  await bump(db, addressKey(ip), MAX_FAILURES_PER_ADDRESS);
}

async function bump(db: PrismaClient | Prisma.TransactionClient, key: string, max: number): Promise<void> {
  const now = new Date();
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  // One statement, so concurrent failures all count.
  await db.$executeRaw`
    INSERT INTO login_throttles (key, failures, window_start, locked_until)
    VALUES (${key}, 1, ${now}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN login_throttles.window_start < ${windowStart} THEN 1 ELSE login_throttles.failures + 1 END,
      window_start = CASE WHEN login_throttles.window_start < ${windowStart} THEN ${now} ELSE login_throttles.window_start END,
      locked_until = CASE
        WHEN login_throttles.window_start >= ${windowStart} AND login_throttles.failures + 1 >= ${max}
        THEN ${new Date(now.getTime() + LOCK_MS)} ELSE login_throttles.locked_until END`;
}

export async function clearThrottle(
  db: PrismaClient | Prisma.TransactionClient,
  email: string,
): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: emailKey(email) } });
}
