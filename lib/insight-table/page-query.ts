import { Prisma } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { countSource, severalRowsPerGroup } from "./count-source";
import type { InsightFilters } from "./filters";
import { keepsGone, walkConditions, whereClause } from "./predicates";
import { ROW_COLUMNS } from "./row-shape";
import { SEARCH_COUNT_CAP } from "./search-cap";
import { orderBy, SORT_EXPRESSIONS, sortTerms } from "./sort-order";

// The queries of the insight table's rows: a page (ids first, then those rows) and every row for
// the CSV cursor. Both select and order exactly the same rows: the same conditions (./predicates)
// and the same order (./sort-order).

/**
 * The ids of one page, in order. Three shapes, each an index walk that stops after the page:
 * - sorted by account name: the accounts in name order, and within each its keys through the
 *   (account, region, key id) index; no account can give more than offset + limit rows;
 * - sorted by last evaluated: the (instant, account, region) groups of kms_key_evaluations in that
 *   order, and within each its keys through the (account, region, key id) index, likewise;
 * - the default order past the first page: the counts per (severity, account, region), which is
 *   how that order begins, tell in which of those groups the page starts, so the walk starts
 *   there and skips only the rows before it in that group, not every row of the pages before;
 * - otherwise the walk of the sort's index with the filters, skipping `offset` entries.
 */
export function pageIdsQuery(
  filters: InsightFilters,
  scope: AccountScope,
  offset: number,
  limit: number = filters.pageSize,
): Prisma.Sql {
  const where = whereClause(filters, scope);
  if (filters.sort.column === "accountName") {
    const dir = Prisma.raw(filters.sort.desc ? "DESC" : "ASC");
    return Prisma.sql`SELECT x.id FROM (
        SELECT a.id, a.name FROM aws_accounts a WHERE ${walkConditions("onAccount", filters, scope)}
        ORDER BY a.name ${dir}, a.id ${dir}
      ) a CROSS JOIN LATERAL (
        SELECT k.id, k.region, k.key_id FROM kms_keys k ${where} AND k.account_id = a.id
        ORDER BY k.region ${dir}, k.key_id ${dir}, k.id ${dir} LIMIT ${offset + limit}
      ) x
      ORDER BY a.name ${dir}, a.id ${dir}, x.region ${dir}, x.key_id ${dir}, x.id ${dir}
      LIMIT ${limit} OFFSET ${offset}`;
  }
  // kms_key_evaluations counts live keys only: gone ones (a change filter) are sorted as they are.
  if (filters.sort.column === "lastEvaluated" && !keepsGone(filters)) {
    const dir = Prisma.raw(filters.sort.desc ? "DESC" : "ASC");
    return Prisma.sql`SELECT x.id FROM (
        SELECT e.account_id, e.region, e.evaluated_at FROM kms_key_evaluations e
        WHERE ${walkConditions("onEvaluation", filters, scope)}
        ORDER BY e.evaluated_at ${dir}, e.account_id ${dir}, e.region ${dir}
      ) e CROSS JOIN LATERAL (
        SELECT k.id, k.key_id FROM kms_keys k ${where}
          AND k.account_id = e.account_id AND k.region = e.region AND k.evaluated_at = e.evaluated_at
        ORDER BY k.key_id ${dir}, k.id ${dir} LIMIT ${offset + limit}
      ) x
      ORDER BY e.evaluated_at ${dir}, e.account_id ${dir}, e.region ${dir}, x.key_id ${dir}, x.id ${dir}
      LIMIT ${limit} OFFSET ${offset}`;
  }
  const counts = countSource(filters, scope, { groups: true });
  if (filters.sort.column === "severity" && offset > 0 && counts !== null) {
    const dir = Prisma.raw(filters.sort.desc ? "DESC" : "ASC");
    const cmp = Prisma.raw(filters.sort.desc ? "<=" : ">=");
    // Several tag values read a row per value in each group: those are added up into one row per
    // group first, since a window ordered by the group counts every row of the group (its peers) in
    // each of its rows. With one row per group already, that aggregate would only cost time.
    const groups = severalRowsPerGroup(filters)
      ? Prisma.sql`SELECT c.severity, c.account_id, c.region, sum(c.count) AS count
          FROM ${counts} GROUP BY c.severity, c.account_id, c.region`
      : Prisma.sql`SELECT c.severity, c.account_id, c.region, c.count FROM ${counts}`;
    return Prisma.sql`WITH groups AS (${groups}), totals AS (
        SELECT severity, account_id, region, count,
          sum(count) OVER (ORDER BY severity ${dir}, account_id ${dir}, region ${dir}) AS through
        FROM groups
      ), start AS (
        SELECT severity, account_id, region, through - count AS before FROM totals
        WHERE through > ${offset} ORDER BY through LIMIT 1
      )
      SELECT k.id FROM kms_keys k ${whereClause(filters, scope, { severityAsFilter: true })}
        AND (k.severity, k.account_id, k.region) ${cmp}
          ((SELECT severity FROM start), (SELECT account_id FROM start), (SELECT region FROM start))
      ${orderBy(filters)}
      LIMIT ${limit} OFFSET (SELECT ${offset} - before FROM start)`;
  }
  return Prisma.sql`SELECT k.id FROM kms_keys k ${where} ${orderBy(filters)} LIMIT ${limit} OFFSET ${offset}`;
}

/** The columns of a search's matches (see searchQueries): its sort's expressions, then the id. */
export function searchSortColumns(filters: Pick<InsightFilters, "sort">): string[] {
  return [...SORT_EXPRESSIONS[filters.sort.column].map((_, i) => `m.s${i}`), "m.id"];
}

/**
 * A text search: the matching keys are found once (the trigram index, then each candidate's text
 * checked), and both the total and the page come from that set, rather than from two passes.
 * `after` is a condition on the matches (`m`, searchSortColumns): where a keyset page starts.
 * At most one match past SEARCH_COUNT_CAP is kept: a total above the cap means the search is
 * capped, and its page is then read by walking the sort's index instead (./keyset.ts).
 */
export function searchQueries(
  filters: InsightFilters,
  scope: AccountScope,
  page: { offset: number; limit?: number; after?: Prisma.Sql },
): { matches: Prisma.Sql; ids: Prisma.Sql; total: Prisma.Sql } {
  const keys = SORT_EXPRESSIONS[filters.sort.column];
  const accounts =
    filters.sort.column === "accountName"
      ? Prisma.sql`JOIN aws_accounts a ON a.id = k.account_id`
      : Prisma.empty;
  const sortKeys = keys.map((expr, i) => `${expr} AS s${i}`).join(", ");
  const terms = sortTerms(filters).map((term) => {
    const i = keys.findIndex((expr) => term.startsWith(`${expr} `));
    return i >= 0 ? `m.s${i}${term.slice(keys[i]!.length)}` : term.replace(/^k\.id /, "m.id ");
  });
  return {
    matches: Prisma.sql`WITH matches AS MATERIALIZED (
      SELECT k.id, ${Prisma.raw(sortKeys)} FROM kms_keys k ${accounts} ${whereClause(filters, scope)}
      LIMIT ${SEARCH_COUNT_CAP + 1}
    )`,
    ids: Prisma.sql`SELECT m.id FROM matches m ${page.after ? Prisma.sql`WHERE ${page.after}` : Prisma.empty}
      ORDER BY ${Prisma.raw(terms.join(", "))} LIMIT ${page.limit ?? filters.pageSize} OFFSET ${page.offset}`,
    total: Prisma.sql`SELECT count(*)::int AS total FROM matches`,
  };
}

/**
 * One page of rows: the page's ids first (see pageIdsQuery), then only those rows are read. For a
 * text search each row also carries the total, counted from the same matches as the page in the
 * same statement (`total`); otherwise the total is insightTotalQuery's, which the page's reader
 * runs beside this one. An empty page has no row to carry a search's total: insightTotalQuery
 * tells it then.
 */
export function insightPageQuery(filters: InsightFilters, scope: AccountScope, page: number): Prisma.Sql {
  const offset = (page - 1) * filters.pageSize;
  const search = filters.q ? searchQueries(filters, scope, { offset }) : null;
  return rowsOfIdsQuery(search ? search.ids : pageIdsQuery(filters, scope, offset), { search });
}

/**
 * The rows of `ids` (a query of ids) in its order, with `columns` more; with a search, its matches
 * first and the total on every row.
 */
export function rowsOfIdsQuery(
  ids: Prisma.Sql,
  opts: { search?: { matches: Prisma.Sql; total: Prisma.Sql } | null; columns?: Prisma.Sql },
): Prisma.Sql {
  const { search, columns } = opts;
  return Prisma.sql`${search ? search.matches : Prisma.empty}
    SELECT ${search ? Prisma.sql`(${search.total}) AS total,` : Prisma.empty} ${ROW_COLUMNS}
      ${columns ? Prisma.sql`, ${columns}` : Prisma.empty}
    FROM unnest(ARRAY(${ids})) WITH ORDINALITY AS p(id, n)
    JOIN kms_keys k ON k.id = p.id JOIN aws_accounts a ON a.id = k.account_id
    ORDER BY p.n`;
}

/** Every matching row in table order: the CSV cursor's query (no paging). */
export function insightRowsQuery(filters: InsightFilters, scope: AccountScope): Prisma.Sql {
  return Prisma.sql`SELECT ${ROW_COLUMNS} FROM kms_keys k JOIN aws_accounts a ON a.id = k.account_id
    ${whereClause(filters, scope)} ${orderBy(filters)}`;
}
