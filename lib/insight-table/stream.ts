import pg from "pg";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { Prisma } from "@/lib/generated/prisma/client";
import { withChangeStart } from "./change-start";
import type { InsightRow } from "./columns";
import type { InsightFilters } from "./filters";
import { recurring } from "@/lib/verdict/recurring";
import { insightRowsQuery } from "./page-query";
import { insightRowFromArray } from "./row-shape";
import { copyTextBatches, withLiterals } from "./copy-text";

/**
 * Rows per batch that streamRawInsightBatches yields (the formats' unit of work); the COPY's bytes
 * are read ahead of it up to the stream's buffer (copyTextBatches) while a batch is written. 500:
 * a COPY has no round trip per batch (a FETCH had, hence 2,000 then), and every young collection
 * copies the batch being written, so a smaller one costs less garbage collection
 * (docs/benchmarks.md, issue 17).
 */
export const STREAM_BATCH_SIZE = 500;

/** The longest an export's COPY may run (see streamRawInsightBatches). */
const COPY_TIMEOUT = "1h";

const TIMESTAMPTZ_OID = 1184;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text");
// The export's session is in UTC, so that a timestamp reads "2026-11-30 08:15:00.123+00": this
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
 * Every row the filters select, in table order, read through `COPY (select) TO STDOUT` in batches,
 * so that memory stays flat for any number of rows and a slow reader holds back the database. The
 * connection is released when the rows run out, and ended (which ends the COPY) on an error and
 * when the consumer stops early (`break`, a cancelled download).
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
  let copying = false;
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SET LOCAL TimeZone = 'UTC'");
    const read = async <T>(sql: Prisma.Sql) => (await client.query(sql.text, sql.values)).rows as T[];
    const query = insightRowsQuery(await withChangeStart(read, filters, scope), scope);
    // The columns' types (COPY gives none): the same select, for no row.
    const { fields } = await client.query({
      text: `SELECT * FROM (${query.text}) AS export_rows LIMIT 0`,
      values: query.values,
      rowMode: "array",
      types: RAW_TYPES,
    } satisfies pg.QueryArrayConfig);
    // A COPY is planned for all its rows, a cursor for its first ones (cursor_tuple_fraction): for
    // the table's orders a cursor walks the sort's index and sends rows at once, where a plan for
    // all rows sorts them all first (a million keys took 15 s before the first row). With sorts
    // made to look dear (enable_sort off: a sort is still chosen where nothing else gives the
    // order), the COPY's select gets the cursor's plan in every order of the table: the index walk
    // where the cursor walks one, a sort where it sorts (account name, last evaluated). Checked
    // with EXPLAIN at 300,000 keys, in each order both ways (docs/benchmarks.md, issue 17).
    await client.query("SET LOCAL enable_sort = off");
    // The COPY is one statement for the whole export, where each FETCH was one: a statement_timeout
    // meant for one batch (the export pool's, 2 minutes) would cut a long export, or a slow
    // reader's, short. It is raised to an hour for this transaction: still the backstop for a
    // process that hangs mid-export (the server then waits to send, neither idle nor timed out).
    await client.query(
      `SELECT set_config('statement_timeout', '${COPY_TIMEOUT}', true) WHERE current_setting('statement_timeout') <> '0'`,
    );
    copying = true;
    for await (const rows of copyTextBatches(client, withLiterals(query), fields.length, batchSize))
      yield { rows, fields };
    copying = false;
    await client.query("COMMIT");
    clean = true;
  } finally {
    // Early stop or error: a COPY cut short leaves the connection mid-COPY, so it is ended rather
    // than returned to a pool (which opens another when it needs one); ending it ends the COPY and
    // rolls back its read-only transaction on the server. Before the COPY, ROLLBACK; a connection
    // that cannot even roll back is dropped too.
    if (!clean && !copying)
      clean = await client.query("ROLLBACK").then(
        () => true,
        () => false,
      );
    done(!clean);
  }
}
