import { readAfterExpiries } from "@/lib/exceptions/apply";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import { withChangeStart } from "./change-start";
import type { InsightRow } from "./columns";
import type { InsightFilters } from "./filters";
import { insightTotalQuery } from "./count-source";
import { decodeCursor, encodeCursor } from "./cursor";
import { readWalkedPage, rowReader } from "./keyset";
import { insightPageQuery } from "./page-query";
import { inScope } from "./predicates";
import { type RowRecord, toInsightRow } from "./row-shape";
import { SEARCH_COUNT_CAP } from "./search-cap";

// The insight page's reads. Filtering, sorting, paging and counting happen in PostgreSQL; the
// browser only ever receives one page. The CSV reads the same rows through ./stream.

export { fetchTagKeys, fetchTagValues } from "./tag-options";
export { streamInsightRows } from "./stream";

export interface InsightPage {
  rows: InsightRow[];
  /** The keys the filters select; a capped search's: SEARCH_COUNT_CAP, a lower bound. */
  total: number;
  /** The page shown: the last one when the asked-for page is past the end. */
  page: number;
  pageSize: number;
  /** The pages there are; a capped search's: those known, up to this one and the next if any. */
  pageCount: number;
  /** A text search that matches more than SEARCH_COUNT_CAP keys (./search-cap). */
  capped: boolean;
  /** A capped search's cursor of the next page (for `after`); null on the last and otherwise. */
  nextAfter: string | null;
}

export async function fetchInsightPage(
  db: PrismaClient,
  asked: InsightFilters,
  scope: AccountScope,
): Promise<InsightPage> {
  // The page and its total side by side (the total comes from the count tables); a text search
  // gives both in one statement, from one pass over its matches (see insightPageQuery), and past
  // SEARCH_COUNT_CAP matches its page is walked through the sort's index (readWalkedPage): from the
  // cursor of the page before when the pager gave one (`after`), else from the offset.
  const read = rowReader(db);
  const total = async () => (await read<{ total: number }>(insightTotalQuery(filters, scope)))[0]?.total ?? 0;
  const filters = await withChangeStart(read, asked, scope);
  const readPage = async (page: number) => {
    if (filters.q) {
      // A cursor is only given past the cap: the matches are not gathered for the page then, unless
      // the search no longer goes past it.
      const matched = () => read<RowRecord & { total: number }>(insightPageQuery(filters, scope, page));
      const rows = filters.after ? null : await matched();
      const counted = rows?.length ? rows[0]!.total : await total();
      if (counted <= SEARCH_COUNT_CAP)
        return {
          total: counted,
          rows: (rows ?? (await matched())).map(toInsightRow),
          capped: false,
          next: null,
        };
      const after = filters.after ? decodeCursor(filters.after, filters) : null;
      const walked = await readWalkedPage(
        read,
        filters,
        scope,
        after && !("refused" in after) ? { after } : { offset: (page - 1) * filters.pageSize },
      );
      return { total: SEARCH_COUNT_CAP, rows: walked.rows, capped: true, next: walked.next };
    }
    const [rows, counted] = await Promise.all([
      read<RowRecord>(insightPageQuery(filters, scope, page)),
      total(),
    ]);
    return { total: counted, rows: rows.map(toInsightRow), capped: false, next: null };
  };
  // An exception that expired since the last read opens its findings before they are shown.
  const { rows, total: counted, capped, next } = await readAfterExpiries(db, () => readPage(filters.page));
  const shown = { page: filters.page, pageSize: filters.pageSize };
  if (capped) {
    const nextAfter = next ? encodeCursor(filters, next) : null;
    const pageCount = filters.page + (next ? 1 : 0);
    return { rows, total: counted, ...shown, pageCount, capped, nextAfter };
  }
  const pageCount = Math.max(1, Math.ceil(counted / filters.pageSize));
  if (filters.page > pageCount) {
    // A bookmarked page past the end (keys went away since): show the last page instead.
    const last = await readPage(pageCount);
    if (!last.capped)
      return {
        ...shown,
        rows: last.rows,
        total: last.total,
        page: pageCount,
        pageCount,
        capped,
        nextAfter: null,
      };
  }
  return { rows, total: counted, ...shown, pageCount, capped, nextAfter: null };
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
