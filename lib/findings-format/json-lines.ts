/** A chunk holds at most this many records or about this many characters: the most read ahead. */
const CHUNK_RECORDS = 1000;
const CHUNK_CHARS = 64 * 1024;

const encoder = new TextEncoder();

/**
 * JSON Lines (one JSON object a line, LF, UTF-8, no BOM): each row mapped by `record` and written as
 * the consumer asks for chunks, so that memory stays flat for any number of rows, as the CSV's.
 */
export async function* jsonLinesChunks<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  record: (row: T) => unknown,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  let text = "";
  let count = 0;
  for await (const row of rows) {
    // JSON.stringify escapes LF and CR inside strings: a record is always one line.
    text += JSON.stringify(record(row)) + "\n";
    if (++count >= CHUNK_RECORDS || text.length >= CHUNK_CHARS) {
      yield encoder.encode(text) as Uint8Array<ArrayBuffer>;
      text = "";
      count = 0;
    }
  }
  if (text) yield encoder.encode(text) as Uint8Array<ArrayBuffer>;
}
