import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { inForceSql } from "@/lib/exceptions/coverage";
import { describeScope } from "@/lib/exceptions/service";
import type { ExceptionKindName } from "@/lib/exceptions/schema";
import { exceptionKindFromEnum } from "./status";

import { EXPIRING_DAYS } from "@/lib/exceptions/list";

export const EXPIRING_LIST_LIMIT = 10;

export interface ExpiringException {
  id: string;
  kind: ExceptionKindName;
  justification: string;
  owner: string;
  expiresAt: Date;
  scope: string;
  /** Live keys in the user's scope it covers now. */
  keys: number;
}

export interface ExpiringExceptions {
  /** In force and expiring within EXPIRING_DAYS days: all of them. */
  total: number;
  /** The first EXPIRING_LIST_LIMIT, soonest first. */
  list: ExpiringException[];
}

/**
 * Exceptions in force that expire within 14 days and may cover the user's keys: a rule naming no
 * account (every account), or one naming an account in scope (a key list names its keys' accounts).
 * Few rows: exceptions are counted in thousands, and expires_at is indexed.
 */
export async function fetchExpiringExceptions(
  db: PrismaClient,
  scope: AccountScope,
  now = new Date(),
): Promise<ExpiringExceptions> {
  const inAccounts =
    scope === null
      ? Prisma.sql`TRUE`
      : Prisma.sql`(cardinality(x.accounts) = 0 OR x.accounts && ${scope}::char(12)[])`;
  const keysInScope =
    scope === null ? Prisma.sql`TRUE` : Prisma.sql`k.account_id = ANY(${scope}::char(12)[])`;
  const rows = await db.$queryRaw<
    {
      id: string;
      kind: string;
      justification: string;
      owner_email: string;
      expires_at: Date;
      key_arns: string[];
      accounts: string[];
      regions: string[];
      tag_key: string | null;
      tag_values: string[];
      alias_prefix: string | null;
      keys: number;
      total: number;
    }[]
  >`
    WITH clock AS (SELECT ${now}::timestamptz AS at)
    SELECT x.id, x.kind::text AS kind, x.justification, x.owner_email, x.expires_at, x.key_arns,
      x.accounts::text[] AS accounts, x.regions, x.tag_key, x.tag_values, x.alias_prefix,
      (SELECT count(*) FROM kms_keys k WHERE k.exception_id = x.id AND k.gone_at IS NULL AND ${keysInScope})::int AS keys,
      (count(*) OVER ())::int AS total
    FROM exceptions x
    WHERE ${Prisma.raw(inForceSql("x", "(SELECT at FROM clock)"))}
      AND x.expires_at <= (SELECT at FROM clock) + ${EXPIRING_DAYS} * interval '1 day'
      AND ${inAccounts}
    ORDER BY x.expires_at, x.id
    LIMIT ${EXPIRING_LIST_LIMIT}`;
  return {
    total: rows[0]?.total ?? 0,
    list: rows.map((r) => ({
      id: r.id,
      kind: exceptionKindFromEnum(r.kind),
      justification: r.justification,
      owner: r.owner_email,
      expiresAt: r.expires_at,
      scope: describeScope({
        keyArns: r.key_arns,
        accounts: r.accounts,
        regions: r.regions,
        tagKey: r.tag_key,
        tagValues: r.tag_values,
        aliasPrefix: r.alias_prefix,
      }),
      keys: r.keys,
    })),
  };
}
