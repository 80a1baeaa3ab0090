import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { queryEntries, quoteForNotice, type QueryParams } from "@/lib/query-params";
import { exceptionKindFromEnum } from "@/lib/triage/status";
import { sweepExpiredExceptions } from "./apply";
import type { ExceptionKindName, ExceptionScope } from "./schema";

// The exceptions as the console lists them: by state at `now`, within the reader's accounts. The
// state is decided once, in SQL (STATE_SQL), for the filter, the order and the row alike.

/** The states the list filters by (`?state=`), in the order the page offers them. */
export const EXCEPTION_STATES = ["pending", "active", "expiring", "expired", "revoked"] as const;
export type ListedState = (typeof EXCEPTION_STATES)[number];
/** A replaced version is listed only with its series (the exception's own page). */
export type ExceptionState = ListedState | "superseded";

export const STATE_LABELS: Record<ExceptionState, string> = {
  pending: "Pending approval",
  active: "Active",
  expiring: "Expiring",
  expired: "Expired",
  revoked: "Revoked",
  superseded: "Superseded",
};

/** An exception in force that ends within this many days is "expiring" (it is active too). */
export const EXPIRING_DAYS = 14;
export const EXCEPTIONS_PAGE_SIZE = 50;

export interface ExceptionRow {
  id: string;
  seriesId: string;
  version: number;
  kind: ExceptionKindName;
  justification: string;
  ownerEmail: string;
  createdByEmail: string;
  createdAt: Date;
  expiresAt: Date;
  ticketUrl: string | null;
  scope: ExceptionScope;
  approvedAt: Date | null;
  approvedByEmail: string | null;
  revokedAt: Date | null;
  revokedByEmail: string | null;
  supersededAt: Date | null;
  supersededBy: string | null;
  state: ExceptionState;
  /** Failing findings of live keys it excepts now (0 unless in force). */
  keysCovered: number;
}

export interface ExceptionListFilters {
  /** None: every state but superseded. */
  states: ListedState[];
  page: number;
}

/** `?state=` (repeatable) and `?page=`; never throws: what it cannot use becomes a notice. */
export function parseExceptionFilters(params: QueryParams): {
  filters: ExceptionListFilters;
  notices: string[];
} {
  const states = new Set<ListedState>();
  const notices: string[] = [];
  let page = 1;
  for (const [name, value] of queryEntries(params)) {
    if (name === "state") {
      if ((EXCEPTION_STATES as readonly string[]).includes(value)) states.add(value as ListedState);
      else
        notices.push(
          `Ignored state ${quoteForNotice(value)}: choose ${EXCEPTION_STATES.join(", ")}. Showing the others.`,
        );
    } else if (name === "page") {
      if (/^\d{1,6}$/.test(value) && Number(value) >= 1) page = Number(value);
      else notices.push(`Ignored page ${quoteForNotice(value)}: it must be a whole number from 1.`);
    }
  }
  return {
    filters: { states: EXCEPTION_STATES.filter((s) => states.has(s)), page },
    notices: notices.slice(0, 10),
  };
}

/** The list's URL for `filters` (defaults left out). */
export function exceptionsHref(filters: Partial<ExceptionListFilters> = {}): string {
  const params = new URLSearchParams();
  for (const s of filters.states ?? []) params.append("state", s);
  if (filters.page && filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/exceptions?${query}` : "/exceptions";
}

const stateSql = (now: Date) => Prisma.sql`CASE
  WHEN x.superseded_at IS NOT NULL THEN 'superseded'
  WHEN x.revoked_at IS NOT NULL THEN 'revoked'
  WHEN x.expires_at <= ${now} THEN 'expired'
  WHEN x.approved_at IS NULL THEN 'pending'
  WHEN x.expires_at <= ${now}::timestamptz + ${EXPIRING_DAYS} * interval '1 day' THEN 'expiring'
  ELSE 'active' END`;

const STATE_RANK = Prisma.sql`array_position(ARRAY['pending','expiring','active','expired','revoked','superseded'], state)`;

/**
 * A scoped reader sees an exception only when every account it names is theirs: a rule naming no
 * account covers every account, so it is not shown to them.
 */
function scopeSql(scope: AccountScope): Prisma.Sql {
  if (scope === null) return Prisma.sql`TRUE`;
  return Prisma.sql`(cardinality(x.accounts) > 0 AND x.accounts::text[] <@ ${[...scope]}::text[])`;
}

interface RawRow {
  id: string;
  series_id: string;
  version: number;
  kind: "ACCEPTED_RISK" | "FALSE_POSITIVE";
  justification: string;
  owner_email: string;
  created_by_email: string;
  created_at: Date;
  expires_at: Date;
  ticket_url: string | null;
  key_arns: string[];
  accounts: string[];
  regions: string[];
  tag_key: string | null;
  tag_values: string[];
  alias_prefix: string | null;
  approved_at: Date | null;
  approved_by_email: string | null;
  revoked_at: Date | null;
  revoked_by_email: string | null;
  superseded_at: Date | null;
  superseded_by: string | null;
  state: ExceptionState;
  keys_covered: number;
  total: number;
}

/** The exceptions (one page) with the states asked for, visible to `scope`, at `now`. */
export async function listExceptions(
  db: PrismaClient,
  filters: ExceptionListFilters,
  scope: AccountScope,
  now = new Date(),
): Promise<{ rows: ExceptionRow[]; total: number }> {
  await sweepExpiredExceptions(db, now);
  const states: ExceptionState[] = filters.states.length
    ? filters.states.includes("active")
      ? [...filters.states, "expiring"]
      : filters.states
    : EXCEPTION_STATES.slice();
  const offset = (filters.page - 1) * EXCEPTIONS_PAGE_SIZE;
  const rows = await selectExceptions(
    db,
    now,
    Prisma.sql`${scopeSql(scope)}`,
    Prisma.sql`state = ANY(${states}::text[])`,
    Prisma.sql`ORDER BY ${STATE_RANK},
      CASE WHEN state IN ('pending', 'expiring', 'active') THEN expires_at END ASC,
      coalesce(revoked_at, expires_at) DESC, id
      LIMIT ${EXCEPTIONS_PAGE_SIZE} OFFSET ${offset}`,
  );
  return { rows: rows.map(toRow), total: rows[0]?.total ?? (offset ? await countOnly() : 0) };

  async function countOnly(): Promise<number> {
    const [c] = await selectExceptions(
      db,
      now,
      scopeSql(scope),
      Prisma.sql`state = ANY(${states}::text[])`,
      Prisma.sql`LIMIT 1`,
    );
    return c?.total ?? 0;
  }
}

/** The rows of `exceptions x` matching `where` and `stateWhere`, ordered and cut by `tail`. */
function selectExceptions(
  db: PrismaClient,
  now: Date,
  where: Prisma.Sql,
  stateWhere: Prisma.Sql,
  tail: Prisma.Sql,
): Promise<RawRow[]> {
  // The page is cut first: the covered keys are counted for its rows only.
  return db.$queryRaw<RawRow[]>`
    SELECT p.*, (SELECT count(*)::int FROM kms_keys k WHERE k.exception_id = p.id AND k.gone_at IS NULL) AS keys_covered
    FROM (
      SELECT s.*, count(*) OVER ()::int AS total FROM (
        SELECT x.id, x.series_id, x.version, x.kind::text AS kind, x.justification, x.owner_email,
          x.created_by_email, x.created_at, x.expires_at, x.ticket_url, x.key_arns, x.accounts::text[] AS accounts,
          x.regions, x.tag_key, x.tag_values, x.alias_prefix, x.approved_at, x.approved_by_email,
          x.revoked_at, x.revoked_by_email, x.superseded_at, x.superseded_by, ${stateSql(now)} AS state
        FROM exceptions x WHERE ${where}
      ) s WHERE ${stateWhere}
      ${tail}
    ) p`;
}

function toRow(r: RawRow): ExceptionRow {
  return {
    id: r.id,
    seriesId: r.series_id,
    version: r.version,
    kind: exceptionKindFromEnum(r.kind),
    justification: r.justification,
    ownerEmail: r.owner_email,
    createdByEmail: r.created_by_email,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    ticketUrl: r.ticket_url,
    scope: {
      keyArns: r.key_arns,
      accounts: r.accounts.map((a) => a.trim()),
      regions: r.regions,
      tagKey: r.tag_key,
      tagValues: r.tag_values,
      aliasPrefix: r.alias_prefix,
    },
    approvedAt: r.approved_at,
    approvedByEmail: r.approved_by_email,
    revokedAt: r.revoked_at,
    revokedByEmail: r.revoked_by_email,
    supersededAt: r.superseded_at,
    supersededBy: r.superseded_by,
    state: r.state,
    keysCovered: r.keys_covered,
  };
}

export interface ExceptionKeyRef {
  /** The key page's id. */
  id: string;
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
}

export interface ExceptionDetail {
  exception: ExceptionRow;
  /** Every version of its series, the first first (superseded ones too). */
  versions: ExceptionRow[];
  /** Keys it covers now (at most KEYS_SHOWN). */
  coveredKeys: ExceptionKeyRef[];
  /** Findings it covered that opened again when it ended (expired, revoked), at most KEYS_SHOWN. */
  endedKeys: (ExceptionKeyRef & { reason: "EXPIRED" | "REVOKED"; at: Date })[];
}

export const KEYS_SHOWN = 50;
const EXCEPTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** One exception with its series and keys; null when unknown or outside `scope`. */
export async function fetchException(
  db: PrismaClient,
  id: string,
  scope: AccountScope,
  now = new Date(),
): Promise<ExceptionDetail | null> {
  if (!EXCEPTION_ID.test(id)) return null;
  await sweepExpiredExceptions(db, now);
  const [raw] = await selectExceptions(
    db,
    now,
    Prisma.sql`x.id = ${id} AND ${scopeSql(scope)}`,
    Prisma.sql`TRUE`,
    Prisma.empty,
  );
  if (!raw) return null;
  const exception = toRow(raw);
  const [versions, coveredKeys, endedKeys] = await Promise.all([
    selectExceptions(
      db,
      now,
      Prisma.sql`x.series_id = ${exception.seriesId} AND ${scopeSql(scope)}`,
      Prisma.sql`TRUE`,
      Prisma.sql`ORDER BY version`,
    ),
    db.kmsKey.findMany({
      where: { exceptionId: id, goneAt: null },
      select: { id: true, keyId: true, arn: true, accountId: true, region: true },
      orderBy: [{ accountId: "asc" }, { region: "asc" }, { keyId: "asc" }],
      take: KEYS_SHOWN,
    }),
    db.$queryRaw<(ExceptionKeyRef & { reason: "EXPIRED" | "REVOKED"; at: Date })[]>`
      SELECT DISTINCT ON (k.id) k.id, k.key_id AS "keyId", k.arn, k.account_id::text AS "accountId",
        k.region, e.reason, e.at
      FROM finding_events e JOIN kms_keys k ON k.id = e.kms_key_id
      WHERE e.exception_id = ${id} AND e.kind = 'EXCEPTION_ENDED'
      ORDER BY k.id, e.at DESC
      LIMIT ${KEYS_SHOWN}`,
  ]);
  return {
    exception,
    versions: versions.map(toRow),
    coveredKeys: coveredKeys.map((k) => ({ ...k, accountId: k.accountId.trim() })),
    endedKeys: endedKeys.map((k) => ({ ...k, accountId: k.accountId.trim() })),
  };
}

/**
 * Every exception visible to `scope` with one of `states` (none: every state, superseded versions
 * included), newest first: the CLI's list, which has no pages.
 */
export async function listAllExceptions(
  db: PrismaClient,
  states: readonly ExceptionState[],
  scope: AccountScope,
  now = new Date(),
): Promise<ExceptionRow[]> {
  await sweepExpiredExceptions(db, now);
  const all: ExceptionState[] = [...EXCEPTION_STATES, "superseded"];
  const rows = await selectExceptions(
    db,
    now,
    scopeSql(scope),
    Prisma.sql`state = ANY(${states.length ? [...states] : all}::text[])`,
    Prisma.sql`ORDER BY created_at DESC, id`,
  );
  return rows.map(toRow);
}
