import { Prisma } from "@/lib/generated/prisma/client";
import type { AccountScope } from "./account-scope";
import type { InsightRow } from "./columns";
import { type InsightFilters, type SortableColumnId, shownSeverities } from "./filters";

// The SQL of the insight table, shared by the paged query, the count and the CSV cursor so that
// all three select and order exactly the same rows. User input only ever travels as parameters;
// identifiers come from the whitelist below.

/** `kms_keys k` is always in scope; `a` (aws_accounts) only where a query joins it. */
const SORT_EXPRESSIONS: Record<SortableColumnId, string[]> = {
  // The enum is declared most severe first, so its own order is the severity rank.
  severity: ["k.severity", "k.account_id", "k.region", "k.key_id"],
  accountId: ["k.account_id"],
  accountName: ["a.name"],
  region: ["k.region"],
  keyId: ["k.key_id"],
  aliases: ["coalesce(k.aliases, '{}')"],
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
  lastEvaluated: ["k.evaluated_at"],
};
const NULLABLE = new Set(["k.rotation_period_days", "k.next_rotation", "k.last_rotation"]);

/** ORDER BY for the filters' sort, with the row id as the tie-breaker that makes paging stable. */
export function orderBy(filters: Pick<InsightFilters, "sort">): Prisma.Sql {
  const direction = filters.sort.desc ? "DESC" : "ASC";
  const terms = [...SORT_EXPRESSIONS[filters.sort.column], "k.id"].map(
    // Absent dates and periods go last in both directions: "no next rotation" is never the news.
    (expr) => `${expr} ${direction}${NULLABLE.has(expr) ? " NULLS LAST" : ""}`,
  );
  return Prisma.raw(`ORDER BY ${terms.join(", ")}`);
}

/** `column` within the user's account scope: null is every account, [] is none. */
export function inScope(
  column: "k.account_id" | "a.id" | "st.account_id" | "s.account_id",
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
export function whereClause(filters: InsightFilters, scope: AccountScope): Prisma.Sql {
  const conditions: Prisma.Sql[] = [
    Prisma.sql`k.gone_at IS NULL`,
    Prisma.sql`k.severity = ANY(${shownSeverities(filters)}::"Severity"[])`,
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

/** The columns of an InsightRow, from `kms_keys k` joined to `aws_accounts a`. */
export const ROW_COLUMNS = Prisma.sql`k.id, k.severity::text AS severity, k.account_id, a.name AS account_name,
  k.region, k.key_id, coalesce(k.aliases, '{}') AS aliases, k.rotation_status, k.rotation_period_days,
  k.next_rotation, k.last_rotation, k.key_manager, k.key_spec, k.key_state, k.origin, k.tags, k.reason,
  k.finding_description, k.arn, k.evaluated_at`;

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
 * One page of rows. The page's ids are found first, index-only where an index has the order (a
 * deferred join: a deep OFFSET then skips index entries, not table rows); only those rows are read.
 */
export function insightPageQuery(filters: InsightFilters, scope: AccountScope, page: number): Prisma.Sql {
  const accounts =
    filters.sort.column === "accountName"
      ? Prisma.sql`JOIN aws_accounts a ON a.id = k.account_id`
      : Prisma.empty;
  return Prisma.sql`SELECT ${ROW_COLUMNS}
    FROM unnest(ARRAY(
      SELECT k.id FROM kms_keys k ${accounts} ${whereClause(filters, scope)} ${orderBy(filters)}
      LIMIT ${filters.pageSize} OFFSET ${(page - 1) * filters.pageSize}
    )) WITH ORDINALITY AS p(id, n)
    JOIN kms_keys k ON k.id = p.id JOIN aws_accounts a ON a.id = k.account_id
    ORDER BY p.n`;
}

export function insightCountQuery(filters: InsightFilters, scope: AccountScope): Prisma.Sql {
  return Prisma.sql`SELECT count(*)::int AS total FROM kms_keys k ${whereClause(filters, scope)}`;
}
