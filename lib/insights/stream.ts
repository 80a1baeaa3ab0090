import pg from "pg";
import type { AccountScope } from "./account-scope";
import type { InsightRow } from "./columns";
import type { InsightFilters } from "./filters";
import { insightRowsQuery, type RowRecord, toInsightRow } from "./sql";

export const STREAM_BATCH_SIZE = 5000;

/** A connection of its own for `url`, or one borrowed from `pool`; `done` ends or returns it. */
async function connect(
  source: string | pg.Pool,
): Promise<{ client: pg.ClientBase; done(broken: boolean): void }> {
  if (typeof source !== "string") {
    const client = await source.connect();
    return { client, done: (broken) => client.release(broken) };
  }
  const client = new pg.Client({ connectionString: source });
  await client.connect();
  return { client, done: () => void client.end().catch(() => {}) };
}

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
  const query = insightRowsQuery(filters, scope);
  const { client, done } = await connect(source);
  let clean = false;
  try {
    await client.query("BEGIN READ ONLY");
    // A cursor is planned for its first rows by default (an index walk with random reads); an
    // export reads them all, so plan for the whole (often a sequential scan and a sort).
    await client.query("SET LOCAL cursor_tuple_fraction = 1");
    await client.query({
      text: `DECLARE insight_rows NO SCROLL CURSOR FOR ${query.text}`,
      values: query.values,
    });
    for (;;) {
      const { rows } = await client.query<RowRecord>(`FETCH ${Math.trunc(batchSize)} FROM insight_rows`);
      for (const row of rows) yield toInsightRow(row);
      if (rows.length < batchSize) break;
    }
    await client.query("CLOSE insight_rows");
    await client.query("COMMIT");
    clean = true;
  } finally {
    // Early stop or error: ROLLBACK closes the cursor. A connection that cannot even roll back is
    // dropped rather than returned to a pool.
    if (!clean)
      clean = await client.query("ROLLBACK").then(
        () => true,
        () => false,
      );
    done(!clean);
  }
}
