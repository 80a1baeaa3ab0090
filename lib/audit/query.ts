import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditFilters } from "./filters";

// Reads of the audit log, newest first: a page for the console, every entry in batches for the CSV.
// Reads only: entries are never changed or removed (the table refuses it).

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_STREAM_BATCH = 1000;

export interface AuditRow {
  id: string;
  at: Date;
  actorEmail: string | null;
  action: string;
  target: string | null;
  details: unknown;
  ip: string | null;
}

/** Prisma's contains/startsWith become LIKE without escaping: `50%` must not mean "50 and anything". */
const literal = (s: string) => s.replace(/[\\%_]/g, "\\$&");

const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);
const nextDay = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

export function auditWhere(f: AuditFilters): Prisma.AuditLogWhereInput {
  const where: Prisma.AuditLogWhereInput = {};
  if (f.action) {
    where.action = f.action.endsWith(".") ? { startsWith: literal(f.action) } : f.action;
  }
  if (f.actor) where.actorEmail = { contains: literal(f.actor), mode: "insensitive" };
  if (f.target) where.target = { contains: literal(f.target), mode: "insensitive" };
  if (f.from || f.to) {
    where.at = { ...(f.from ? { gte: dayStart(f.from) } : {}), ...(f.to ? { lt: nextDay(f.to) } : {}) };
  }
  return where;
}

const toRow = (e: Prisma.AuditLogGetPayload<object>): AuditRow => ({
  id: String(e.id),
  at: e.at,
  actorEmail: e.actorEmail,
  action: e.action,
  target: e.target,
  details: e.details,
  ip: e.ip,
});

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  /** The page shown: the last one when the asked-for page is past the end. */
  page: number;
  pageCount: number;
}

export async function fetchAuditPage(db: PrismaClient, filters: AuditFilters): Promise<AuditPage> {
  const where = auditWhere(filters);
  const total = await db.auditLog.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(filters.page, pageCount);
  const entries = await db.auditLog.findMany({
    where,
    orderBy: { id: "desc" },
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
  });
  return { rows: entries.map(toRow), total, page, pageCount };
}

/**
 * Every entry the filters select, newest first, read in keyset batches (id below the last one
 * seen), so memory stays flat and entries appended meanwhile do not shift what comes next.
 */
export async function* streamAuditRows(
  db: PrismaClient,
  filters: AuditFilters,
  batchSize = AUDIT_STREAM_BATCH,
): AsyncGenerator<AuditRow, void, undefined> {
  const where = auditWhere(filters);
  let below: bigint | undefined;
  for (;;) {
    const batch = await db.auditLog.findMany({
      where: below === undefined ? where : { AND: [where, { id: { lt: below } }] },
      orderBy: { id: "desc" },
      take: batchSize,
    });
    for (const entry of batch) yield toRow(entry);
    if (batch.length < batchSize) return;
    below = batch[batch.length - 1]!.id;
  }
}

/** The distinct actions in the log, for the filter's choices (a skip scan over the action index). */
export async function listAuditActions(db: PrismaClient): Promise<string[]> {
  const rows = await db.$queryRaw<{ action: string }[]>`
    WITH RECURSIVE actions AS (
      (SELECT action FROM audit_log ORDER BY action LIMIT 1)
      UNION ALL
      SELECT (SELECT a.action FROM audit_log a WHERE a.action > actions.action ORDER BY a.action LIMIT 1)
      FROM actions WHERE actions.action IS NOT NULL
    )
    SELECT action FROM actions WHERE action IS NOT NULL`;
  return rows.map((r) => r.action);
}
