import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/audit/client-address";
import { AuthError, requireUser } from "@/lib/auth/session";
import { csvFileName, insightCsvWebStream } from "@/lib/csv";
import { prisma } from "@/lib/db";
import { auditedExportRows, EXPORT_FILE_PREFIX } from "@/lib/insight-table/export";
import { parseInsightFilters } from "@/lib/insight-table/filters";

// The CSV of the table's current view: the page's parameters, all pages, streamed from a database
// cursor so that a million rows never sit in memory. Unusable parameters are ignored as on the page.
export async function GET(request: NextRequest): Promise<Response> {
  let user;
  try {
    user = await requireUser();
  } catch (err) {
    if (err instanceof AuthError) return NextResponse.json({ error: err.message }, { status: err.status });
    throw err;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return NextResponse.json({ error: "The database is not configured." }, { status: 503 });

  const { filters } = parseInsightFilters(request.nextUrl.searchParams);
  const rows = auditedExportRows(prisma, databaseUrl, filters, user.accountScope, {
    actorId: user.id,
    actorEmail: user.email,
    ip: clientAddressOf((name) => request.headers.get(name)),
  });
  return new Response(insightCsvWebStream(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFileName(EXPORT_FILE_PREFIX, new Date())}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
