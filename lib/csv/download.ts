import type pg from "pg";
import { ExportsBusyError, type ExportPool } from "@/lib/db/export-pool";
import { csvFileName, csvWebStream, type CsvColumn } from "./csv-stream";

/**
 * The response of a CSV download route: the rows streamed as CSV while the download holds one of
 * the export pool's slots, given back when the stream ends however it ends (finished, failed,
 * cancelled, or its reader stalled). With every slot of the user or of the server taken, a 429
 * with a sentence and Retry-After instead, at once.
 */
export function csvDownload<T>(opts: {
  exports: ExportPool;
  user: string;
  filePrefix: string;
  columns: readonly CsvColumn<T>[];
  rows: (pool: pg.Pool) => AsyncIterable<T>;
  now?: Date;
}): Response {
  let slot;
  try {
    slot = opts.exports.admit(opts.user);
  } catch (err) {
    if (!(err instanceof ExportsBusyError)) throw err;
    return new Response(err.message + "\n", {
      status: 429,
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Retry-After": String(err.retryAfterSeconds),
        "Cache-Control": "no-store",
      },
    });
  }
  const body = csvWebStream(opts.columns, opts.rows(opts.exports.pool), {
    stallMs: opts.exports.limits.stallMs,
    onClose: slot.release,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFileName(opts.filePrefix, opts.now ?? new Date())}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
