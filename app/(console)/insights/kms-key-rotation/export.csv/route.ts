import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/audit/client-address";
import { requireUser, userForRoute } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { getExportPool } from "@/lib/db/export-pool";
import { findingsExportResponse } from "@/lib/findings-format/export-response";

// The CSV of the table's current view: `export?format=csv` at the address CSV links have always
// had (any `format` parameter here is ignored). See ../export/route.ts.
export async function GET(request: NextRequest): Promise<Response> {
  const user = await userForRoute(requireUser);
  if (user instanceof Response) return user;
  const exports = getExportPool();
  if (!exports) return NextResponse.json({ error: "The database is not configured." }, { status: 503 });
  const params = new URLSearchParams(request.nextUrl.searchParams);
  params.delete("format");
  return findingsExportResponse({
    db: prisma,
    exports,
    params,
    user,
    ip: clientAddressOf((name) => request.headers.get(name)),
  });
}
