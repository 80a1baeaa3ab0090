import { rawInsightCsvChunks } from "@/lib/csv/raw-insight-csv";
import type { RawRowBatch } from "@/lib/insight-table/stream";
import { asffRecord } from "./asff";
import { FINDING_FORMAT_LABELS, FINDING_FORMATS, type FindingFormat } from "./format-list";
import type { FindingContext } from "./context";
import { jsonLinesOfBatches } from "./json-lines";
import { ocsfRecord } from "./ocsf";
import { rawJsonLinesChunks } from "./raw-jsonl";

// The formats of the insight's export, one place for the route, the CLI and the console's menu.
// Each is a mapping of the same stream of rows (auditedExportBatches); the JSON ones are JSON Lines,
// one finding a line, so that they stream like the CSV (docs/finding-formats.md).

export { FINDING_FORMATS, type FindingFormat } from "./format-list";

export interface FindingFormatSpec {
  id: FindingFormat;
  /** What the console's menu says. */
  label: string;
  contentType: string;
  /** The file name's ending, dot included. */
  extension: string;
  /** The file's bytes from the rows' batches (the CSV writes most values as they come). */
  chunks(batches: AsyncIterable<RawRowBatch>, ctx: FindingContext): AsyncIterable<Uint8Array<ArrayBuffer>>;
}

const JSON_LINES = "application/x-ndjson; charset=utf-8";

export const FINDING_FORMAT_SPECS: Record<FindingFormat, FindingFormatSpec> = {
  csv: {
    id: "csv",
    label: FINDING_FORMAT_LABELS.csv,
    contentType: "text/csv; charset=utf-8",
    extension: ".csv",
    chunks: (batches) => rawInsightCsvChunks(batches),
  },
  jsonl: {
    id: "jsonl",
    label: FINDING_FORMAT_LABELS.jsonl,
    contentType: JSON_LINES,
    extension: ".jsonl",
    chunks: (batches, ctx) => rawJsonLinesChunks(batches, ctx),
  },
  ocsf: {
    id: "ocsf",
    label: FINDING_FORMAT_LABELS.ocsf,
    contentType: JSON_LINES,
    extension: ".ocsf.jsonl",
    chunks: (batches, ctx) => jsonLinesOfBatches(batches, (row) => ocsfRecord(row, ctx)),
  },
  asff: {
    id: "asff",
    label: FINDING_FORMAT_LABELS.asff,
    contentType: JSON_LINES,
    extension: ".asff.jsonl",
    chunks: (batches, ctx) => jsonLinesOfBatches(batches, (row) => asffRecord(row, ctx)),
  },
};

/** The format a `format=` parameter or `--format` names (any case; none: CSV), or what to say. */
export function parseFindingFormat(
  value: string | null | undefined,
): { ok: true; format: FindingFormatSpec } | { ok: false; message: string } {
  const id = (value ?? "csv").trim().toLowerCase();
  if ((FINDING_FORMATS as readonly string[]).includes(id)) {
    return { ok: true, format: FINDING_FORMAT_SPECS[id as FindingFormat] };
  }
  const shown = (value ?? "").length > 40 ? `${value!.slice(0, 40)}…` : value;
  return { ok: false, message: `Unknown format "${shown}": use ${FINDING_FORMATS.join(", ")}.` };
}

/** `kms-key-rotation-2026-11-30.ocsf.jsonl`: the UTC date, and only filename-safe characters. */
export function exportFileName(prefix: string, format: FindingFormatSpec, date: Date): string {
  const safePrefix = prefix.replace(/[^A-Za-z0-9._-]+/g, "-");
  return `${safePrefix}-${date.toISOString().slice(0, 10)}${format.extension}`;
}
