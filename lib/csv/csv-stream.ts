import { Readable } from "node:stream";
import { neutralizeCell } from "./neutralize";

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string;
}

/** Excel reads a CSV as UTF-8 only when it starts with a byte order mark; other tools ignore it. */
export const UTF8_BOM = "\uFEFF";

/** A chunk holds at most this many rows or about this many bytes: the most read ahead. */
const CHUNK_ROWS = 1000;
const CHUNK_CHARS = 64 * 1024;
/** Room for a full chunk and the record that ends it. */
const CHUNK_BYTES = 2 * CHUNK_CHARS;

const encoder = new TextEncoder();
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, a double quote (doubled inside), a CR or an LF
 * (either alone, as well as the CRLF that ends a record); as is otherwise, "" included. The same
 * bytes as csv-stringify with a CRLF record delimiter (csv-stream.test.ts compares them), at a
 * fraction of its cost per cell.
 */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A record: its fields, comma-separated, and the CRLF that ends it. */
export function csvRecord(fields: readonly string[]): string {
  let record = "";
  for (let i = 0; i < fields.length; i++) record += (i === 0 ? "" : ",") + csvField(fields[i]!);
  return record + "\r\n";
}

/**
 * RFC 4180 CSV (CRLF, quotes doubled, fields with `,` `"` CR or LF quoted), UTF-8 with a BOM,
 * header row first, every cell neutralised against formula injection. A generator: rows are
 * pulled from `rows` only as the consumer asks for chunks, so memory stays flat for any size.
 * Each record is written into the chunk's buffer as soon as it is made (one small string to
 * encode at a time, rather than a chunk-long string of thousands of pieces to flatten first).
 */
export async function* csvChunks<T>(
  columns: readonly CsvColumn<T>[],
  rows: AsyncIterable<T> | Iterable<T>,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  yield* recordChunks(
    UTF8_BOM + csvRecord(columns.map((column) => column.header)),
    (async function* () {
      for await (const row of rows) {
        let record = "";
        for (let i = 0; i < columns.length; i++) {
          record += (i === 0 ? "" : ",") + csvField(neutralizeCell(columns[i]!.value(row)));
        }
        yield [record + "\r\n"];
      }
    })(),
  );
}

/**
 * `first` (if any), then the records (each with its line end), given in groups (a batch of rows,
 * or one), as UTF-8 chunks of at most CHUNK_ROWS records or about CHUNK_CHARS: csvChunks' writer,
 * and that of files whose records are made a batch at a time (the export's formats). Each record
 * is written into the chunk's buffer as soon as it is made. A record may come in pieces, and a
 * piece as UTF-8 bytes already (what is the same in every record is encoded once, not per record):
 * each piece counts as a record towards CHUNK_ROWS.
 */
export async function* recordChunks(
  first: string,
  groups: AsyncIterable<Iterable<string | Uint8Array>>,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  if (first) yield encoder.encode(first);
  // One buffer to write into, and each chunk a copy of what it holds: the chunks take only their own
  // bytes (about half of it), not a fresh buffer each that lives on half empty until collected.
  const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  let used = 0;
  let count = 0;
  const take = (): Uint8Array<ArrayBuffer> => {
    const chunk = new Uint8Array(used);
    buffer.copy(chunk, 0, 0, used);
    used = 0;
    count = 0;
    return chunk;
  };
  for await (const group of groups) {
    for (const record of group) {
      if (typeof record !== "string") {
        if (used + record.length > buffer.length) {
          if (used > 0) yield take();
          if (record.length > buffer.length) {
            yield new Uint8Array(record);
            continue;
          }
        }
        buffer.set(record, used);
        used += record.length;
        if (++count >= CHUNK_ROWS || used >= CHUNK_CHARS) yield take();
        continue;
      }
      // A UTF-16 code unit is at most 3 UTF-8 bytes: flush first when the record might not fit.
      if (used + record.length * 3 > buffer.length) {
        if (used > 0) yield take();
        if (record.length * 3 > buffer.length) {
          yield encoder.encode(record);
          continue;
        }
      }
      used += buffer.write(record, used, "utf8");
      if (++count >= CHUNK_ROWS || used >= CHUNK_CHARS) yield take();
    }
  }
  if (used > 0) yield take();
}

/** A Node byte stream that reads from `chunks` only while its buffer is below the high-water mark. */
export function toNodeStream(chunks: AsyncIterable<Uint8Array>): Readable {
  return Readable.from(chunks, {
    objectMode: false,
    highWaterMark: CHUNK_CHARS,
  });
}

export interface WebStreamOptions {
  /**
   * The reader must ask for the next chunk within this many milliseconds, else the stream ends in
   * an error and the source is closed: a download whose client stopped reading gives back its
   * database connection instead of holding it for ever.
   */
  stallMs?: number;
  /** Called once the source is closed, however the stream ended (done, failed, cancelled, stalled). */
  onClose?: () => void;
}

export class StalledReaderError extends Error {
  constructor(ms: number) {
    super(`The download was ended: its reader took nothing for ${Math.round(ms / 1000)} s.`);
  }
}

/**
 * A web stream (for `new Response(...)` in a route handler) that pulls a chunk only when the
 * reader asks (high-water mark 0), and closes the source when the reader cancels or stalls.
 */
export function toWebStream<C extends Uint8Array>(
  chunks: AsyncIterable<C>,
  opts: WebStreamOptions = {},
): ReadableStream<C> {
  const iterator = chunks[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const close = async (reason?: unknown) => {
    clearTimeout(timer);
    if (closed) return;
    closed = true;
    try {
      if (reason !== undefined) await iterator.return?.(reason);
    } finally {
      opts.onClose?.();
    }
  };
  const arm = (controller: ReadableStreamDefaultController<C>) => {
    if (!opts.stallMs) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const err = new StalledReaderError(opts.stallMs!);
      controller.error(err);
      void close(err);
    }, opts.stallMs);
    timer.unref?.();
  };
  return new ReadableStream<C>(
    {
      start(controller) {
        arm(controller);
      },
      async pull(controller) {
        clearTimeout(timer);
        let result: IteratorResult<C>;
        try {
          result = await iterator.next();
        } catch (err) {
          await close();
          throw err;
        }
        if (result.done) {
          controller.close();
          await close();
        } else {
          controller.enqueue(result.value);
          arm(controller);
        }
      },
      async cancel(reason) {
        await close(reason ?? "cancelled");
      },
    },
    { highWaterMark: 0 },
  );
}

export function csvStream<T>(
  columns: readonly CsvColumn<T>[],
  rows: AsyncIterable<T> | Iterable<T>,
): Readable {
  return toNodeStream(csvChunks(columns, rows));
}

export function csvWebStream<T>(
  columns: readonly CsvColumn<T>[],
  rows: AsyncIterable<T> | Iterable<T>,
  opts?: WebStreamOptions,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return toWebStream(csvChunks(columns, rows), opts);
}

/** `kms-key-rotation-2026-11-30.csv`: the UTC date, and only filename-safe characters. */
export function csvFileName(prefix: string, date: Date): string {
  const safePrefix = prefix.replace(/[^A-Za-z0-9._-]+/g, "-");
  return `${safePrefix}-${date.toISOString().slice(0, 10)}.csv`;
}
