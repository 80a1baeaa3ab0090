import type { AccountScope } from "@/lib/auth/account-scope";
import { streamedDownload } from "@/lib/csv/download";
import type { ExportPool } from "@/lib/db/export-pool";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { auditedExportBatches, EXPORT_FILE_PREFIX } from "@/lib/insight-table/export";
import { parseInsightFilters } from "@/lib/insight-table/filters";
import { loadFindingContext } from "./context";
import { exportFileName, parseFindingFormat } from "./formats";

/**
 * The export route's answer for a signed-in user: the rows of the table's view (its URL's filters,
 * all pages, the user's accounts) in the format `format=` names, streamed from the export pool and
 * audited. An unknown format is a 400 naming the formats; unusable filters are ignored as on the page.
 */
export async function findingsExportResponse(opts: {
  db: PrismaClient;
  exports: ExportPool;
  params: URLSearchParams;
  user: { id: string; email: string; accountScope: AccountScope };
  ip: string | null;
  now?: Date;
}): Promise<Response> {
  const parsed = parseFindingFormat(opts.params.get("format"));
  if (!parsed.ok) {
    return new Response(parsed.message + "\n", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const format = parsed.format;
  const { filters } = parseInsightFilters(opts.params);
  const ctx = await loadFindingContext(opts.db);
  return streamedDownload({
    exports: opts.exports,
    user: opts.user.id,
    fileName: exportFileName(EXPORT_FILE_PREFIX, format, opts.now ?? new Date()),
    contentType: format.contentType,
    chunks: (pool) =>
      format.chunks(
        auditedExportBatches(
          opts.db,
          pool,
          filters,
          opts.user.accountScope,
          { actorId: opts.user.id, actorEmail: opts.user.email, ip: opts.ip },
          format.id,
        ),
        ctx,
      ),
  });
}
