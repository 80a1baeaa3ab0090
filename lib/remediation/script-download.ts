import type pg from "pg";
import { streamedDownload } from "@/lib/csv/download";
import { lineChunks } from "@/lib/csv/line-chunks";
import type { ExportPool } from "@/lib/db/export-pool";

// The response of the commands script route: its lines streamed as they are made, holding one of the
// export pool's slots as a CSV download does (given back however the stream ends); 429 when busy.

/** The script route's response: the shared streamed download (an export slot, or 429 when busy). */
export function scriptDownload(opts: {
  exports: ExportPool;
  user: string;
  fileName: string;
  lines: (pool: pg.Pool) => AsyncIterable<string>;
}): Response {
  return streamedDownload({
    exports: opts.exports,
    user: opts.user,
    fileName: opts.fileName,
    contentType: "text/x-shellscript; charset=utf-8",
    chunks: (pool) => lineChunks(opts.lines(pool)),
  });
}
