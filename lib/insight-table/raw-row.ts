import { ROW_INDEX } from "./row-shape";
import type { RawRowBatch } from "./stream";

// What the export's formats may assume of a raw row's texts (streamRawInsightBatches) to write them
// without parsing: the columns' types, and the text of a timestamp in the export's UTC session.
// A batch or a value off these ways is parsed by pg's parsers and written by the format's own code.

// text, char(n) and varchar: pg gives their texts as they are.
const TEXT = [25, 1042, 1043];
const INT4 = [23];
const BOOL = [16];
const TIMESTAMPTZ = [1184];
const TEXT_ARRAY = [1009];
const JSONB = [3802];

/** The type of each column that the short ways read. */
const COLUMN_TYPES: [column: keyof typeof ROW_INDEX, oids: number[]][] = [
  ["severity", TEXT],
  ["account_id", TEXT],
  ["account_name", TEXT],
  ["region", TEXT],
  ["key_id", TEXT],
  ["aliases", TEXT_ARRAY],
  ["rotation_status", TEXT],
  ["rotation_period_days", INT4],
  ["next_rotation", TIMESTAMPTZ],
  ["last_rotation", TIMESTAMPTZ],
  ["key_manager", TEXT],
  ["key_spec", TEXT],
  ["key_state", TEXT],
  ["origin", TEXT],
  ["tags", JSONB],
  ["reason", TEXT],
  ["finding_description", TEXT],
  ["arn", TEXT],
  ["evaluated_at", TIMESTAMPTZ],
  ["status", TEXT],
  ["first_failed_at", TIMESTAMPTZ],
  ["open_for_days", INT4],
  ["due_at", TIMESTAMPTZ],
  ["overdue", BOOL],
  ["resolved_reason", TEXT],
  ["primary_arn", TEXT],
  ["primary_region", TEXT],
  ["exception", JSONB],
];

/** Whether a batch's columns are of the types above (int4's text is String() of its number). */
export function hasRawRowTypes(batch: RawRowBatch): boolean {
  return COLUMN_TYPES.every(([column, oids]) =>
    oids.includes(batch.fields[ROW_INDEX[column]]?.dataTypeID ?? -1),
  );
}

/**
 * The export's session is in UTC and the columns keep milliseconds, so a timestamp's text is
 * `2026-11-30 08:15:00.12+00`, which is the ISO 8601 text of its Date (`2026-11-30T08:15:00.120Z`)
 * rearranged. Any other (a year before 1000 or after 9999, BC, infinity, more digits) is not.
 */
const UTC_TEXT = /^[1-9]\d{3}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,3})?\+00$/;

/** Whether `text` is a timestamp's text of the form above (then `isoOfUtcText` applies). */
export const isUtcText = (text: string): boolean => UTC_TEXT.test(text);

/** `Date.toISOString()` of a text that isUtcText. */
export function isoOfUtcText(text: string): string {
  // 22 characters without a fraction; else `.1`, `.12` or `.123` before the `+00`.
  const ms = text.length === 22 ? "000" : (text.slice(20, -3) + "00").slice(0, 3);
  return text.slice(0, 10) + "T" + text.slice(11, 19) + "." + ms + "Z";
}

export interface PlainTag {
  key: string;
  value: string;
}

/**
 * A key's parsed tags (the `tags` column) as they are, when each is a `{ key, value }` of strings and
 * the keys never go down (`distinctKeys`: always go up, so none twice); else null, and the format
 * writes them its own way. Keys that never go down are sorted already: sorting keeps equal keys in
 * their order.
 */
export function plainTagsInOrder(tags: unknown, opts: { distinctKeys: boolean }): PlainTag[] | null {
  if (!Array.isArray(tags)) return null;
  let previous = "";
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i] as { key?: unknown; value?: unknown } | null;
    if (
      typeof tag !== "object" ||
      tag === null ||
      typeof tag.key !== "string" ||
      typeof tag.value !== "string"
    )
      return null;
    if (i > 0 && (tag.key < previous || (opts.distinctKeys && tag.key === previous))) return null;
    previous = tag.key;
  }
  return tags as PlainTag[];
}
