import { NextResponse, type NextRequest } from "next/server";
import { clientIp } from "@/lib/actions/result";
import { AUDIT_CSV_COLUMNS, AUDIT_EXPORT_PREFIX, auditedAuditRows } from "@/lib/audit/export";
import { parseAuditFilters } from "@/lib/audit/filters";
import { requireAdmin, userForRoute } from "@/lib/auth/session";
import { csvDownload } from "@/lib/csv/download";
import { prisma } from "@/lib/db";
import { getExportPool } from "@/lib/db/export-pool";

// The audit log as CSV, for admins only: the page's filters, every page, read in batches as the
// download goes, under the same caps as every download. Unusable parameters are ignored as on the
// page. The export is itself audited.
export async function GET(request: NextRequest): Promise<Response> {
  const admin = await userForRoute(requireAdmin);
  if (admin instanceof Response) return admin;
  const exports = getExportPool();
  if (!exports) return NextResponse.json({ error: "The database is not configured." }, { status: 503 });

  const { filters } = parseAuditFilters(request.nextUrl.searchParams);
  const actor = { actorId: admin.id, actorEmail: admin.email, ip: await clientIp() };
  return csvDownload({
    exports,
    user: admin.id,
    filePrefix: AUDIT_EXPORT_PREFIX,
    columns: AUDIT_CSV_COLUMNS,
    // Keyset batches through Prisma: no connection is held between them.
    rows: () => auditedAuditRows(prisma, filters, actor),
  });
}
