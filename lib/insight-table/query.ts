import { poolOf } from "@/lib/db/client";
import { readAfterExpiries } from "@/lib/exceptions/apply";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { withChangeStart } from "./change-start";
import type { InsightRow } from "./columns";
import type { InsightFilters } from "./filters";
import { insightTotalQuery } from "./count-source";
import { insightPageQuery } from "./page-query";
import { inScope } from "./predicates";
import { type RowRecord, toInsightRow } from "./row-shape";

// The insight page's reads. Filtering, sorting, paging and counting happen in PostgreSQL; the
// browser only ever receives one page. The CSV reads the same rows through ./stream.

export { fetchTagKeys, fetchTagValues } from "./tag-options";
export { streamInsightRows } from "./stream";

export interface InsightPage {
  rows: InsightRow[];
  total: number;
  /** The page shown: the last one when the asked-for page is past the end. */
  page: number;
  pageSize: number;
  pageCount: number;
}

export async function fetchInsightPage(
  db: PrismaClient,
  asked: InsightFilters,
  scope: AccountScope,
): Promise<InsightPage> {
  // The page and its total side by side (the total comes from the count tables); a text search
  // gives both in one statement, from one pass over its matches (see insightPageQuery).
  // The rows go through pg directly when the client has a pool of its own (poolOf): for a page of
  // twenty columns Prisma's raw round trip (every value encoded and decoded again by type) costs a
  // large share of the query's own time (bench:query, docs/benchmarks.md).
  const pool = poolOf(db);
  const read = async <T>(query: Prisma.Sql): Promise<T[]> =>
    pool ? ((await pool.query(query.text, query.values)).rows as T[]) : db.$queryRaw<T[]>(query);
  const filters = await withChangeStart(read, asked, scope);
  const readPage = async (page: number) => {
    const total = async () =>
      (await read<{ total: number }>(insightTotalQuery(filters, scope)))[0]?.total ?? 0;
    if (filters.q) {
      const rows = await read<RowRecord & { total: number }>(insightPageQuery(filters, scope, page));
      return { total: rows.length ? rows[0]!.total : await total(), rows: rows.map(toInsightRow) };
    }
    const [rows, counted] = await Promise.all([
      read<RowRecord>(insightPageQuery(filters, scope, page)),
      total(),
    ]);
    return { total: counted, rows: rows.map(toInsightRow) };
  };
  // An exception that expired since the last read opens its findings before they are shown.
  const { rows, total } = await readAfterExpiries(db, () => readPage(filters.page));
  const pageCount = Math.max(1, Math.ceil(total / filters.pageSize));
  if (filters.page > pageCount) {
    // A bookmarked page past the end (keys went away since): show the last page instead.
    const last = await readPage(pageCount);
    return { rows: last.rows, total: last.total, page: pageCount, pageSize: filters.pageSize, pageCount };
  }
  return { rows, total, page: filters.page, pageSize: filters.pageSize, pageCount };
}

export interface InsightState {
  hasAccounts: boolean;
  /** An account-region of the scope was scanned to the end at least once. */
  hasCompletedScan: boolean;
  scanRunning: boolean;
  hasKeys: boolean;
}

/** Why the table is empty: no accounts, no scan yet, or filters that match nothing. */
export async function insightState(db: PrismaClient, scope: AccountScope): Promise<InsightState> {
  const [row] = await db.$queryRaw<
    { has_accounts: boolean; has_completed_scan: boolean; scan_running: boolean; has_keys: boolean }[]
  >(Prisma.sql`SELECT
    EXISTS (SELECT 1 FROM aws_accounts a WHERE ${inScope("a.id", scope)}) AS has_accounts,
    EXISTS (SELECT 1 FROM scan_targets st WHERE st.status IN ('SUCCEEDED', 'PARTIAL')
      AND ${inScope("st.account_id", scope)}) AS has_completed_scan,
    EXISTS (SELECT 1 FROM scan_targets st WHERE st.status IN ('QUEUED', 'RUNNING')
      AND ${inScope("st.account_id", scope)}) AS scan_running,
    EXISTS (SELECT 1 FROM kms_keys k WHERE k.gone_at IS NULL AND ${inScope("k.account_id", scope)}) AS has_keys`);
  return {
    hasAccounts: row!.has_accounts,
    hasCompletedScan: row!.has_completed_scan,
    scanRunning: row!.scan_running,
    hasKeys: row!.has_keys,
  };
}

export interface FilterOptions {
  accounts: { id: string; name: string }[];
  regions: string[];
  /** The OUs and roots of the scope's accounts, each with its path ("Root / Prod"), by path. */
  ous: { id: string; path: string }[];
}

/** The accounts of the scope, the regions configured for them or scanned in them, and their OUs. */
export async function fetchFilterOptions(db: PrismaClient, scope: AccountScope): Promise<FilterOptions> {
  const [accounts, regions, ous] = await Promise.all([
    db.$queryRaw<{ id: string; name: string }[]>(
      Prisma.sql`SELECT a.id, a.name FROM aws_accounts a WHERE ${inScope("a.id", scope)} ORDER BY a.name, a.id`,
    ),
    db.$queryRaw<{ region: string }[]>(Prisma.sql`
      SELECT DISTINCT region FROM (
        SELECT unnest(a.regions) AS region FROM aws_accounts a WHERE ${inScope("a.id", scope)}
        UNION SELECT s.region FROM account_region_states s WHERE ${inScope("s.account_id", scope)}
      ) r ORDER BY region`),
    // An OU's path is the first names of its accounts' ou_path, as many as its place in ou_ids
    // (root first); a path that does not match its ids is shown as the id.
    db.$queryRaw<{ id: string; path: string }[]>(Prisma.sql`
      SELECT id, path FROM (
        SELECT DISTINCT ON (u.id) u.id,
          CASE WHEN cardinality(string_to_array(a.ou_path, ' / ')) = cardinality(a.ou_ids)
            THEN array_to_string((string_to_array(a.ou_path, ' / '))[1:u.n], ' / ') ELSE u.id END AS path
        FROM aws_accounts a CROSS JOIN LATERAL unnest(a.ou_ids) WITH ORDINALITY AS u(id, n)
        WHERE ${inScope("a.id", scope)}
        ORDER BY u.id, a.updated_at DESC
      ) o ORDER BY path, id`),
  ]);
  return { accounts, regions: regions.map((r) => r.region), ous };
}
