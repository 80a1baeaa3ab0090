import { prisma } from "@/lib/db";
import { type DisplayRow, packRows, shortened, withoutDerived } from "@/lib/insight-table/display-row";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { InsightFilters } from "@/lib/insight-table/filters";
import { fetchInsightPage, insightState } from "@/lib/insight-table/query";
import { screenCell, screenCellTitle, TABLE_COLUMNS } from "@/lib/insight-table/screen-columns";
import { fetchStaleMarks, placeKey, staleMarkText } from "@/lib/insight-table/stale-marks";
import { statusDisplay } from "@/lib/insight-table/status-display";
import { clearedInsightTableHref, insightExportHref } from "@/lib/insight-table/table-href";
import { EmptyState } from "./empty-state";
import { InsightDataTable } from "./insight-data-table";
import { TablePagination } from "./table-pagination";

export async function InsightTable({
  filters,
  scope,
  isAdmin,
  canExcept,
  maxRotationDays,
}: {
  filters: InsightFilters;
  scope: AccountScope;
  isAdmin: boolean;
  /** Admins and analysts: rows can be selected for a new exception. */
  canExcept: boolean;
  /** The policy's longest rotation period: the default, and the most, a fix sets. */
  maxRotationDays: number;
}) {
  const page = await fetchInsightPage(prisma, filters, scope);
  if (page.total === 0) {
    return (
      <EmptyState
        state={await insightState(prisma, scope)}
        isAdmin={isAdmin}
        clearHref={clearedInsightTableHref(filters)}
      />
    );
  }
  const stale = await fetchStaleMarks(prisma, page.rows, scope);
  const rows = page.rows.map((row): DisplayRow => {
    const status = statusDisplay(row);
    const mark = stale.get(placeKey(row));
    const display: DisplayRow = {
      id: row.id,
      severity: row.severity,
      status: status.status,
      ...(status.overdue && { overdue: true }),
      ...(status.note && { note: shortened(status.note) }),
      ...(status.detail && { detail: shortened(status.detail) }),
      cells: TABLE_COLUMNS.map(({ id }) => shortened(screenCell(row, id))),
      tags: row.tags
        .toSorted((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((tag): [string, string] => [shortened(tag.key), shortened(tag.value)]),
      ...(mark && { stale: staleMarkText(mark) }),
    };
    const title = screenCellTitle(row, "key");
    // Each fact once: what the row's other fields give is left out (checked here, not assumed).
    return withoutDerived(display, title === screenCell(row, "key") ? "" : shortened(title));
  });
  return (
    <div className="space-y-3">
      <InsightDataTable
        rows={packRows(rows)}
        filters={{ ...filters, page: page.page }}
        total={page.total}
        capped={page.capped}
        exportHref={insightExportHref(filters)}
        canExcept={canExcept}
        maxRotationDays={maxRotationDays}
      />
      <TablePagination
        filters={filters}
        page={page.page}
        pageCount={page.pageCount}
        total={page.total}
        capped={page.capped}
        nextAfter={page.nextAfter}
        rowCount={page.rows.length}
      />
    </div>
  );
}
