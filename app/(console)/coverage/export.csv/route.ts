import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/audit/client-address";
import { requireUser, userForRoute } from "@/lib/auth/session";
import { auditedCoverageRows, COVERAGE_CSV_COLUMNS, COVERAGE_EXPORT_PREFIX } from "@/lib/coverage/export";
import { parseCoverageFilters } from "@/lib/coverage/filters";
import { csvDownload } from "@/lib/csv/download";
import { prisma } from "@/lib/db";
import { getExportPool } from "@/lib/db/export-pool";

// The coverage page's view (its URL's filters, all pages, the user's accounts) as CSV, under the
// same caps as every download.
export async function GET(request: NextRequest): Promise<Response> {
  const user = await userForRoute(requireUser);
  if (user instanceof Response) return user;
  const exports = getExportPool();
  if (!exports) return NextResponse.json({ error: "The database is not configured." }, { status: 503 });
  const { filters } = parseCoverageFilters(request.nextUrl.searchParams);
  return csvDownload({
    exports,
    user: user.id,
    filePrefix: COVERAGE_EXPORT_PREFIX,
    columns: COVERAGE_CSV_COLUMNS,
    rows: () =>
      auditedCoverageRows(prisma, filters, user.accountScope, {
        actorId: user.id,
        actorEmail: user.email,
        ip: clientAddressOf((name) => request.headers.get(name)),
      }),
  });
}
