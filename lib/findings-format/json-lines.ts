import { lineChunks } from "@/lib/csv/line-chunks";

/**
 * JSON Lines (one JSON object a line, LF, UTF-8, no BOM): each row mapped by `record` and written as
 * the consumer asks for chunks, so that memory stays flat for any number of rows, as the CSV's.
 */
export function jsonLinesChunks<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  record: (row: T) => unknown,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  return lineChunks(jsonLines(rows, record));
}

async function* jsonLines<T>(rows: AsyncIterable<T> | Iterable<T>, record: (row: T) => unknown) {
  // JSON.stringify escapes LF and CR inside strings: a record is always one line.
  for await (const row of rows) yield JSON.stringify(record(row));
}
