import { recordChunks } from "@/lib/csv/csv-stream";
import type { InsightRow } from "@/lib/insight-table/columns";
import { hasRawRowTypes, isoOfUtcText, isUtcText } from "@/lib/insight-table/raw-row";
import { exceptionOf, ROW_INDEX } from "@/lib/insight-table/row-shape";
import { fieldParsers, parsedRow, type RawRowBatch } from "@/lib/insight-table/stream";
import { statusFromEnum } from "@/lib/triage/status";
import type { FindingContext } from "./context";
import { findingUid, INSIGHT_ID } from "./finding-id";
import { exceptionRecord, frameworksOf, jsonlRecord } from "./jsonl";
import { complianceResult, remediationOf } from "./mapping";

// The JSON Lines export (jsonlRecord, byte for byte) written from the rows' texts as pg reads them
// (streamRawInsightBatches), as the CSV is (lib/csv/raw-insight-csv.ts): no InsightRow, Date or
// record object per key, and what is the same in every record (the compliance frameworks) encoded
// once, as bytes; the remediation filled into a template per reason. Each value takes the shortest
// way to JSON.stringify's text of it (tags copied from the jsonb's text); a row with any value off
// those ways (a timestamp outside the years 1000–9999, tags out of order or of another shape, an
// array with quoted or NULL elements) is written by jsonlRecord itself, so the output cannot differ.

type Parser = (text: string) => unknown;
type Raw = readonly (string | null)[];

// JSON.stringify escapes only these (a surrogate when it is alone): without them, its text of a
// string is the string in quotes, made here without its cost.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const json = (text: string): string => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : '"' + text + '"');
// (hasRawRowTypes has seen every column: a value is a text or null.)
const str = (text: string | null | undefined): string => (text == null ? "null" : json(text));

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

// One tag of the jsonb's text as PostgreSQL writes it (keys sorted by length: "key" before "value"),
// both of them strings, then what follows it in the array. PostgreSQL escapes a string in JSON as
// JSON.stringify does (\" \\ \b \f \n \r \t, other controls as \u00xx, nothing else), so each
// string's text is JSON.stringify's of its value as it stands.
const TAG = /\{"key": ("(?:[^"\\]|\\.)*"), "value": ("(?:[^"\\]|\\.)*")\}(, |\]$)/y;
const INDEX_KEY = /^"\d+"$/;

/**
 * `Object.fromEntries` of the tags as JSON, from the jsonb's text, for tags whose keys and values
 * are strings, keys in increasing order as written (so none twice) and none an array index (which
 * an object puts first); else null.
 */
function tagsJson(text: string): string | null {
  if (text === "[]") return "{}";
  if (text[0] !== "[") return null;
  TAG.lastIndex = 1;
  let out = "{";
  let previous = "";
  for (;;) {
    const m = TAG.exec(text);
    if (!m) return null;
    const key = m[1]!;
    if (key <= previous || INDEX_KEY.test(key)) return null;
    out += (previous === "" ? "" : ",") + key + ":" + m[2]!;
    if (m[3] !== ", ") return out + "}";
    previous = key;
  }
}

/** A timestamp's ISO 8601 text as JSON, `null` for none, or undefined when it is off the short way. */
const isoJson = (text: string | null | undefined): string | undefined =>
  text == null ? "null" : isUtcText(text) ? '"' + isoOfUtcText(text) + '"' : undefined;

// shellArg leaves such a text as it is, and JSON.stringify too: a key id or a region of these
// characters stands in the remediation's JSON as it is.
const PLAIN_WORD = /^[A-Za-z0-9._:/=+@-]+$/;
const KEY_SLOT = "kEyIdSlOt";
const REGION_SLOT = "rEgIoNsLoT";
const SLOTS = new RegExp(`(${KEY_SLOT}|${REGION_SLOT})`);

type RemediationJson = (keyId: string, region: string) => string;

/**
 * The remediation's JSON of a key that is not a replica, for one reason, as a template: made once
 * with stand-ins for the key id and the region, and kept only if it gives remediationOf's JSON for
 * other keys too (a probe of every plain character); null when it does not.
 */
function remediationTemplate(reason: string, ctx: FindingContext): RemediationJson | null {
  const direct = (keyId: string, region: string) =>
    JSON.stringify(
      remediationOf({ reason: reason as InsightRow["reason"], keyId, region, primary: null }, ctx),
    );
  const parts = direct(KEY_SLOT, REGION_SLOT).split(SLOTS);
  const render: RemediationJson = (keyId, region) => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) out += (parts[i] === KEY_SLOT ? keyId : region) + parts[i + 1]!;
    return out;
  };
  for (const [keyId, region] of [
    ["mrk-0A/b:c=d+e@f.g_h", "xx-Yy-9"],
    ["1", "r"],
  ] as const) {
    if (render(keyId, region) !== direct(keyId, region)) return null;
  }
  return render;
}

/** What every record of one export writes the same way, made once. */
function recordParts(ctx: FindingContext) {
  const encoder = new TextEncoder();
  const frameworks = JSON.stringify(frameworksOf(ctx.compliance));
  const tails = new Map<string, Uint8Array>();
  const templates = new Map<string, RemediationJson | null>();
  const statuses = new Map<string, string>();
  return {
    /** The record's end from its compliance result (the frameworks: half its bytes) as UTF-8. */
    tail(severity: string): Uint8Array {
      let tail = tails.get(severity);
      if (!tail) {
        const result = JSON.stringify(complianceResult({ severity: severity as InsightRow["severity"] }));
        tail = encoder.encode(`,"compliance":{"result":${result},"frameworks":${frameworks}}}\n`);
        tails.set(severity, tail);
      }
      return tail;
    },
    status(status: string): string {
      let json = statuses.get(status);
      if (json === undefined) statuses.set(status, (json = JSON.stringify(statusFromEnum(status))));
      return json;
    },
    /** A key's remediation as JSON, from a template where its texts allow. */
    remediation(
      reason: string | null,
      keyId: string,
      region: string,
      primaryArn: string | null,
      primaryRegion: string | null,
    ): string {
      if (reason !== null && !primaryArn && PLAIN_WORD.test(keyId) && PLAIN_WORD.test(region)) {
        let template = templates.get(reason);
        if (template === undefined) templates.set(reason, (template = remediationTemplate(reason, ctx)));
        if (template) return template(keyId, region);
      }
      return JSON.stringify(
        remediationOf(
          {
            reason: reason as InsightRow["reason"],
            keyId,
            region,
            primary: primaryArn ? { arn: primaryArn, region: primaryRegion } : null,
          },
          ctx,
        ),
      );
    },
  };
}

type RecordParts = ReturnType<typeof recordParts>;

/**
 * A batch's lines, made one at a time as the writer takes them: each line as a text up to its
 * compliance result, then the rest (the same in every line of that result) as UTF-8.
 */
function* batchLines(
  batch: RawRowBatch,
  parsers: readonly Parser[],
  ctx: FindingContext,
  parts: RecordParts,
): Generator<string | Uint8Array> {
  const at = ROW_INDEX;
  const parseOverdue = parsers[at.overdue]!;
  const parseException = parsers[at.exception]!;
  const insight = JSON.stringify(INSIGHT_ID);
  for (const v of batch.rows) {
    const aliasesText = v[at.aliases];
    const tagsText = v[at.tags];
    const status = v[at.status];
    const severity = v[at.severity];
    const aliases = aliasesText == null ? null : aliasesJson(aliasesText);
    const tags = tagsText == null ? null : tagsJson(tagsText);
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
    const accountId = v[at.account_id]!;
    const region = v[at.region]!;
    const keyId = v[at.key_id]!;
    const arn = v[at.arn]!;
    const primaryArn = v[at.primary_arn];
    const exception = v[at.exception];
    const period = v[at.rotation_period_days];
    const openFor = v[at.open_for_days];
    const overdue = v[at.overdue];
    yield (
      '{"id":"' +
      findingUid({ accountId, region, arn }) +
      '","insight":' +
      insight +
      ',"severity":' +
      json(severity) +
      ',"status":' +
      parts.status(status) +
      ',"accountId":' +
      json(accountId) +
      ',"accountName":' +
      str(v[at.account_name]) +
      ',"region":' +
      json(region) +
      ',"keyId":' +
      json(keyId) +
      ',"arn":' +
      json(arn) +
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
      parts.remediation(v[at.reason] ?? null, keyId, region, primaryArn ?? null, v[at.primary_region] ?? null)
    );
    yield parts.tail(severity);
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
      const parts = recordParts(ctx);
      for await (const batch of batches) {
        const parsers = fieldParsers(batch.fields);
        yield hasRawRowTypes(batch)
          ? batchLines(batch, parsers, ctx, parts)
          : batch.rows.map((raw) => parsedLine(raw, parsers, ctx));
      }
    })(),
  );
}
