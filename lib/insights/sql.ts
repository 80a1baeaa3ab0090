import { Prisma } from "@/lib/generated/prisma/client";
import type { AccountScope } from "./account-scope";
import type { InsightRow } from "./columns";
import { type InsightFilters, type SortableColumnId, shownSeverities } from "./filters";

// The SQL of the insight table, shared by the paged query, the count and the CSV cursor so that
// all three select and order exactly the same rows. User input only ever travels as parameters;
// identifiers come from the whitelist below.

/**
 * `kms_keys k` is always in scope; `a` (aws_accounts) only where a query joins it. Each sort has an
 * index in migration 20261130140000 (or an older one) on exactly these expressions plus the id,
 * live keys only, so that a page is the first entries of an index walk; free-form text from AWS is
 * sorted by its first 256 or 512 characters, which is what those indexes can hold. "Last evaluated"
 * has no index: the collector rewrites it on every key in every scan (see the migration).
 */
const SORT_EXPRESSIONS: Record<SortableColumnId, string[]> = {
  // The enum is declared most severe first, so its own order is the severity rank.
  severity: ["k.severity", "k.account_id", "k.region", "k.key_id"],
  accountId: ["k.account_id", "k.region", "k.key_id"],
  accountName: ["a.name", "k.account_id", "k.region", "k.key_id"],
  region: ["k.region"],
  keyId: ["k.key_id"],
  // Aliases as the table shows them ("a, b"); for alias names that is the order of the arrays.
  aliases: ["insight_aliases_text(k.aliases)"],
  rotationStatus: ["k.rotation_status"],
  rotationPeriodDays: ["k.rotation_period_days"],
  nextRotation: ["k.next_rotation"],
  lastRotation: ["k.last_rotation"],
  keyManager: ["k.key_manager"],
  keySpec: ["k.key_spec"],
  keyState: ["k.key_state"],
  origin: ["k.origin"],
  reason: ["k.reason"],
  description: ["k.finding_description"],
  arn: ["k.arn"],
  // An account-region is evaluated at one instant: its keys follow each other in this order, which
  // is how the walk of kms_key_evaluations finds a page (pageIdsQuery).
  lastEvaluated: ["k.evaluated_at", "k.account_id", "k.region", "k.key_id"],
};
const NULLABLE = new Set(["k.rotation_period_days", "k.next_rotation", "k.last_rotation"]);

function sortTerms(filters: Pick<InsightFilters, "sort">): string[] {
  const direction = filters.sort.desc ? "DESC" : "ASC";
  return [...SORT_EXPRESSIONS[filters.sort.column], "k.id"].map(
    // Absent dates and periods go last in both directions: "no next rotation" is never the news.
    (expr) => `${expr} ${direction}${NULLABLE.has(expr) ? " NULLS LAST" : ""}`,
  );
}

/** ORDER BY for the filters' sort, with the row id as the tie-breaker that makes paging stable. */
export function orderBy(filters: Pick<InsightFilters, "sort">): Prisma.Sql {
  return Prisma.raw(`ORDER BY ${sortTerms(filters).join(", ")}`);
}

/** `column` within the user's account scope: null is every account, [] is none. */
export function inScope(
  column: "k.account_id" | "a.id" | "e.account_id" | "st.account_id" | "s.account_id",
  scope: AccountScope,
) {
  if (scope === null) return Prisma.sql`TRUE`;
  return Prisma.sql`${Prisma.raw(column)} = ANY(${scope}::char(12)[])`;
}

/** `%`, `_` and `\` in the search text match themselves. */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * WHERE for the filters within the user's account scope. Live keys only. The search expression is
 * the one that the trigram index of migration 20261130110000 covers.
 */
export function whereClause(
  filters: InsightFilters,
  scope: AccountScope,
  opts: { severityAsFilter?: boolean } = {},
): Prisma.Sql {
  const severities = shownSeverities(filters);
  const conditions: Prisma.Sql[] = [
    Prisma.sql`k.gone_at IS NULL`,
    // The same test in a form that is no index condition, for a walk positioned by other means:
    // a severity = ANY(...) condition makes the index scan start at the first severity.
    opts.severityAsFilter
      ? Prisma.sql`array_position(${severities}::"Severity"[], k.severity) IS NOT NULL`
      : Prisma.sql`k.severity = ANY(${severities}::"Severity"[])`,
    inScope("k.account_id", scope),
  ];
  if (filters.accounts.length)
    conditions.push(Prisma.sql`k.account_id = ANY(${filters.accounts}::char(12)[])`);
  if (filters.regions.length) conditions.push(Prisma.sql`k.region = ANY(${filters.regions}::text[])`);
  if (filters.tag !== null) {
    const values = filters.tagValues.length
      ? Prisma.sql`AND t.tag_value = ANY(${filters.tagValues}::text[])`
      : Prisma.empty;
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM key_tags t WHERE t.kms_key_id = k.id AND t.tag_key = ${filters.tag} ${values})`,
    );
  }
  if (filters.q) {
    conditions.push(
      Prisma.sql`insight_search_text(k.key_id, k.arn, k.aliases) LIKE ${likeContains(filters.q)} ESCAPE '\\'`,
    );
  }
  return Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}`;
}

/** The columns of an InsightRow, from `kms_keys k` joined to `aws_accounts a`, in this order. */
const ROW_FIELDS: [expression: string, name: keyof RowRecord][] = [
  ["k.id", "id"],
  ["k.severity::text", "severity"],
  ["k.account_id", "account_id"],
  ["a.name", "account_name"],
  ["k.region", "region"],
  ["k.key_id", "key_id"],
  ["coalesce(k.aliases, '{}')", "aliases"],
  ["k.rotation_status", "rotation_status"],
  ["k.rotation_period_days", "rotation_period_days"],
  ["k.next_rotation", "next_rotation"],
  ["k.last_rotation", "last_rotation"],
  ["k.key_manager", "key_manager"],
  ["k.key_spec", "key_spec"],
  ["k.key_state", "key_state"],
  ["k.origin", "origin"],
  ["k.tags", "tags"],
  ["k.reason", "reason"],
  ["k.finding_description", "finding_description"],
  ["k.arn", "arn"],
  ["k.evaluated_at", "evaluated_at"],
];
const ROW_COLUMNS = Prisma.raw(ROW_FIELDS.map(([expr, name]) => `${expr} AS ${name}`).join(", "));

const at = Object.fromEntries(ROW_FIELDS.map(([, name], i) => [name, i])) as Record<keyof RowRecord, number>;

/** A row of ROW_COLUMNS read as an array (pg's rowMode "array": no object per row to build first). */
export function insightRowFromArray(v: unknown[]): InsightRow {
  return toInsightRow({
    id: v[at.id],
    severity: v[at.severity],
    account_id: v[at.account_id],
    account_name: v[at.account_name],
    region: v[at.region],
    key_id: v[at.key_id],
    aliases: v[at.aliases],
    rotation_status: v[at.rotation_status],
    rotation_period_days: v[at.rotation_period_days],
    next_rotation: v[at.next_rotation],
    last_rotation: v[at.last_rotation],
    key_manager: v[at.key_manager],
    key_spec: v[at.key_spec],
    key_state: v[at.key_state],
    origin: v[at.origin],
    tags: v[at.tags],
    reason: v[at.reason],
    finding_description: v[at.finding_description],
    arn: v[at.arn],
    evaluated_at: v[at.evaluated_at],
  } as RowRecord);
}

export interface RowRecord {
  id: string;
  severity: string;
  account_id: string;
  account_name: string;
  region: string;
  key_id: string;
  aliases: string[];
  rotation_status: string;
  rotation_period_days: number | null;
  next_rotation: Date | null;
  last_rotation: Date | null;
  key_manager: string;
  key_spec: string;
  key_state: string;
  origin: string;
  tags: unknown;
  reason: string;
  finding_description: string;
  arn: string;
  evaluated_at: Date;
}

function tagList(tags: unknown): InsightRow["tags"] {
  if (!Array.isArray(tags)) return [];
  return tags
    .filter((t): t is { key: unknown; value: unknown } => typeof t === "object" && t !== null && "key" in t)
    .map((t) => ({ key: String(t.key), value: String(t.value ?? "") }));
}

/** The values come from the database the collector writes: the enum-like strings are trusted. */
export function toInsightRow(r: RowRecord): InsightRow {
  return {
    id: r.id,
    severity: r.severity as InsightRow["severity"],
    accountId: r.account_id,
    accountName: r.account_name,
    region: r.region,
    keyId: r.key_id,
    aliases: r.aliases,
    rotationStatus: r.rotation_status as InsightRow["rotationStatus"],
    rotationPeriodDays: r.rotation_period_days,
    nextRotation: r.next_rotation,
    lastRotation: r.last_rotation,
    keyManager: r.key_manager,
    keySpec: r.key_spec,
    keyState: r.key_state,
    origin: r.origin,
    tags: tagList(r.tags),
    reason: r.reason as InsightRow["reason"],
    description: r.finding_description,
    arn: r.arn,
    lastEvaluated: r.evaluated_at,
  };
}

/** Every matching row in table order: the CSV cursor's query (no paging). */
export function insightRowsQuery(filters: InsightFilters, scope: AccountScope): Prisma.Sql {
  return Prisma.sql`SELECT ${ROW_COLUMNS} FROM kms_keys k JOIN aws_accounts a ON a.id = k.account_id
    ${whereClause(filters, scope)} ${orderBy(filters)}`;
}

/**
 * The count table that answers the filters, with its conditions (alias `c`), or null when a text
 * search needs the rows themselves. The tables are kept exact by triggers (migration
 * 20261130140000): keys per severity; per account, region and severity (`groups`: always these
 * rows), and per tag key or tag value as well. Counts of several values of one tag key add up to
 * the keys that carry any of them: a key counts under one value per tag key, the one key_tags
 * holds (its primary key is the key and the tag key; the collector keeps the smallest value of a
 * tag key listed twice, and so do the count tables). Several values give several rows per group.
 */
function countSource(
  filters: InsightFilters,
  scope: AccountScope,
  opts: { groups?: boolean } = {},
): Prisma.Sql | null {
  if (filters.q) return null;
  const severities = Prisma.sql`c.severity = ANY(${shownSeverities(filters)}::"Severity"[])`;
  if (
    !opts.groups &&
    scope === null &&
    !filters.accounts.length &&
    !filters.regions.length &&
    filters.tag === null
  )
    return Prisma.sql`kms_key_severity_counts c WHERE ${severities}`;
  const conditions: Prisma.Sql[] = [
    severities,
    scope === null ? Prisma.sql`TRUE` : Prisma.sql`c.account_id = ANY(${scope}::char(12)[])`,
  ];
  if (filters.accounts.length)
    conditions.push(Prisma.sql`c.account_id = ANY(${filters.accounts}::char(12)[])`);
  if (filters.regions.length) conditions.push(Prisma.sql`c.region = ANY(${filters.regions}::text[])`);
  let table = Prisma.sql`kms_key_counts c`;
  if (filters.tag !== null) {
    conditions.push(Prisma.sql`c.tag_key = ${filters.tag}`);
    if (filters.tagValues.length) {
      table = Prisma.sql`kms_key_tag_value_counts c`;
      conditions.push(Prisma.sql`c.tag_value = ANY(${filters.tagValues}::text[])`);
    } else {
      table = Prisma.sql`kms_key_tag_counts c`;
    }
  }
  return Prisma.sql`${table} WHERE ${Prisma.join(conditions, " AND ")}`;
}

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
function pageIdsQuery(filters: InsightFilters, scope: AccountScope, offset: number): Prisma.Sql {
  const limit = filters.pageSize;
  const where = whereClause(filters, scope);
  if (filters.sort.column === "accountName") {
    const dir = Prisma.raw(filters.sort.desc ? "DESC" : "ASC");
    const accounts = [inScope("a.id", scope)];
    if (filters.accounts.length) accounts.push(Prisma.sql`a.id = ANY(${filters.accounts}::char(12)[])`);
    return Prisma.sql`SELECT x.id FROM (
        SELECT a.id, a.name FROM aws_accounts a WHERE ${Prisma.join(accounts, " AND ")}
        ORDER BY a.name ${dir}, a.id ${dir}
      ) a CROSS JOIN LATERAL (
        SELECT k.id, k.region, k.key_id FROM kms_keys k ${where} AND k.account_id = a.id
        ORDER BY k.region ${dir}, k.key_id ${dir}, k.id ${dir} LIMIT ${offset + limit}
      ) x
      ORDER BY a.name ${dir}, a.id ${dir}, x.region ${dir}, x.key_id ${dir}, x.id ${dir}
      LIMIT ${limit} OFFSET ${offset}`;
  }
  if (filters.sort.column === "lastEvaluated") {
    const dir = Prisma.raw(filters.sort.desc ? "DESC" : "ASC");
    const groups = [inScope("e.account_id", scope)];
    if (filters.accounts.length) groups.push(Prisma.sql`e.account_id = ANY(${filters.accounts}::char(12)[])`);
    if (filters.regions.length) groups.push(Prisma.sql`e.region = ANY(${filters.regions}::text[])`);
    return Prisma.sql`SELECT x.id FROM (
        SELECT e.account_id, e.region, e.evaluated_at FROM kms_key_evaluations e
        WHERE ${Prisma.join(groups, " AND ")}
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
    // A tag value filter reads a row per value in each group: they are added up into one row per
    // group first. The running total needs that too, since a window ordered by the group counts
    // every row of the group (its peers) in each of its rows.
    return Prisma.sql`WITH groups AS (
        SELECT c.severity, c.account_id, c.region, sum(c.count) AS count
        FROM ${counts} GROUP BY c.severity, c.account_id, c.region
      ), totals AS (
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

/**
 * A text search: the matching keys are found once (the trigram index, then each candidate's text
 * checked), and both the total and the page come from that set, rather than from two passes.
 */
function searchQueries(
  filters: InsightFilters,
  scope: AccountScope,
  offset: number,
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
    )`,
    ids: Prisma.sql`SELECT m.id FROM matches m ORDER BY ${Prisma.raw(terms.join(", "))}
      LIMIT ${filters.pageSize} OFFSET ${offset}`,
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
  const search = filters.q ? searchQueries(filters, scope, offset) : null;
  return Prisma.sql`${search ? search.matches : Prisma.empty}
    SELECT ${search ? Prisma.sql`(${search.total}) AS total,` : Prisma.empty} ${ROW_COLUMNS}
    FROM unnest(ARRAY(${search ? search.ids : pageIdsQuery(filters, scope, offset)})) WITH ORDINALITY AS p(id, n)
    JOIN kms_keys k ON k.id = p.id JOIN aws_accounts a ON a.id = k.account_id
    ORDER BY p.n`;
}

/** The number of rows the filters select: from the count tables, or by counting for a search. */
export function insightTotalQuery(filters: InsightFilters, scope: AccountScope): Prisma.Sql {
  const counts = countSource(filters, scope);
  if (counts === null)
    return Prisma.sql`SELECT count(*)::int AS total FROM kms_keys k ${whereClause(filters, scope)}`;
  return Prisma.sql`SELECT coalesce(sum(c.count), 0)::int AS total FROM ${counts}`;
}
