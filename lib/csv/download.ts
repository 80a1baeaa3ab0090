import type pg from "pg";
import { ExportsBusyError, type ExportPool } from "@/lib/db/export-pool";
import { csvChunks, csvFileName, toWebStream, type CsvColumn } from "./csv-stream";

/**
 * The response of a download route: the chunks streamed while the download holds one of the
 * export pool's slots, given back when the stream ends however it ends (finished, failed,
 * cancelled, or its reader stalled). With every slot of the user or of the server taken, a 429
 * with a sentence and Retry-After instead, at once.
 */
export function streamedDownload(opts: {
  exports: ExportPool;
  user: string;
  fileName: string;
  contentType: string;
  chunks: (pool: pg.Pool) => AsyncIterable<Uint8Array<ArrayBuffer>>;
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
  const body = toWebStream(opts.chunks(opts.exports.pool), {
    stallMs: opts.exports.limits.stallMs,
    onClose: slot.release,
  });
  return new Response(body, {
    headers: {
      "Content-Type": opts.contentType,
      "Content-Disposition": `attachment; filename="${opts.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** A CSV download route's response (see streamedDownload). */
export function csvDownload<T>(opts: {
  exports: ExportPool;
  user: string;
  filePrefix: string;
  columns: readonly CsvColumn<T>[];
  rows: (pool: pg.Pool) => AsyncIterable<T>;
  now?: Date;
}): Response {
  return streamedDownload({
    exports: opts.exports,
    user: opts.user,
    fileName: csvFileName(opts.filePrefix, opts.now ?? new Date()),
    contentType: "text/csv; charset=utf-8",
    chunks: (pool) => csvChunks(opts.columns, opts.rows(pool)),
  });
}
