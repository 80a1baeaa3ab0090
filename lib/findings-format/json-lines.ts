import { recordChunks } from "@/lib/csv/csv-stream";
import { type RawRowBatch, rawRowsOf } from "@/lib/insight-table/stream";
import type { InsightRow } from "@/lib/insight-table/columns";

// JSON.stringify escapes LF and CR inside strings: a record is always one line.
const line = (value: unknown) => JSON.stringify(value) + "\n";

/**
 * JSON Lines (one JSON object a line, LF, UTF-8, no BOM): each row mapped by `record` and written as
 * the consumer asks for chunks, so that memory stays flat for any number of rows, as the CSV's.
 */
export function jsonLinesChunks<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  record: (row: T) => unknown,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  return recordChunks(
    "",
    (async function* () {
      for await (const row of rows) yield [line(record(row))];
    })(),
  );
}

/** jsonLinesChunks of the export's batches (streamRawInsightBatches), a batch at a time. */
export function jsonLinesOfBatches(
  batches: AsyncIterable<RawRowBatch>,
  record: (row: InsightRow) => unknown,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  return recordChunks(
    "",
    (async function* () {
      for await (const batch of batches) yield lines(batch, record);
    })(),
  );
}

/** A batch's lines, each made as the writer takes it. */
function* lines(batch: RawRowBatch, record: (row: InsightRow) => unknown): Generator<string> {
  for (const row of rawRowsOf(batch)) yield line(record(row));
}
