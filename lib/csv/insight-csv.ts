import type { Readable } from "node:stream";
import { INSIGHT_COLUMNS, type InsightRow, formatCell } from "@/lib/insight-table/columns";
import { type CsvColumn, csvStream, csvWebStream, type WebStreamOptions } from "./csv-stream";

/** The insight's table columns, same headers, order and cell text. */
export const INSIGHT_CSV_COLUMNS: readonly CsvColumn<InsightRow>[] = INSIGHT_COLUMNS.map(
  ({ id, header }) => ({
    header,
    value: (row: InsightRow) => formatCell(row, id),
  }),
);

export function insightCsvStream(rows: AsyncIterable<InsightRow> | Iterable<InsightRow>): Readable {
  return csvStream(INSIGHT_CSV_COLUMNS, rows);
}

export function insightCsvWebStream(
  rows: AsyncIterable<InsightRow> | Iterable<InsightRow>,
  opts?: WebStreamOptions,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return csvWebStream(INSIGHT_CSV_COLUMNS, rows, opts);
}
