import type { Readable } from "node:stream";
import { formatException, INSIGHT_COLUMNS, type InsightRow, formatCell } from "@/lib/insight-table/columns";
import { isoDate } from "@/lib/verdict/dates";
import { type CsvColumn, csvStream, csvWebStream, type WebStreamOptions } from "./csv-stream";

/**
 * The insight's table columns, same headers, order and cell text, then the exception of an
 * excepted finding for the auditor (its kind, justification, owner and id; its expiry).
 */
export const INSIGHT_CSV_COLUMNS: readonly CsvColumn<InsightRow>[] = [
  ...INSIGHT_COLUMNS.map(({ id, header }) => ({
    header,
    value: (row: InsightRow) => formatCell(row, id),
  })),
  { header: "Exception", value: formatException },
  { header: "Exception Expires", value: (row: InsightRow) => isoDate(row.exception?.expiresAt ?? null) },
];

export function insightCsvStream(rows: AsyncIterable<InsightRow> | Iterable<InsightRow>): Readable {
  return csvStream(INSIGHT_CSV_COLUMNS, rows);
}

export function insightCsvWebStream(
  rows: AsyncIterable<InsightRow> | Iterable<InsightRow>,
  opts?: WebStreamOptions,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  return csvWebStream(INSIGHT_CSV_COLUMNS, rows, opts);
}
