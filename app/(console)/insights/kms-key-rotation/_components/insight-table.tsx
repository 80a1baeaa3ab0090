import { prisma } from "@/lib/db";
import type { AccountScope } from "@/lib/insights/account-scope";
import { INSIGHT_COLUMNS, type InsightColumnId, formatCell } from "@/lib/insights/columns";
import { exportFilters, type InsightFilters } from "@/lib/insights/filters";
import { fetchInsightPage, insightState } from "@/lib/insights/query";
import { INSIGHT_TABLE_PATH } from "@/lib/insights/table-href";
import type { DisplayRow } from "./display-row";
import { EmptyState } from "./empty-state";
import { InsightDataTable } from "./insight-data-table";
import { TablePagination } from "./table-pagination";
import { clearedHref, viewHref } from "./view-href";

/** Cells are cut for the screen (a tag value may hold 100,000 characters); the CSV has them whole. */
const MAX_CELL = 300;
function shortened(text: string): string {
  return text.length > MAX_CELL ? `${Array.from(text).slice(0, MAX_CELL).join("")}…` : text;
}

export async function InsightTable({
  filters,
  scope,
  isAdmin,
}: {
  filters: InsightFilters;
  scope: AccountScope;
  isAdmin: boolean;
}) {
  const page = await fetchInsightPage(prisma, filters, scope);
  if (page.total === 0) {
    return (
      <EmptyState
        state={await insightState(prisma, scope)}
        isAdmin={isAdmin}
        clearHref={clearedHref(filters)}
      />
    );
  }
  const rows: DisplayRow[] = page.rows.map((row) => ({
    id: row.id,
    severity: row.severity,
    cells: Object.fromEntries(
      INSIGHT_COLUMNS.map(({ id }) => [id, shortened(formatCell(row, id))]),
    ) as Record<InsightColumnId, string>,
  }));
  return (
    <div className="space-y-3">
      <InsightDataTable
        rows={rows}
        filters={{ ...filters, page: page.page }}
        total={page.total}
        exportHref={viewHref(exportFilters(filters), `${INSIGHT_TABLE_PATH}/export.csv`)}
      />
      <TablePagination filters={filters} page={page.page} pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
