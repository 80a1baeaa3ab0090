import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import { neutralizeCell } from "./neutralize";

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string;
}

/** Excel reads a CSV as UTF-8 only when it starts with a byte order mark; other tools ignore it. */
export const UTF8_BOM = "\uFEFF";

const STRINGIFY_OPTIONS = {
  record_delimiter: "\r\n",
  // csv-stringify stops quoting lone LF / CR once record_delimiter is set; RFC 4180 needs both quoted.
  quote_record_delimiter: true,
} as const;

/** A chunk holds at most this many rows or about this many characters: the most read ahead. */
const CHUNK_ROWS = 1000;
const CHUNK_CHARS = 64 * 1024;

const encoder = new TextEncoder();

/**
 * RFC 4180 CSV (CRLF, quotes doubled, fields with `,` `"` CR or LF quoted), UTF-8 with a BOM,
 * header row first, every cell neutralised against formula injection. A generator: rows are
 * pulled from `rows` only as the consumer asks for chunks, so memory stays flat for any size.
 */
export async function* csvChunks<T>(
  columns: readonly CsvColumn<T>[],
  rows: AsyncIterable<T> | Iterable<T>,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  yield encoder.encode(UTF8_BOM + stringify([columns.map((column) => column.header)], STRINGIFY_OPTIONS));
  let batch: string[][] = [];
  let chars = 0;
  for await (const row of rows) {
    const record = columns.map((column) => neutralizeCell(column.value(row)));
    batch.push(record);
    chars += record.reduce((sum, cell) => sum + cell.length + 1, 0);
    if (batch.length >= CHUNK_ROWS || chars >= CHUNK_CHARS) {
      yield encoder.encode(stringify(batch, STRINGIFY_OPTIONS));
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) yield encoder.encode(stringify(batch, STRINGIFY_OPTIONS));
}

/** A Node byte stream that reads from `chunks` only while its buffer is below the high-water mark. */
export function toNodeStream(chunks: AsyncIterable<Uint8Array>): Readable {
  return Readable.from(chunks, {
    objectMode: false,
    highWaterMark: CHUNK_CHARS,
  });
}

/**
 * A web stream (for `new Response(...)` in a route handler) that pulls a chunk only when the
 * reader asks (high-water mark 0), and closes the source when the reader cancels.
 */
export function toWebStream<C extends Uint8Array>(chunks: AsyncIterable<C>): ReadableStream<C> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<C>(
    {
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
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
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return toWebStream(csvChunks(columns, rows));
}

/** `kms-key-rotation-2026-11-30.csv`: the UTC date, and only filename-safe characters. */
export function csvFileName(prefix: string, date: Date): string {
  const safePrefix = prefix.replace(/[^A-Za-z0-9._-]+/g, "-");
  return `${safePrefix}-${date.toISOString().slice(0, 10)}.csv`;
}
