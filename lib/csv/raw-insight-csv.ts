import { formatTags } from "@/lib/insight-table/columns";
import { isoOfUtcText, isUtcText, hasRawRowTypes, plainTagsInOrder } from "@/lib/insight-table/raw-row";
import { ROW_INDEX, tagList } from "@/lib/insight-table/row-shape";
import { fieldParsers, parsedRow, type RawRowBatch } from "@/lib/insight-table/stream";
import { STATUS_LABELS, statusFromEnum } from "@/lib/triage/status";
import { isoDate, isoDateTime } from "@/lib/verdict/dates";
import { recurring } from "@/lib/verdict/recurring";
import { csvField, csvRecord, recordChunks, UTF8_BOM } from "./csv-stream";
import { INSIGHT_CSV_COLUMNS } from "./insight-csv";
import { neutralizeCell } from "./neutralize";

// The insight's CSV (INSIGHT_CSV_COLUMNS, byte for byte) written from the rows' texts as pg reads
// them (streamRawInsightBatches), without making an InsightRow of each: no Date, array or tag
// objects, no row objects, no formatting of a value that only has to be copied. A million-key
// export spent most of its time and garbage making those (docs/benchmarks.md, "Export (issue 17)").
// Each value takes the shortest way to the same text as formatCell's; any value off that way (a
// timestamp seen first, tags out of order or of another shape, an array with quoted elements, an
// exception) goes the long way, which is formatCell's own code.

type Parser = (text: string) => unknown;
type Raw = readonly (string | null)[];

const cell = (text: string): string => csvField(neutralizeCell(text));

/** The long way: the row parsed as streamInsightRows parses it, then INSIGHT_CSV_COLUMNS. */
function parsedRecord(raw: Raw, parsers: readonly Parser[]): string {
  const row = parsedRow(raw, parsers);
  let record = "";
  for (let i = 0; i < INSIGHT_CSV_COLUMNS.length; i++) {
    record += (i === 0 ? "" : ",") + cell(INSIGHT_CSV_COLUMNS[i]!.value(row));
  }
  return record + "\r\n";
}

/**
 * The cells of a timestamp's text: its ISO 8601 text rearranged (isoOfUtcText), or for any other (a
 * year before 1000 or after 9999, BC, infinity) parsed and formatted as the table does (those are
 * few, and remembered).
 */
function timestampCells(parse: Parser) {
  const date = recurring((text: string) => cell(isoDate(parse(text) as Date | null)));
  const dateTime = recurring((text: string) => cell(isoDateTime(parse(text) as Date | null)));
  return {
    date: (text: string): string => (isUtcText(text) ? text.slice(0, 10) : date(text)),
    dateTime: (text: string): string => (isUtcText(text) ? isoOfUtcText(text) : dateTime(text)),
  };
}

/** `{alias/a,alias/b}` → `alias/a, alias/b` when no element is quoted or NULL; else pg's parser. */
function aliasesText(text: string, parse: Parser): string {
  if (text === "{}") return "";
  const inner = text.slice(1, -1);
  if (/["\\{}]/.test(inner) || inner.includes("NULL")) return (parse(text) as string[]).join(", ");
  return inner.replaceAll(",", ", ");
}

/** formatTags(tagList(tags)) for tags whose keys and values are strings, keys in order already. */
function tagsText(text: string, parse: Parser): string {
  if (text === "[]") return "";
  const tags = parse(text);
  const plain = plainTagsInOrder(tags, { distinctKeys: false });
  if (!plain) return formatTags(tagList(tags));
  let out = "";
  for (let i = 0; i < plain.length; i++) out += (i === 0 ? "" : "; ") + plain[i]!.key + "=" + plain[i]!.value;
  return out;
}

const statusCell = recurring((text: string) => cell(STATUS_LABELS[statusFromEnum(text)]));

/**
 * A batch's records (each with its CRLF), made one at a time as the writer takes them: each is
 * garbage as soon as it is written, rather than a batch of them living on together.
 */
function* batchRecords(
  batch: RawRowBatch,
  parsers: readonly Parser[],
  cache: ReturnType<typeof timestampCells>,
): Generator<string> {
  const at = ROW_INDEX;
  const parseAliases = parsers[at.aliases]!;
  const parseTags = parsers[at.tags]!;
  for (const v of batch.rows) {
    const aliases = v[at.aliases];
    const tags = v[at.tags];
    const status = v[at.status];
    if (aliases == null || tags == null || status == null || v[at.exception] != null) {
      yield parsedRecord(v, parsers);
      continue;
    }
    const period = v[at.rotation_period_days];
    const next = v[at.next_rotation];
    const last = v[at.last_rotation];
    const evaluated = v[at.evaluated_at];
    const firstSeen = v[at.first_failed_at];
    const openFor = v[at.open_for_days];
    const due = v[at.due_at];
    yield (
      cell(v[at.severity] ?? "") +
      "," +
      cell(v[at.account_id] ?? "") +
      "," +
      cell(v[at.account_name] ?? "") +
      "," +
      cell(v[at.region] ?? "") +
      "," +
      cell(v[at.key_id] ?? "") +
      "," +
      cell(aliasesText(aliases, parseAliases)) +
      "," +
      cell(v[at.rotation_status] ?? "") +
      "," +
      // int4's text is String() of its number
      (period == null ? "" : cell(period)) +
      "," +
      (next == null ? "" : cache.date(next)) +
      "," +
      (last == null ? "" : cache.date(last)) +
      "," +
      cell(v[at.key_manager] ?? "") +
      "," +
      cell(v[at.key_spec] ?? "") +
      "," +
      cell(v[at.key_state] ?? "") +
      "," +
      cell(v[at.origin] ?? "") +
      "," +
      cell(tagsText(tags, parseTags)) +
      "," +
      cell(v[at.reason] ?? "") +
      "," +
      cell(v[at.finding_description] ?? "") +
      "," +
      cell(v[at.arn] ?? "") +
      "," +
      (evaluated == null ? "" : cache.dateTime(evaluated)) +
      "," +
      statusCell(status) +
      "," +
      (firstSeen == null ? "" : cache.dateTime(firstSeen)) +
      "," +
      (openFor == null ? "" : cell(openFor)) +
      "," +
      (due == null ? "" : cache.date(due)) +
      // No exception: its two cells are empty.
      ",,\r\n"
    );
  }
}

/**
 * The insight's CSV from streamRawInsightBatches' batches: the same bytes as
 * `csvChunks(INSIGHT_CSV_COLUMNS, rows)` of the same rows parsed, made a batch at a time and as
 * the consumer asks for chunks, so that memory stays flat for any number of rows.
 */
export function rawInsightCsvChunks(
  batches: AsyncIterable<RawRowBatch>,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  return recordChunks(
    UTF8_BOM + csvRecord(INSIGHT_CSV_COLUMNS.map((column) => column.header)),
    (async function* () {
      let cache: ReturnType<typeof timestampCells> | undefined;
      for await (const batch of batches) {
        const parsers = fieldParsers(batch.fields);
        if (hasRawRowTypes(batch)) {
          cache ??= timestampCells(parsers[ROW_INDEX.evaluated_at]!);
          yield batchRecords(batch, parsers, cache);
        } else {
          yield batch.rows.map((raw) => parsedRecord(raw, parsers));
        }
      }
    })(),
  );
}
