import type { PrismaClient } from "@/lib/generated/prisma/client";

// Requests per token per fixed window, counted in PostgreSQL so that every web process behind a
// load balancer shares one count. One statement per request: the window's row is created or
// incremented and its count returned.

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 600, windowMs: 60_000 };

export type RateCheck = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export async function takeRequest(
  db: PrismaClient,
  tokenId: string,
  rate: RateLimit,
  now = new Date(),
): Promise<RateCheck> {
  const start = new Date(Math.floor(now.getTime() / rate.windowMs) * rate.windowMs);
  const [row] = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO api_rate_windows (token_id, window_start, count) VALUES (${tokenId}, ${start}, 1)
    ON CONFLICT (token_id, window_start) DO UPDATE SET count = api_rate_windows.count + 1
    RETURNING count`;
  const count = row?.count ?? 1;
  // A token's first request of a window clears its older windows.
  if (count === 1)
    await db.$executeRaw`DELETE FROM api_rate_windows WHERE token_id = ${tokenId} AND window_start < ${start}`;
  if (count <= rate.limit) return { ok: true, remaining: rate.limit - count };
  const retryAfterSeconds = Math.max(1, Math.ceil((start.getTime() + rate.windowMs - now.getTime()) / 1000));
  return { ok: false, retryAfterSeconds };
}
