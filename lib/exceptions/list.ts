import type { PrismaClient } from "@/lib/generated/prisma/client";
import { sweepExpiredExceptions } from "./apply";
import { describeScope } from "./service";

// Exceptions as lists show them: each version with its state now and the keys it covers.

/** In force with at most this many days left: "expiring" (the overview and the lists warn of it). */
export const EXPIRING_DAYS = 14;
const DAY = 86_400_000;

/**
 * A version's state: pending (waiting for approval), active (in force), expiring (in force, ends
 * within EXPIRING_DAYS), expired, revoked, superseded (a later version replaced it).
 */
export const EXCEPTION_STATES = [
  "active",
  "expiring",
  "expired",
  "revoked",
  "pending",
  "superseded",
] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

interface StateFields {
  approvedAt: Date | null;
  revokedAt: Date | null;
  supersededAt: Date | null;
  expiresAt: Date;
}

export function exceptionState(x: StateFields, now: Date): ExceptionState {
  if (x.revokedAt) return "revoked";
  if (x.supersededAt) return "superseded";
  if (x.expiresAt <= now) return "expired";
  if (!x.approvedAt) return "pending";
  return x.expiresAt.getTime() - now.getTime() <= EXPIRING_DAYS * DAY ? "expiring" : "active";
}

export interface ListedException {
  id: string;
  seriesId: string;
  version: number;
  state: ExceptionState;
  kind: "ACCEPTED_RISK" | "FALSE_POSITIVE";
  justification: string;
  ownerEmail: string;
  createdByEmail: string;
  createdAt: Date;
  expiresAt: Date;
  ticketUrl: string | null;
  scope: string;
  /** Live keys it covers now. */
  keys: number;
  approvedByEmail: string | null;
  revokedByEmail: string | null;
  supersededBy: string | null;
}

/**
 * Every version (the newest first), or those in `states`; expired exceptions are swept first, so
 * that the keys they covered count as open again.
 */
export async function listExceptions(
  db: PrismaClient,
  opts: { states?: readonly ExceptionState[]; now?: Date } = {},
): Promise<ListedException[]> {
  const now = opts.now ?? new Date();
  await sweepExpiredExceptions(db, now);
  const [rows, counts] = await Promise.all([
    db.findingException.findMany({ orderBy: [{ createdAt: "desc" }, { id: "asc" }] }),
    db.$queryRaw<{ id: string; n: number }[]>`
      SELECT exception_id AS id, count(*)::int AS n FROM kms_keys
      WHERE exception_id IS NOT NULL AND gone_at IS NULL GROUP BY exception_id`,
  ]);
  const keys = new Map(counts.map((c) => [c.id, c.n]));
  return rows
    .map((x) => ({
      id: x.id,
      seriesId: x.seriesId,
      version: x.version,
      state: exceptionState(x, now),
      kind: x.kind,
      justification: x.justification,
      ownerEmail: x.ownerEmail,
      createdByEmail: x.createdByEmail,
      createdAt: x.createdAt,
      expiresAt: x.expiresAt,
      ticketUrl: x.ticketUrl,
      scope: describeScope(x),
      keys: keys.get(x.id) ?? 0,
      approvedByEmail: x.approvedByEmail,
      revokedByEmail: x.revokedByEmail,
      supersededBy: x.supersededBy,
    }))
    .filter((x) => !opts.states?.length || opts.states.includes(x.state));
}
