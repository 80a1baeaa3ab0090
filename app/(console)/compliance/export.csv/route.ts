import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/audit/client-address";
import { requireUser, userForRoute } from "@/lib/auth/session";
import { csvDownload } from "@/lib/csv/download";
import { prisma } from "@/lib/db";
import { getExportPool } from "@/lib/db/export-pool";
import {
  auditedComplianceRows,
  COMPLIANCE_CSV_COLUMNS,
  COMPLIANCE_EXPORT_PREFIX,
} from "@/lib/verdict/compliance-export";

// The compliance page's shares by account and framework as CSV, over the user's accounts, under
// the same caps as every download. The rows come from the count tables through Prisma (a few per
// account): the export pool's slot is held only for the caps.
export async function GET(request: NextRequest): Promise<Response> {
  const user = await userForRoute(requireUser);
  if (user instanceof Response) return user;
  const exports = getExportPool();
  if (!exports) return NextResponse.json({ error: "The database is not configured." }, { status: 503 });

  return csvDownload({
    exports,
    user: user.id,
    filePrefix: COMPLIANCE_EXPORT_PREFIX,
    columns: COMPLIANCE_CSV_COLUMNS,
    rows: () =>
      auditedComplianceRows(prisma, user.accountScope, {
        actorId: user.id,
        actorEmail: user.email,
        ip: clientAddressOf((name) => request.headers.get(name)),
      }),
  });
}
