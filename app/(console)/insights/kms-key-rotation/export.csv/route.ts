import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/audit/client-address";
import { requireUser, userForRoute } from "@/lib/auth/session";
import { INSIGHT_CSV_COLUMNS } from "@/lib/csv";
import { csvDownload } from "@/lib/csv/download";
import { prisma } from "@/lib/db";
import { getExportPool } from "@/lib/db/export-pool";
import { auditedExportRows, EXPORT_FILE_PREFIX } from "@/lib/insight-table/export";
import { parseInsightFilters } from "@/lib/insight-table/filters";

// The CSV of the table's current view: the page's parameters, all pages, streamed from a database
// cursor of the export pool so that a million rows never sit in memory and downloads never take the
// connections of the pages and the worker. Unusable parameters are ignored as on the page.
export async function GET(request: NextRequest): Promise<Response> {
  const user = await userForRoute(requireUser);
  if (user instanceof Response) return user;
  const exports = getExportPool();
  if (!exports) return NextResponse.json({ error: "The database is not configured." }, { status: 503 });

  const { filters } = parseInsightFilters(request.nextUrl.searchParams);
  return csvDownload({
    exports,
    user: user.id,
    filePrefix: EXPORT_FILE_PREFIX,
    columns: INSIGHT_CSV_COLUMNS,
    rows: (pool) =>
      auditedExportRows(prisma, pool, filters, user.accountScope, {
        actorId: user.id,
        actorEmail: user.email,
        ip: clientAddressOf((name) => request.headers.get(name)),
      }),
  });
}
