import { NextResponse, type NextRequest } from "next/server";
import { clientIp } from "@/lib/actions/result";
import { AUDIT_CSV_COLUMNS, AUDIT_EXPORT_PREFIX, auditedAuditRows } from "@/lib/audit/export";
import { parseAuditFilters } from "@/lib/audit/filters";
import { AuthError, requireAdmin } from "@/lib/auth/session";
import { csvFileName, csvWebStream } from "@/lib/csv";
import { prisma } from "@/lib/db";

// The audit log as CSV, for admins only: the page's filters, every page, read in batches as the
// download goes. Unusable parameters are ignored as on the page. The export is itself audited.
export async function GET(request: NextRequest): Promise<Response> {
  let admin;
  try {
    admin = await requireAdmin();
  } catch (err) {
    if (err instanceof AuthError) return NextResponse.json({ error: err.message }, { status: err.status });
    throw err;
  }
  const { filters } = parseAuditFilters(request.nextUrl.searchParams);
  const rows = auditedAuditRows(prisma, filters, {
    actorId: admin.id,
    actorEmail: admin.email,
    ip: await clientIp(),
  });
  return new Response(csvWebStream(AUDIT_CSV_COLUMNS, rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFileName(AUDIT_EXPORT_PREFIX, new Date())}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
