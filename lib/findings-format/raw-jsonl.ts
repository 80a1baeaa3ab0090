import { recordChunks } from "@/lib/csv/csv-stream";
import type { InsightRow } from "@/lib/insight-table/columns";
import { hasRawRowTypes, isoOfUtcText, isUtcText, plainTagsInOrder } from "@/lib/insight-table/raw-row";
import { exceptionOf, ROW_INDEX } from "@/lib/insight-table/row-shape";
import { fieldParsers, parsedRow, type RawRowBatch } from "@/lib/insight-table/stream";
import { statusFromEnum } from "@/lib/triage/status";
import type { FindingContext } from "./context";
import { findingUid, INSIGHT_ID } from "./finding-id";
import { exceptionRecord, frameworksOf, jsonlRecord } from "./jsonl";
import { complianceResult, remediationOf } from "./mapping";

// The JSON Lines export (jsonlRecord, byte for byte) written from the rows' texts as pg reads them
// (streamRawInsightBatches), as the CSV is (lib/csv/raw-insight-csv.ts): no InsightRow, Date or
// record object per key, and what is the same in every record (the compliance frameworks) written
// once. Each value takes the shortest way to JSON.stringify's text of it; a row with any value off
// those ways (a timestamp outside the years 1000–9999, tags out of order or of another shape, an
// array with quoted or NULL elements) is written by jsonlRecord itself, so the output cannot differ.

type Parser = (text: string) => unknown;
type Raw = readonly (string | null)[];

// (hasRawRowTypes has seen every column: a value is a text or null.)
const str = (text: string | null | undefined): string => (text == null ? "null" : JSON.stringify(text));

/** The long way: the row parsed as streamInsightRows parses it, then jsonlRecord. */
function parsedLine(raw: Raw, parsers: readonly Parser[], ctx: FindingContext): string {
  return JSON.stringify(jsonlRecord(parsedRow(raw, parsers), ctx)) + "\n";
}

/** `{alias/a,alias/b}` → `["alias/a","alias/b"]` when no element is quoted or NULL; else null. */
function aliasesJson(text: string): string | null {
  if (text === "{}") return "[]";
  const inner = text.slice(1, -1);
  if (/["\\{}]/.test(inner) || inner.includes("NULL")) return null;
  let out = "[";
  let from = 0;
  for (;;) {
    const comma = inner.indexOf(",", from);
    out += JSON.stringify(comma < 0 ? inner.slice(from) : inner.slice(from, comma));
    if (comma < 0) return out + "]";
    out += ",";
    from = comma + 1;
  }
}

/**
 * `Object.fromEntries` of the tags as JSON, for tags whose keys and values are strings, keys in
 * increasing order (so none twice) and none an array index (which an object puts first); else null.
 */
function tagsJson(text: string, parse: Parser): string | null {
  if (text === "[]") return "{}";
  const tags = plainTagsInOrder(parse(text), { distinctKeys: true });
  if (!tags) return null;
  let out = "{";
  for (let i = 0; i < tags.length; i++) {
    const { key, value } = tags[i]!;
    if (/^\d+$/.test(key)) return null;
    out += (i === 0 ? "" : ",") + JSON.stringify(key) + ":" + JSON.stringify(value);
  }
  return out + "}";
}

/** A timestamp's ISO 8601 text as JSON, `null` for none, or undefined when it is off the short way. */
const isoJson = (text: string | null | undefined): string | undefined =>
  text == null ? "null" : isUtcText(text) ? '"' + isoOfUtcText(text) + '"' : undefined;

/** A batch's lines (each with its LF), made one at a time as the writer takes them. */
function* batchLines(batch: RawRowBatch, parsers: readonly Parser[], ctx: FindingContext): Generator<string> {
  const at = ROW_INDEX;
  const parseTags = parsers[at.tags]!;
  const parseOverdue = parsers[at.overdue]!;
  const parseException = parsers[at.exception]!;
  const statuses = new Map<string, string>();
  const results = new Map<string, string>();
  // What ends every record: the frameworks are the same in each.
  const insight = JSON.stringify(INSIGHT_ID);
  const frameworks = `,"frameworks":${JSON.stringify(frameworksOf(ctx.compliance))}}}\n`;
  for (const v of batch.rows) {
    const aliasesText = v[at.aliases];
    const tagsText = v[at.tags];
    const status = v[at.status];
    const severity = v[at.severity];
    const aliases = aliasesText == null ? null : aliasesJson(aliasesText);
    const tags = tagsText == null ? null : tagsJson(tagsText, parseTags);
    const next = isoJson(v[at.next_rotation]);
    const last = isoJson(v[at.last_rotation]);
    const evaluated = v[at.evaluated_at];
    const firstSeen = isoJson(v[at.first_failed_at]);
    const due = isoJson(v[at.due_at]);
    if (
      aliases === null ||
      tags === null ||
      status == null ||
      severity == null ||
      evaluated == null ||
      !isUtcText(evaluated) ||
      next === undefined ||
      last === undefined ||
      firstSeen === undefined ||
      due === undefined
    ) {
      yield parsedLine(v, parsers, ctx);
      continue;
    }
    let statusJson = statuses.get(status);
    if (statusJson === undefined) statuses.set(status, (statusJson = JSON.stringify(statusFromEnum(status))));
    let result = results.get(severity);
    if (result === undefined) {
      result = JSON.stringify(complianceResult({ severity: severity as InsightRow["severity"] }));
      results.set(severity, result);
    }
    const accountId = v[at.account_id]!;
    const region = v[at.region]!;
    const keyId = v[at.key_id]!;
    const arn = v[at.arn]!;
    const primaryArn = v[at.primary_arn];
    const exception = v[at.exception];
    const period = v[at.rotation_period_days];
    const openFor = v[at.open_for_days];
    const overdue = v[at.overdue];
    const remediation = remediationOf(
      {
        reason: v[at.reason] as InsightRow["reason"],
        keyId,
        region,
        primary: primaryArn ? { arn: primaryArn, region: v[at.primary_region] ?? null } : null,
      },
      ctx,
    );
    yield (
      '{"id":"' +
      findingUid({ accountId, region, arn }) +
      '","insight":' +
      insight +
      ',"severity":' +
      JSON.stringify(severity) +
      ',"status":' +
      statusJson +
      ',"accountId":' +
      JSON.stringify(accountId) +
      ',"accountName":' +
      str(v[at.account_name]) +
      ',"region":' +
      JSON.stringify(region) +
      ',"keyId":' +
      JSON.stringify(keyId) +
      ',"arn":' +
      JSON.stringify(arn) +
      ',"aliases":' +
      aliases +
      ',"rotationStatus":' +
      str(v[at.rotation_status]) +
      ',"rotationPeriodDays":' +
      // int4's text is String() of its number
      (period ?? "null") +
      ',"nextRotation":' +
      next +
      ',"lastRotation":' +
      last +
      ',"keyManager":' +
      str(v[at.key_manager]) +
      ',"keySpec":' +
      str(v[at.key_spec]) +
      ',"keyState":' +
      str(v[at.key_state]) +
      ',"origin":' +
      str(v[at.origin]) +
      ',"tags":' +
      tags +
      ',"reason":' +
      str(v[at.reason]) +
      ',"description":' +
      str(v[at.finding_description]) +
      ',"lastEvaluated":"' +
      isoOfUtcText(evaluated) +
      '","firstSeen":' +
      firstSeen +
      ',"openForDays":' +
      (openFor ?? "null") +
      ',"due":' +
      due +
      ',"overdue":' +
      (overdue != null && parseOverdue(overdue) === true ? "true" : "false") +
      ',"resolvedReason":' +
      str(v[at.resolved_reason]) +
      ',"exception":' +
      (exception == null ? "null" : JSON.stringify(exceptionRecord(exceptionOf(parseException(exception))))) +
      ',"remediation":' +
      JSON.stringify(remediation) +
      ',"compliance":{"result":' +
      result +
      frameworks
    );
  }
}

/**
 * The JSON Lines export from streamRawInsightBatches' batches: the same bytes as jsonLinesChunks of
 * the same rows parsed and mapped by jsonlRecord, made a batch at a time as the consumer asks.
 */
export function rawJsonLinesChunks(
  batches: AsyncIterable<RawRowBatch>,
  ctx: FindingContext,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  return recordChunks(
    "",
    (async function* () {
      for await (const batch of batches) {
        const parsers = fieldParsers(batch.fields);
        yield hasRawRowTypes(batch)
          ? batchLines(batch, parsers, ctx)
          : batch.rows.map((raw) => parsedLine(raw, parsers, ctx));
      }
    })(),
  );
}
