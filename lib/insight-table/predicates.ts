import { Prisma } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import {
  appliedFilters,
  type FilterSelection,
  type FilterValues,
  type KeyConditionOptions,
} from "./filter-defs";

// The conditions of the insight table's queries, built from the filter definitions: the user's
// account scope first, then each filter's condition in FILTER_DEFS order. User input only ever
// travels as parameters; identifiers come from the code.

/** `column` within the user's account scope: null is every account, [] is none. */
export function inScope(
  column:
    | "k.account_id"
    | "a.id"
    | "e.account_id"
    | "c.account_id"
    | "st.account_id"
    | "s.account_id"
    | "d.account_id"
    | "fe.account_id",
  scope: AccountScope,
) {
  if (scope === null) return Prisma.sql`TRUE`;
  return Prisma.sql`${Prisma.raw(column)} = ANY(${scope}::char(12)[])`;
}

/** Whether the filters select keys that are gone too (a change filter: keys deleted since). */
export function keepsGone(filters: FilterValues): boolean {
  return appliedFilters(filters).some(([def, value]) => def.keepsGone?.(value) === true);
}

/**
 * WHERE for the filters within the user's account scope, on `kms_keys k`: live keys, unless a filter
 * keeps gone ones (of every filter, selected or not: the selection only leaves out conditions).
 */
export function whereClause(
  filters: FilterValues,
  scope: AccountScope,
  opts: KeyConditionOptions & FilterSelection = {},
): Prisma.Sql {
  const conditions: (Prisma.Sql | Prisma.Sql[])[] = [inScope("k.account_id", scope)];
  if (!keepsGone(filters)) conditions.unshift(Prisma.sql`k.gone_at IS NULL`);
  // The conditions on the key's tags, in one EXISTS where the first of them comes.
  const onTag: Prisma.Sql[] = [];
  for (const [def, value] of appliedFilters(filters, opts)) {
    const onKey = def.onKey?.(value, Prisma.sql, { ...opts, values: filters, scope });
    if (onKey) conditions.push(onKey);
    const onKeyTag = def.onKeyTag?.(value, Prisma.sql);
    if (onKeyTag) {
      if (!onTag.length) conditions.push(onTag);
      onTag.push(onKeyTag);
    }
  }
  const all = conditions.map((c) =>
    Array.isArray(c)
      ? Prisma.sql`EXISTS (SELECT 1 FROM key_tags t WHERE t.kms_key_id = k.id AND ${Prisma.join(c, " AND ")})`
      : c,
  );
  return Prisma.sql`WHERE ${Prisma.join(all, " AND ")}`;
}

/**
 * The conditions on the outer table of a page walk (page-query.ts): the scope, then each filter's
 * `onAccount` (on `aws_accounts a`) or `onEvaluation` (on `kms_key_evaluations e`).
 */
export function walkConditions(
  on: "onAccount" | "onEvaluation",
  filters: FilterValues,
  scope: AccountScope,
): Prisma.Sql {
  const conditions = [inScope(on === "onAccount" ? "a.id" : "e.account_id", scope)];
  for (const [def, value] of appliedFilters(filters)) {
    const condition = def[on]?.(value, Prisma.sql);
    if (condition) conditions.push(condition);
  }
  return Prisma.join(conditions, " AND ");
}
