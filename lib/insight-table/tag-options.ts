import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { TAG_KEY_MAX, TAG_VALUE_MAX } from "./filter-defs";
import { inScope } from "./predicates";

// The choices of the tag filters: the tag keys, and the values of one key, that live keys in the
// user's scope carry. A plain DISTINCT would read every key_tags row (millions at a million keys);
// instead a recursive query walks the (tag_key, tag_value) index from one distinct entry to the
// next (a "loose index scan"), checks each against the keys (usually the first live key answers),
// and stops once it has found `limit`. Entries longer than AWS allows (a hostile or odd answer) are
// left out: the filters could not ask for them.

export const TAG_KEYS_LIMIT = 500;
export const TAG_VALUES_LIMIT = 1000;

/**
 * Distinct values of `column` in key_tags (for one tag key when `tagKey` is given), in the
 * database's order, that a live key in scope carries.
 */
async function walkDistinct(
  db: PrismaClient,
  opts: {
    column: "tag_key" | "tag_value";
    tagKey?: string;
    maxLength: number;
    limit: number;
    scope: AccountScope;
  },
): Promise<string[]> {
  const column = Prisma.raw(opts.column);
  const sameKey = opts.tagKey === undefined ? Prisma.sql`TRUE` : Prisma.sql`t.tag_key = ${opts.tagKey}`;
  const next = (after: Prisma.Sql) => Prisma.sql`(SELECT t.${column} FROM key_tags t
    WHERE ${sameKey} AND t.${column} > ${after} ORDER BY t.${column} LIMIT 1)`;
  const first = Prisma.sql`(SELECT t.${column} FROM key_tags t WHERE ${sameKey} ORDER BY t.${column} LIMIT 1)`;
  const live = (
    value: Prisma.Sql,
  ) => Prisma.sql`LATERAL (SELECT length(${value}) <= ${opts.maxLength} AND EXISTS (
      SELECT 1 FROM key_tags t JOIN kms_keys k ON k.id = t.kms_key_id
      WHERE ${sameKey} AND t.${column} = ${value} AND k.gone_at IS NULL AND ${inScope("k.account_id", opts.scope)}
    ) AS ok) l`;
  const rows = await db.$queryRaw<{ value: string }[]>(Prisma.sql`
    WITH RECURSIVE walk(value, ok, found) AS (
      SELECT f.value, l.ok, l.ok::int FROM (SELECT ${first} AS value) f, ${live(Prisma.sql`f.value`)}
      WHERE f.value IS NOT NULL
      UNION ALL
      SELECT n.value, l.ok, w.found + l.ok::int
      FROM walk w, LATERAL (SELECT ${next(Prisma.sql`w.value`)} AS value) n, ${live(Prisma.sql`n.value`)}
      WHERE n.value IS NOT NULL AND w.found < ${opts.limit}
    )
    SELECT value FROM walk WHERE ok ORDER BY value`);
  return rows.map((r) => r.value);
}

export function fetchTagKeys(db: PrismaClient, scope: AccountScope): Promise<string[]> {
  return walkDistinct(db, { column: "tag_key", maxLength: TAG_KEY_MAX, limit: TAG_KEYS_LIMIT, scope });
}

/** The values of one tag key ("" included: AWS allows empty values). */
export function fetchTagValues(db: PrismaClient, tagKey: string, scope: AccountScope): Promise<string[]> {
  return walkDistinct(db, {
    column: "tag_value",
    tagKey,
    maxLength: TAG_VALUE_MAX,
    limit: TAG_VALUES_LIMIT,
    scope,
  });
}
