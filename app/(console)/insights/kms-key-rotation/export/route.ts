import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/audit/client-address";
import { requireUser, userForRoute } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { getExportPool } from "@/lib/db/export-pool";
import { findingsExportResponse } from "@/lib/findings-format/export-response";

// The table's current view as `format=csv|jsonl|ocsf|asff` (docs/finding-formats.md): the page's
// parameters, all pages, streamed from a database cursor of the export pool so that a million rows
// never sit in memory and downloads never take the connections of the pages and the worker.
export async function GET(request: NextRequest): Promise<Response> {
  const user = await userForRoute(requireUser);
  if (user instanceof Response) return user;
  const exports = getExportPool();
  if (!exports) return NextResponse.json({ error: "The database is not configured." }, { status: 503 });
  return findingsExportResponse({
    db: prisma,
    exports,
    params: request.nextUrl.searchParams,
    user,
    ip: clientAddressOf((name) => request.headers.get(name)),
  });
}
