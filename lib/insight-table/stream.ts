import pg from "pg";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { Prisma } from "@/lib/generated/prisma/client";
import { withChangeStart } from "./change-start";
import type { InsightRow } from "./columns";
import type { InsightFilters } from "./filters";
import { recurring } from "@/lib/verdict/recurring";
import { insightRowsQuery } from "./page-query";
import { insightRowFromArray } from "./row-shape";

/**
 * Rows per FETCH. 2,000 rather than 1,000: half the round trips, and the export's process waits less
 * for its cursor; it holds two batches (one being written, the next in flight), some 5–15 MB more
 * at its peak (docs/benchmarks.md, "Export: the command line's memory and the cursor's batch").
 */
export const STREAM_BATCH_SIZE = 2000;

const TIMESTAMPTZ_OID = 1184;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text");
// The cursor's session is in UTC, so that a timestamp reads "2026-11-30 08:15:00.123+00": this
// takes it apart directly; anything else (BC, infinity, years below 1000) goes to pg's parser.
const UTC_TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?\+00$/;

function parseUtcTimestamp(text: string): Date | null {
  const m = UTC_TIMESTAMP.exec(text);
  if (!m || m[1]! < "1000") return parseTimestamptz(text) as Date | null;
  const ms = m[7] ? 1000 * parseFloat(m[7]) : 0;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms));
}

// The same few thousand timestamps recur across a million keys: each text is parsed once.
const cachedTimestamp = recurring(parseUtcTimestamp);

/** pg's type parsers, with a faster one for timestamps (the export reads three per key). */
const STREAM_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMPTZ_OID && format !== "binary"
      ? cachedTimestamp
      : pg.types.getTypeParser(oid, format ?? "text")) as pg.CustomTypesConfig["getTypeParser"],
};

/** A connection of its own for `url`, or one borrowed from `pool`; `done` ends or returns it. */
async function connect(
  source: string | pg.Pool,
): Promise<{ client: pg.ClientBase; done(broken: boolean): void }> {
  if (typeof source !== "string") {
    const client = await source.connect();
    // The pool listens for errors only while a connection is idle. The server may end this one
    // while it is ours (idle_in_transaction_session_timeout of the export pool): the next query
    // fails with that error, which must not also go unhandled and bring the process down.
    const onError = () => {};
    client.on("error", onError);
    return {
      client,
      done: (broken) => {
        client.off("error", onError);
        client.release(broken);
      },
    };
  }
  const client = new pg.Client({ connectionString: source });
  await client.connect();
  return { client, done: () => void client.end().catch(() => {}) };
}

/** A batch of rows as pg reads them off the wire: each value PostgreSQL's text for it (or null). */
export interface RawRowBatch {
  rows: (string | null)[][];
  /** The columns' types, which tell how to parse the texts (rawBatchRows). */
  fields: readonly { dataTypeID: number }[];
}

/** Every value as PostgreSQL's text: a format that needs less than a typed row reads just that. */
const RAW_TYPES = {
  getTypeParser: (() => (text: string) => text) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * Every row the filters select, in table order, read through a server-side cursor in batches, so
 * that memory stays flat for any number of rows and a slow reader holds back the database. The
 * cursor is closed and the connection released when the rows run out, on an error, and when the
 * consumer stops early (`break`, a cancelled download).
 */
export async function* streamInsightRows(
  source: string | pg.Pool,
  filters: InsightFilters,
  scope: AccountScope,
  batchSize = STREAM_BATCH_SIZE,
): AsyncGenerator<InsightRow, void, undefined> {
  for await (const batch of streamRawInsightBatches(source, filters, scope, batchSize)) {
    yield* rawBatchRows(batch);
  }
}

/** A raw batch's rows as InsightRows: the texts parsed by pg's own parsers (timestamps: ours). */
export function rawBatchRows(batch: RawRowBatch): InsightRow[] {
  const parsers = fieldParsers(batch.fields);
  return batch.rows.map((raw) => parsedRow(raw, parsers));
}

/** rawBatchRows one at a time, each parsed as it is taken. */
export function* rawRowsOf(batch: RawRowBatch): Generator<InsightRow> {
  const parsers = fieldParsers(batch.fields);
  for (const raw of batch.rows) yield parsedRow(raw, parsers);
}

type Parser = (text: string) => unknown;

/** The parser of each column (what pg applies to a value's text), for parsedRow. */
export function fieldParsers(fields: RawRowBatch["fields"]): Parser[] {
  return fields.map(({ dataTypeID }) => STREAM_TYPES.getTypeParser(dataTypeID, "text") as Parser);
}

/** One raw row as the InsightRow that streamInsightRows gives for it. */
export function parsedRow(raw: readonly (string | null)[], parsers: readonly Parser[]): InsightRow {
  return insightRowFromArray(raw.map((text, i) => (text === null ? null : parsers[i]!(text))));
}

/**
 * streamInsightRows' rows a batch at a time, unparsed (RawRowBatch): the export's formats take
 * them so (one step per batch rather than per row; the CSV writes most texts as they come).
 */
export async function* streamRawInsightBatches(
  source: string | pg.Pool,
  filters: InsightFilters,
  scope: AccountScope,
  batchSize = STREAM_BATCH_SIZE,
): AsyncGenerator<RawRowBatch, void, undefined> {
  const { client, done } = await connect(source);
  let clean = false;
  let pending: Promise<pg.QueryArrayResult<(string | null)[]>> | null = null;
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SET LOCAL TimeZone = 'UTC'");
    const read = async <T>(sql: Prisma.Sql) => (await client.query(sql.text, sql.values)).rows as T[];
    const query = insightRowsQuery(await withChangeStart(read, filters, scope), scope);
    // A cursor is planned for its first rows (cursor_tuple_fraction): for the table's orders that is
    // a walk of the sort's index, which sends rows from the start, while the consumer works, rather
    // than after a sort of every row (a sort of a million keys took 15 s before the first row came;
    // COPY of the same select, which plans for all rows, does just that). The reads are random but
    // of a table that fits in memory; the export measured twice as fast this way (bench:export).
    await client.query({
      text: `DECLARE insight_rows NO SCROLL CURSOR FOR ${query.text}`,
      values: query.values,
    });
    // The next batch is fetched while this one is consumed: the database and the consumer (the CSV
    // writer, on another core) work at the same time instead of taking turns.
    const fetchBatch = (): Promise<pg.QueryArrayResult<(string | null)[]>> =>
      client.query({
        text: `FETCH ${Math.trunc(batchSize)} FROM insight_rows`,
        rowMode: "array",
        types: RAW_TYPES,
      } satisfies pg.QueryArrayConfig);
    pending = fetchBatch();
    for (;;) {
      const batch: pg.QueryArrayResult<(string | null)[]> = await pending;
      pending = batch.rows.length < batchSize ? null : fetchBatch();
      if (batch.rows.length > 0) yield { rows: batch.rows, fields: batch.fields };
      if (!pending) break;
    }
    await client.query("CLOSE insight_rows");
    await client.query("COMMIT");
    clean = true;
  } finally {
    // Early stop or error: ROLLBACK (after the batch in flight) closes the cursor. A connection that
    // cannot even roll back is dropped rather than returned to a pool.
    if (pending) await pending.catch(() => {});
    if (!clean)
      clean = await client.query("ROLLBACK").then(
        () => true,
        () => false,
      );
    done(!clean);
  }
}
