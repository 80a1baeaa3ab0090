import type pg from "pg";

// `COPY (…) TO STDOUT` through a pg client, without a copy-streams package: the client hands the
// server's CopyData messages to the active query, which is this object (pg's "submittable"). The
// bytes go to `onData`; the promise resolves with the row count of the server's command tag.

interface Connection {
  query(text: string): void;
}

export function copyOut(
  client: pg.ClientBase,
  sql: string,
  onData: (chunk: Buffer) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let failure: Error | null = null;
    const submittable = {
      submit(connection: Connection) {
        connection.query(sql);
      },
      handleCopyData(msg: { chunk: Buffer }) {
        onData(msg.chunk);
      },
      handleCommandComplete(msg: { text: string }) {
        rows = Number(/^COPY (\d+)/.exec(msg.text)?.[1] ?? 0);
      },
      handleError(err: Error) {
        failure = err;
      },
      handleReadyForQuery() {
        if (failure) reject(failure);
        else resolve(rows);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
    };
    (client as unknown as { query(s: unknown): void }).query(submittable);
  });
}
