import type pg from "pg";
import { toWebStream } from "@/lib/csv/csv-stream";
import { ExportsBusyError, type ExportPool } from "@/lib/db/export-pool";

// The response of the commands script route: its lines streamed as they are made, holding one of the
// export pool's slots as a CSV download does (given back however the stream ends); 429 when busy.

const CHUNK_CHARS = 64 * 1024;
const encoder = new TextEncoder();

/** The lines, newline-ended, in chunks of about 64 KiB. */
export async function* textChunks(lines: AsyncIterable<string>): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  let chunk = "";
  for await (const line of lines) {
    chunk += line + "\n";
    if (chunk.length >= CHUNK_CHARS) {
      yield encoder.encode(chunk);
      chunk = "";
    }
  }
  if (chunk) yield encoder.encode(chunk);
}

export function scriptDownload(opts: {
  exports: ExportPool;
  user: string;
  fileName: string;
  lines: (pool: pg.Pool) => AsyncIterable<string>;
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
  const body = toWebStream(textChunks(opts.lines(opts.exports.pool)), {
    stallMs: opts.exports.limits.stallMs,
    onClose: slot.release,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/x-shellscript; charset=utf-8",
      "Content-Disposition": `attachment; filename="${opts.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
