import { Prisma } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import {
  appliedFilters,
  COUNT_TABLES,
  type CountTable,
  type FilterSelection,
  type FilterValues,
  isSet,
} from "./filter-defs";
import { inScope, whereClause } from "./predicates";
import { SEARCH_COUNT_CAP } from "./search-cap";

/**
 * The count table that answers the filters, with its conditions (alias `c`), or null when a filter
 * needs the rows themselves (a text search). The table is the first of COUNT_TABLES that has the
 * column of every filter set; with `groups`, at least kms_key_counts, which always has a row per
 * account, region and severity (a tag value filter has several rows per group: one per value);
 * with `atLeast`, at least that table (it has a column to group by). `omit` and `only` leave
 * filters out (see FilterSelection).
 */
export function countSource(
  filters: FilterValues,
  scope: AccountScope,
  opts: { groups?: boolean; atLeast?: CountTable } & FilterSelection = {},
): Prisma.Sql | null {
  // Only the per-severity table has no account column: a scope needs the next one.
  let table = Math.max(
    opts.groups || scope !== null ? 1 : 0,
    opts.atLeast ? COUNT_TABLES.indexOf(opts.atLeast) : 0,
  );
  const conditions: Prisma.Sql[] = [];
  for (const [def, value] of appliedFilters(filters, opts)) {
    if (!def.counts) {
      if (isSet(value)) return null;
      continue;
    }
    const condition = def.counts.on(value, Prisma.sql, { values: filters, scope });
    if (!condition) continue;
    conditions.push(condition);
    table = Math.max(table, COUNT_TABLES.indexOf(def.counts.table));
  }
  if (table > 0 || !conditions.length) conditions.unshift(inScope("c.account_id", scope));
  const name = COUNT_TABLES[table]!;
  const source = filters.overdue ? withUnmarkedOverdue(name) : Prisma.raw(name);
  return Prisma.sql`${source} c WHERE ${Prisma.join(conditions, " AND ")}`;
}

/** The columns of each count table (but `count`), and their values for one key `k` and tag `t`. */
const COUNT_COLUMNS: Record<CountTable, [column: string, ofKey: string][]> = {
  kms_key_severity_counts: [],
  kms_key_counts: [
    ["account_id", "k.account_id"],
    ["region", "k.region"],
  ],
  kms_key_tag_counts: [
    ["tag_key", "t.tag_key"],
    ["account_id", "k.account_id"],
    ["region", "k.region"],
  ],
  kms_key_tag_value_counts: [
    ["tag_key", "t.tag_key"],
    ["tag_value", "t.tag_value"],
    ["account_id", "k.account_id"],
    ["region", "k.region"],
  ],
};

/**
 * The count table with the open findings that fell due since they were marked overdue (the mark is
 * set when the status or due date is written and by the sweep, lib/triage/overdue.ts), counted as
 * overdue: the count tables alone lag the clock by up to a sweep, the filter (due_at < now()) does
 * not. Those findings come from an index of the unmarked ones by due date: none right after a sweep.
 */
function withUnmarkedOverdue(table: CountTable): Prisma.Sql {
  const columns = [...COUNT_COLUMNS[table], ["severity", "k.severity"], ["status", "k.status"]];
  const tags = table.startsWith("kms_key_tag")
    ? Prisma.sql`CROSS JOIN LATERAL kms_key_count_tags(k.tags) t`
    : Prisma.empty;
  const names = Prisma.raw(columns.map(([column]) => column).join(", "));
  const ofKey = Prisma.raw(columns.map(([, expr]) => expr).join(", "));
  return Prisma.sql`(SELECT ${names}, overdue, count FROM ${Prisma.raw(table)} WHERE overdue
    UNION ALL
    SELECT ${ofKey}, true, 1 FROM kms_keys k ${tags}
    WHERE k.gone_at IS NULL AND k.status = 'OPEN' AND NOT k.overdue AND k.due_at < now())`;
}

/**
 * Whether countSource's rows may hold one (severity, account, region) group several times (a tag
 * value filter with several values reads one row per value): the page walk then adds them up first.
 */
export function severalRowsPerGroup(filters: FilterValues): boolean {
  return appliedFilters(filters).some(([def, value]) => def.counts?.severalPerGroup?.(value) === true);
}

/**
 * The number of rows the filters select: from the count tables, or by counting the keys; a text
 * search counts at most one key past SEARCH_COUNT_CAP (more tells that the search is capped).
 */
export function insightTotalQuery(filters: FilterValues, scope: AccountScope): Prisma.Sql {
  const counts = countSource(filters, scope);
  if (counts === null && filters.q)
    return Prisma.sql`SELECT count(*)::int AS total FROM (
        SELECT 1 FROM kms_keys k ${whereClause(filters, scope)} LIMIT ${SEARCH_COUNT_CAP + 1}
      ) m`;
  if (counts === null)
    return Prisma.sql`SELECT count(*)::int AS total FROM kms_keys k ${whereClause(filters, scope)}`;
  return Prisma.sql`SELECT coalesce(sum(c.count), 0)::int AS total FROM ${counts}`;
}
