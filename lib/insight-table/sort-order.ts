import { Prisma } from "@/lib/generated/prisma/client";
import type { InsightFilters, SortableColumnId } from "./filters";

/**
 * `kms_keys k` is always in scope; `a` (aws_accounts) only where a query joins it. Each sort has an
 * index in migration 20261130140000 (or an older one) on exactly these expressions plus the id,
 * live keys only, so that a page is the first entries of an index walk; free-form text from AWS is
 * sorted by its first 256 or 512 characters, which is what those indexes can hold. "Last evaluated"
 * has no index: the collector rewrites it on every key in every scan (see the migration).
 */
export const SORT_EXPRESSIONS: Record<SortableColumnId, string[]> = {
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
  // The enum is declared open, excepted, resolved, passing: the order of urgency.
  status: ["k.status"],
  firstSeen: ["k.first_failed_at"],
  due: ["k.due_at"],
};
/** The sort expressions that may be null: their nulls come last in both directions. */
export const NULLABLE_SORT_EXPRESSIONS: ReadonlySet<string> = new Set([
  "k.rotation_period_days",
  "k.next_rotation",
  "k.last_rotation",
  "k.first_failed_at",
  "k.due_at",
]);

/** The ORDER BY terms of the filters' sort, the row id last. */
export function sortTerms(filters: Pick<InsightFilters, "sort">): string[] {
  const direction = filters.sort.desc ? "DESC" : "ASC";
  return [...SORT_EXPRESSIONS[filters.sort.column], "k.id"].map(
    // Absent dates and periods go last in both directions: "no next rotation" is never the news.
    (expr) => `${expr} ${direction}${NULLABLE_SORT_EXPRESSIONS.has(expr) ? " NULLS LAST" : ""}`,
  );
}

/** ORDER BY for the filters' sort, with the row id as the tie-breaker that makes paging stable. */
export function orderBy(filters: Pick<InsightFilters, "sort">): Prisma.Sql {
  return Prisma.raw(`ORDER BY ${sortTerms(filters).join(", ")}`);
}
