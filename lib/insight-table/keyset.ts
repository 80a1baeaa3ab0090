import type { AccountScope } from "@/lib/auth/account-scope";
import { poolOf } from "@/lib/db/client";
import { readAfterExpiries } from "@/lib/exceptions/apply";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { FINDING_STATUSES } from "@/lib/triage/status";
import { SEVERITIES } from "@/lib/verdict/types";
import { type ReadRows, withChangeStart } from "./change-start";
import type { InsightRow } from "./columns";
import { insightTotalQuery } from "./count-source";
import type { InsightFilters, InsightSort } from "./filters";
import { pageIdsQuery, rowsOfIdsQuery, searchQueries, searchSortColumns } from "./page-query";
import { keepsGone, walkConditions, whereClause } from "./predicates";
import { type RowRecord, toInsightRow } from "./row-shape";
import { SEARCH_COUNT_CAP } from "./search-cap";
import { NULLABLE_SORT_EXPRESSIONS, orderBy, SORT_EXPRESSIONS } from "./sort-order";

// Keyset pages of the insight table (the API's cursor): a page is the rows strictly after a row's
// sort key in the sort's order, not the rows after an offset, so rows that move, appear or go away
// between two reads never make an unchanged row appear twice or not at all. Each sort's page is
// still a walk of its index (./page-query.ts), started at the key rather than skipped to.

/** A row's place in a sort: the values of the sort's expressions (SORT_EXPRESSIONS), then its id. */
export interface SortKey {
  values: (string | number | null)[];
  id: string;
}

type ValueType = "text" | "char12" | "int" | "timestamptz" | "severity" | "status";
/** The type of each sort expression's value, as a cursor carries it and as SQL reads it back. */
const VALUE_TYPES: Record<string, ValueType> = {
  "k.severity": "severity",
  "k.status": "status",
  "k.account_id": "char12",
  "k.rotation_period_days": "int",
  "k.next_rotation": "timestamptz",
  "k.last_rotation": "timestamptz",
  "k.evaluated_at": "timestamptz",
  "k.first_failed_at": "timestamptz",
  "k.due_at": "timestamptz",
};
const typeOf = (expr: string): ValueType => VALUE_TYPES[expr] ?? "text";
const CASTS: Record<ValueType, string> = {
  text: "text",
  char12: "char(12)",
  int: "int",
  timestamptz: "timestamptz",
  severity: `"Severity"`,
  status: `"FindingStatus"`,
};
const STATUS_VALUES = FINDING_STATUSES.map((s) => s.toUpperCase());
/** As long as an ARN may be; alias lists are sorted by 512 characters, descriptions are shorter. */
const MAX_TEXT = 2048;

function validValue(type: ValueType, value: unknown): boolean {
  switch (type) {
    case "int":
      return Number.isSafeInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1;
    case "timestamptz":
      // ISO instants as Date#toISOString writes them (the columns hold milliseconds).
      return (
        typeof value === "string" &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) &&
        new Date(value).toISOString() === value
      );
    case "severity":
      return (SEVERITIES as readonly unknown[]).includes(value);
    case "status":
      return STATUS_VALUES.includes(value as string);
    case "char12":
      return typeof value === "string" && /^\d{12}$/.test(value);
    case "text":
      // PostgreSQL text holds no NUL character.
      return typeof value === "string" && value.length <= MAX_TEXT && !value.includes("\u0000");
  }
}

/**
 * `value` as a sort key of `sort` (from a cursor, so from anyone): the right number of values,
 * each of its expression's type, null only where the expression may be null; else null.
 */
export function readSortKey(sort: InsightSort, value: unknown): SortKey | null {
  if (typeof value !== "object" || value === null) return null;
  const { values, id } = value as Partial<Record<keyof SortKey, unknown>>;
  const exprs = SORT_EXPRESSIONS[sort.column];
  if (!Array.isArray(values) || values.length !== exprs.length) return null;
  if (!validValue("text", id) || (id as string).length > 64) return null;
  const ok = exprs.every((expr, i) =>
    values[i] === null ? NULLABLE_SORT_EXPRESSIONS.has(expr) : validValue(typeOf(expr), values[i]),
  );
  return ok ? { values: values as SortKey["values"], id: id as string } : null;
}

/** The sort key's columns of a page's rows (`sk0`, `sk1`, …), in the shape a cursor carries them. */
function sortKeyColumns(sort: InsightSort): Prisma.Sql {
  return Prisma.raw(
    SORT_EXPRESSIONS[sort.column]
      .map((expr, i) => `${expr}${["severity", "status"].includes(typeOf(expr)) ? "::text" : ""} AS sk${i}`)
      .join(", "),
  );
}

function sortKeyOf(sort: InsightSort, record: Record<string, unknown>): SortKey {
  const values = SORT_EXPRESSIONS[sort.column].map((_, i) => {
    const v = record[`sk${i}`];
    return v instanceof Date ? v.toISOString() : (v as string | number | null);
  });
  return { values, id: record.id as string };
}

const param = (expr: string, value: string | number | null) =>
  Prisma.sql`${value}::${Prisma.raw(CASTS[typeOf(expr)])}`;

/**
 * The rows after `key` in `sort`'s order, on `columns` (the sort's expressions as the query names
 * them, the id last; `exprs` the same as SORT_EXPRESSIONS names them, for their types). One row-value
 * comparison, which an index on the same expressions answers as a range; a nullable column (its
 * nulls last in both directions) in the explicit form: the values after it, then every null; after
 * a null, the nulls after it by id.
 */
function afterCondition(
  sort: InsightSort,
  key: SortKey,
  columns: string[],
  exprs = SORT_EXPRESSIONS[sort.column],
): Prisma.Sql {
  const op = Prisma.raw(sort.desc ? "<" : ">");
  const id = Prisma.sql`${key.id}::text`;
  const idColumn = Prisma.raw(columns[columns.length - 1]!);
  if (exprs.length === 1 && NULLABLE_SORT_EXPRESSIONS.has(exprs[0]!)) {
    const column = Prisma.raw(columns[0]!);
    const value = key.values[0] ?? null;
    if (value === null) return Prisma.sql`(${column} IS NULL AND ${idColumn} ${op} ${id})`;
    return Prisma.sql`((${column}, ${idColumn}) ${op} (${param(exprs[0]!, value)}, ${id}) OR ${column} IS NULL)`;
  }
  const values = exprs.map((expr, i) => param(expr, key.values[i]!));
  return Prisma.sql`(${Prisma.raw(columns.join(", "))}) ${op} (${Prisma.join([...values, id])})`;
}

/**
 * The ids of the `limit` rows after `key`, in order. The sorts that the page query walks through
 * another table (account name, last evaluated) walk it from the key's group: the rest of that group
 * through the keys' index, then the groups after it, each as on the first page; the others walk
 * their own index from the key.
 */
function idsAfterQuery(
  filters: InsightFilters,
  scope: AccountScope,
  key: SortKey,
  limit: number,
): Prisma.Sql {
  const { sort } = filters;
  const where = whereClause(filters, scope);
  const dir = Prisma.raw(sort.desc ? "DESC" : "ASC");
  const op = Prisma.raw(sort.desc ? "<" : ">");
  const [v0, v1, v2, v3] = key.values;
  if (sort.column === "accountName") {
    return Prisma.sql`SELECT u.id FROM ((
        SELECT k.id, a.name, k.account_id, k.region, k.key_id
        FROM kms_keys k JOIN aws_accounts a ON a.id = k.account_id
        ${where} AND a.name = ${v0}::text AND k.account_id = ${v1}::char(12)
          AND ${afterCondition(
            sort,
            { values: [v2!, v3!], id: key.id },
            ["k.region", "k.key_id", "k.id"],
            ["k.region", "k.key_id"],
          )}
        ORDER BY k.region ${dir}, k.key_id ${dir}, k.id ${dir} LIMIT ${limit}
      ) UNION ALL (
        SELECT x.id, a.name, a.id, x.region, x.key_id FROM (
          SELECT a.id, a.name FROM aws_accounts a WHERE ${walkConditions("onAccount", filters, scope)}
            AND (a.name, a.id) ${op} (${v0}::text, ${v1}::char(12))
          ORDER BY a.name ${dir}, a.id ${dir}
        ) a CROSS JOIN LATERAL (
          SELECT k.id, k.region, k.key_id FROM kms_keys k ${where} AND k.account_id = a.id
          ORDER BY k.region ${dir}, k.key_id ${dir}, k.id ${dir} LIMIT ${limit}
        ) x
        ORDER BY a.name ${dir}, a.id ${dir}, x.region ${dir}, x.key_id ${dir}, x.id ${dir} LIMIT ${limit}
      )) u
      ORDER BY u.name ${dir}, u.account_id ${dir}, u.region ${dir}, u.key_id ${dir}, u.id ${dir} LIMIT ${limit}`;
  }
  if (sort.column === "lastEvaluated" && !keepsGone(filters)) {
    return Prisma.sql`SELECT u.id FROM ((
        SELECT k.id, k.evaluated_at, k.account_id, k.region, k.key_id FROM kms_keys k ${where}
          AND k.evaluated_at = ${v0}::timestamptz AND k.account_id = ${v1}::char(12) AND k.region = ${v2}::text
          AND ${afterCondition(sort, { values: [v3!], id: key.id }, ["k.key_id", "k.id"], ["k.key_id"])}
        ORDER BY k.key_id ${dir}, k.id ${dir} LIMIT ${limit}
      ) UNION ALL (
        SELECT x.id, e.evaluated_at, e.account_id, e.region, x.key_id FROM (
          SELECT e.account_id, e.region, e.evaluated_at FROM kms_key_evaluations e
          WHERE ${walkConditions("onEvaluation", filters, scope)}
            AND (e.evaluated_at, e.account_id, e.region) ${op} (${v0}::timestamptz, ${v1}::char(12), ${v2}::text)
          ORDER BY e.evaluated_at ${dir}, e.account_id ${dir}, e.region ${dir}
        ) e CROSS JOIN LATERAL (
          SELECT k.id, k.key_id FROM kms_keys k ${where}
            AND k.account_id = e.account_id AND k.region = e.region AND k.evaluated_at = e.evaluated_at
          ORDER BY k.key_id ${dir}, k.id ${dir} LIMIT ${limit}
        ) x
        ORDER BY e.evaluated_at ${dir}, e.account_id ${dir}, e.region ${dir}, x.key_id ${dir}, x.id ${dir}
        LIMIT ${limit}
      )) u
      ORDER BY u.evaluated_at ${dir}, u.account_id ${dir}, u.region ${dir}, u.key_id ${dir}, u.id ${dir}
      LIMIT ${limit}`;
  }
  const exprs = SORT_EXPRESSIONS[sort.column];
  if (exprs.length === 1 && NULLABLE_SORT_EXPRESSIONS.has(exprs[0]!) && v0 !== null) {
    // After a value, the explicit form's two parts as two ranges of the index (its values after
    // the key, then its nulls): PostgreSQL walks an OR of them as a filter from the index's start.
    const column = Prisma.raw(exprs[0]!);
    return Prisma.sql`SELECT u.id FROM ((
        SELECT k.id, ${column} AS v FROM kms_keys k ${where}
          AND (${column}, k.id) ${op} (${param(exprs[0]!, v0!)}, ${key.id}::text)
        ${orderBy(filters)} LIMIT ${limit}
      ) UNION ALL (
        SELECT k.id, NULL FROM kms_keys k ${where} AND ${column} IS NULL ORDER BY k.id ${dir} LIMIT ${limit}
      )) u
      ORDER BY u.v ${dir} NULLS LAST, u.id ${dir} LIMIT ${limit}`;
  }
  return Prisma.sql`SELECT k.id FROM kms_keys k ${where}
    AND ${afterCondition(sort, key, [...exprs, "k.id"])} ${orderBy(filters)} LIMIT ${limit}`;
}

export interface InsightKeysetPage {
  rows: InsightRow[];
  total: number;
  /** A text search that matches more than SEARCH_COUNT_CAP keys: `total` is the cap, a lower bound. */
  capped: boolean;
  /** The last row's sort key when more rows may follow; null on the last page. */
  next: SortKey | null;
}

/** Reads a statement's rows: through pg directly when the client has a pool of its own (poolOf). */
export function rowReader(db: PrismaClient): ReadRows {
  // For a page of twenty columns Prisma's raw round trip (every value encoded and decoded again by
  // type) costs a large share of the query's own time (bench:query, docs/benchmarks.md).
  const pool = poolOf(db);
  return async <T>(query: Prisma.Sql): Promise<T[]> =>
    pool ? ((await pool.query(query.text, query.values)).rows as T[]) : db.$queryRaw<T[]>(query);
}

function pageOf(filters: InsightFilters, records: RowRecord[]): Pick<InsightKeysetPage, "rows" | "next"> {
  const page = records.slice(0, filters.pageSize);
  const more = records.length > filters.pageSize;
  return {
    rows: page.map(toInsightRow),
    next: more ? sortKeyOf(filters.sort, page[page.length - 1] as unknown as Record<string, unknown>) : null,
  };
}

/**
 * A page read by walking the sort's index, every filter checked on each key walked (a capped
 * search's: its matches are too many to gather and sort): from an offset, or after a sort key.
 * It is read one row longer, to know whether another follows.
 */
export async function readWalkedPage(
  read: ReadRows,
  filters: InsightFilters,
  scope: AccountScope,
  start: { offset: number } | { after: SortKey },
): Promise<Pick<InsightKeysetPage, "rows" | "next">> {
  const limit = filters.pageSize + 1;
  const ids =
    "after" in start
      ? idsAfterQuery(filters, scope, start.after, limit)
      : pageIdsQuery(filters, scope, start.offset, limit);
  const records = await read<RowRecord>(rowsOfIdsQuery(ids, { columns: sortKeyColumns(filters.sort) }));
  return pageOf(filters, records);
}

/**
 * A page of `filters.pageSize` rows: the first one (`after` null, the table's own first page), or
 * the rows after `after`. The page is read one row longer, to know whether another follows. A text
 * search gathers its matches (at most one past SEARCH_COUNT_CAP) and pages them; past the cap the
 * page is walked instead (readWalkedPage) and the total is the cap.
 */
export async function fetchInsightKeysetPage(
  db: PrismaClient,
  asked: InsightFilters,
  scope: AccountScope,
  after: SortKey | null,
): Promise<InsightKeysetPage> {
  const read = rowReader(db);
  const filters = await withChangeStart(read, asked, scope);
  const limit = filters.pageSize + 1;
  const search = filters.q
    ? searchQueries(filters, scope, {
        offset: 0,
        limit,
        after: after ? afterCondition(filters.sort, after, searchSortColumns(filters)) : undefined,
      })
    : null;
  const ids = search
    ? search.ids
    : after
      ? idsAfterQuery(filters, scope, after, limit)
      : pageIdsQuery(filters, scope, 0, limit);
  const query = rowsOfIdsQuery(ids, { search, columns: sortKeyColumns(filters.sort) });
  return readAfterExpiries(db, async () => {
    const total = async () =>
      (await read<{ total: number }>(insightTotalQuery(filters, scope)))[0]?.total ?? 0;
    if (search) {
      const records = await read<RowRecord & { total: number }>(query);
      const counted = records.length ? records[0]!.total : await total();
      if (counted <= SEARCH_COUNT_CAP) return { ...pageOf(filters, records), total: counted, capped: false };
      const walked = await readWalkedPage(read, filters, scope, after ? { after } : { offset: 0 });
      return { ...walked, total: SEARCH_COUNT_CAP, capped: true };
    }
    const [records, counted] = await Promise.all([read<RowRecord>(query), total()]);
    return { ...pageOf(filters, records), total: counted, capped: false };
  });
}
