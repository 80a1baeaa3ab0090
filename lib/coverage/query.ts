import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { inScope } from "@/lib/insight-table/predicates";
import type { CoverageFilters } from "./filters";
import { coverageFix, type CoverageFix } from "./fix";
import { COVERAGE_STATES, type CoverageState, FRESH_HOURS, NO_REGION, NOT_EXPECTED } from "./states";

// Every account × region of the scope with its coverage state, in one statement for the page and
// one for the counts by state (both from the same rows): the account's regions, and the regions
// that region discovery or an exclusion rule wrote a state for (a disabled opt-in region, a region
// denied by its organization), each joined to its account_region_states row. A state is computed
// by PostgreSQL, so that the filter by state and the paging happen there too.

export const COVERAGE_PAGE_SIZE = 100;

export interface CoverageRow {
  accountId: string;
  accountName: string;
  ouPath: string | null;
  region: string;
  state: CoverageState;
  lastSuccessAt: Date | null;
  lastAttemptAt: Date | null;
  keyCount: number | null;
  errorCall: string | null;
  errorCode: string | null;
  error: string | null;
  /** EXCLUDED: why, in words ("disabled by ana@example.com on …", "organization status: SUSPENDED"). */
  excluded: string | null;
  optInStatus: string | null;
  fix: CoverageFix | null;
}

export interface CoverageSummary {
  /** Account-regions per state, under every filter but the state filter. */
  counts: Record<CoverageState, number>;
  /** Account-regions the console means to scan (not excluded, region enabled). */
  expected: number;
  /** Of those, listed successfully in the last 24 hours. */
  scanned: number;
  /** "412 of 420 account-regions scanned in the last 24 h". */
  text: string;
}

export interface CoveragePage {
  rows: CoverageRow[];
  total: number;
  page: number;
  pageCount: number;
  summary: CoverageSummary;
}

type Filters = Omit<CoverageFilters, "page">;

/** The account-regions of the scope under the account, region and OU filters, with their state. */
function coverageRowsSql(filters: Filters, scope: AccountScope, now: Date): Prisma.Sql {
  const accounts = [inScope("a.id", scope)];
  if (filters.accounts.length) accounts.push(Prisma.sql`a.id = ANY(${filters.accounts}::char(12)[])`);
  if (filters.ous.length) accounts.push(Prisma.sql`a.ou_ids && ${filters.ous}::text[]`);
  const region = filters.regions.length
    ? Prisma.sql`WHERE p.region = ANY(${filters.regions}::text[])`
    : Prisma.empty;
  const freshSince = new Date(now.getTime() - FRESH_HOURS * 3600_000);
  return Prisma.sql`
    WITH acc AS (
      SELECT a.id, a.name, a.ou_path, a.regions, a.enabled, a.excluded_reason, a.org_status,
        a.role_arn, a.external_id_cipher IS NOT NULL AS has_external_id
      FROM aws_accounts a WHERE ${Prisma.join(accounts, " AND ")}
    ), pairs AS (
      SELECT a.id AS account_id, r.region FROM acc a CROSS JOIN LATERAL unnest(a.regions) r(region)
      UNION
      SELECT s.account_id, s.region FROM account_region_states s JOIN acc a ON a.id = s.account_id
      WHERE s.opt_in_status IS NOT NULL OR s.excluded_reason IS NOT NULL
      UNION
      -- An account with no region known yet (one an OU rule excluded before its regions were
      -- discovered): one row with no region, so that it is listed too.
      SELECT a.id, ${NO_REGION}::text FROM acc a WHERE cardinality(a.regions) = 0 AND NOT EXISTS (
        SELECT 1 FROM account_region_states s WHERE s.account_id = a.id
          AND (s.opt_in_status IS NOT NULL OR s.excluded_reason IS NOT NULL))
    ), cov AS (
      SELECT a.id AS account_id, a.name AS account_name, a.ou_path, p.region, a.role_arn,
        a.has_external_id, s.last_success_at, s.last_attempt_at, s.key_count, s.last_error_call,
        s.last_error_code, s.last_error, s.opt_in_status,
        CASE
          WHEN a.excluded_reason IS NOT NULL THEN a.excluded_reason
          WHEN NOT a.enabled THEN 'disabled'
          -- Every status but ACTIVE stops the scans (SCANNED_ACCOUNTS, lib/collector/scan.ts).
          WHEN a.org_status <> 'ACTIVE' THEN 'organization status ' || a.org_status::text
          WHEN s.excluded_reason IS NOT NULL THEN s.excluded_reason
          WHEN NOT (p.region = ANY(a.regions)) AND s.opt_in_status NOT IN ('DISABLED', 'DISABLING')
            THEN 'not among the account''s regions'
        END AS excluded,
        NOT a.enabled AND a.excluded_reason IS NULL AS disabled_by_person
      FROM pairs p JOIN acc a ON a.id = p.account_id
      LEFT JOIN account_region_states s ON s.account_id = p.account_id AND s.region = p.region
      ${region}
    )
    SELECT cov.*, CASE
        WHEN cov.excluded IS NOT NULL AND cov.opt_in_status IS DISTINCT FROM 'DISABLED'
          AND cov.opt_in_status IS DISTINCT FROM 'DISABLING' THEN 'EXCLUDED'
        WHEN cov.opt_in_status IN ('DISABLED', 'DISABLING') THEN 'REGION_NOT_ENABLED'
        WHEN cov.last_attempt_at IS NULL THEN 'NOT_SCANNED_YET'
        WHEN cov.last_error IS NOT NULL AND (cov.last_error_code ~ 'AccessDenied|UnauthorizedOperation|AuthorizationError'
          OR (cov.last_error_code IS NULL AND cov.last_error ~ 'AccessDenied')) THEN 'ACCESS_DENIED'
        WHEN cov.last_error IS NOT NULL THEN 'ERROR'
        WHEN cov.last_success_at IS NULL OR cov.last_success_at < ${freshSince} THEN 'STALE'
        ELSE 'SCANNED'
      END AS state
    FROM cov`;
}

interface RowRecord {
  account_id: string;
  account_name: string;
  ou_path: string | null;
  region: string;
  role_arn: string | null;
  has_external_id: boolean;
  last_success_at: Date | null;
  last_attempt_at: Date | null;
  key_count: number | null;
  last_error_call: string | null;
  last_error_code: string | null;
  last_error: string | null;
  opt_in_status: string | null;
  excluded: string | null;
  disabled_by: string | null;
  disabled_at: Date | null;
  state: CoverageState;
}

const ORDER = Prisma.raw(
  `array_position(ARRAY[${COVERAGE_STATES.map((s) => `'${s}'`).join(",")}], c.state), c.account_name, c.account_id, c.region`,
);

/** The summary's sentence: "412 of 420 account-regions scanned in the last 24 h". */
export function coverageSummary(counts: Record<CoverageState, number>): CoverageSummary {
  const all = COVERAGE_STATES.reduce((sum, s) => sum + counts[s], 0);
  const expected = all - NOT_EXPECTED.reduce((sum, s) => sum + counts[s], 0);
  const scanned = counts.SCANNED;
  const word = expected === 1 ? "account-region" : "account-regions";
  return {
    counts,
    expected,
    scanned,
    text: `${scanned.toLocaleString("en-US")} of ${expected.toLocaleString("en-US")} ${word} scanned in the last ${FRESH_HOURS} h`,
  };
}

/** Account-regions per state within the scope under the filters (the state filter left out). */
export async function fetchCoverageSummary(
  db: PrismaClient,
  filters: Filters,
  scope: AccountScope,
  now = new Date(),
): Promise<CoverageSummary> {
  const rows = await db.$queryRaw<{ state: CoverageState; count: number }[]>(
    Prisma.sql`SELECT c.state, count(*)::int AS count FROM (${coverageRowsSql(filters, scope, now)}) c GROUP BY c.state`,
  );
  const counts = Object.fromEntries(COVERAGE_STATES.map((s) => [s, 0])) as Record<CoverageState, number>;
  for (const r of rows) counts[r.state] = r.count;
  return coverageSummary(counts);
}

/** One page of account-regions (what needs a person first), with the summary. */
export async function fetchCoveragePage(
  db: PrismaClient,
  filters: CoverageFilters,
  scope: AccountScope,
  opts: { now?: Date; pageSize?: number } = {},
): Promise<CoveragePage> {
  const now = opts.now ?? new Date();
  const pageSize = opts.pageSize ?? COVERAGE_PAGE_SIZE;
  const summary = await fetchCoverageSummary(db, filters, scope, now);
  const total = filters.states.length
    ? filters.states.reduce((sum, s) => sum + summary.counts[s], 0)
    : COVERAGE_STATES.reduce((sum, s) => sum + summary.counts[s], 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filters.page, pageCount);
  const rows = await readRows(db, filters, scope, now, { limit: pageSize, offset: (page - 1) * pageSize });
  return { rows, total, page, pageCount, summary };
}

/** Every account-region under the filters, in page order (the CSV). */
export function fetchCoverageRows(
  db: PrismaClient,
  filters: CoverageFilters,
  scope: AccountScope,
  now = new Date(),
): Promise<CoverageRow[]> {
  return readRows(db, filters, scope, now, null);
}

async function readRows(
  db: PrismaClient,
  filters: CoverageFilters,
  scope: AccountScope,
  now: Date,
  paging: { limit: number; offset: number } | null,
): Promise<CoverageRow[]> {
  const state = filters.states.length
    ? Prisma.sql`WHERE c.state = ANY(${filters.states}::text[])`
    : Prisma.empty;
  const limit = paging ? Prisma.sql`LIMIT ${paging.limit} OFFSET ${paging.offset}` : Prisma.empty;
  // Who disabled an account: the latest account.disable entry of the audit log, read only for
  // the disabled accounts of the page.
  const records = await db.$queryRaw<RowRecord[]>(Prisma.sql`
    SELECT c.*, d.actor_email AS disabled_by, d.at AS disabled_at
    FROM (SELECT c.* FROM (${coverageRowsSql(filters, scope, now)}) c ${state} ORDER BY ${ORDER} ${limit}) c
    LEFT JOIN LATERAL (
      SELECT l.actor_email, l.at FROM audit_log l
      WHERE c.disabled_by_person AND l.action = 'account.disable' AND l.target = c.account_id
      ORDER BY l.at DESC LIMIT 1
    ) d ON TRUE
    ORDER BY ${ORDER}`);
  return records.map(toRow);
}

function excludedText(r: RowRecord): string | null {
  if (r.state !== "EXCLUDED") return null;
  if (r.excluded === "disabled") {
    return r.disabled_by
      ? `Account disabled by ${r.disabled_by} on ${r.disabled_at!.toISOString().slice(0, 10)}`
      : "Account disabled";
  }
  if (r.excluded?.startsWith("organization status ")) return `Organization status: ${r.excluded.slice(20)}`;
  return r.excluded;
}

function toRow(r: RowRecord): CoverageRow {
  return {
    accountId: r.account_id,
    accountName: r.account_name,
    ouPath: r.ou_path,
    region: r.region,
    state: r.state,
    lastSuccessAt: r.last_success_at,
    lastAttemptAt: r.last_attempt_at,
    keyCount: r.key_count,
    errorCall: r.state === "ACCESS_DENIED" || r.state === "ERROR" ? r.last_error_call : null,
    errorCode: r.state === "ACCESS_DENIED" || r.state === "ERROR" ? r.last_error_code : null,
    error: r.state === "ACCESS_DENIED" || r.state === "ERROR" ? r.last_error : null,
    excluded: excludedText(r),
    optInStatus: r.opt_in_status,
    fix:
      r.state === "ACCESS_DENIED"
        ? coverageFix({
            call: r.last_error_call,
            message: r.last_error,
            roleArn: r.role_arn,
            hasExternalId: r.has_external_id,
          })
        : null,
  };
}
