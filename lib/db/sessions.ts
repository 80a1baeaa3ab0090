import type pg from "pg";

/**
 * Waits, up to `timeoutMs`, until no other client session is connected (to `database` when given,
 * else to any database of the server). A pool's `end()` resolves while its clients' sockets are
 * still closing; a server stopped, or a database dropped, under them then hands each a "terminating
 * connection due to administrator command", which their pools report as an error.
 */
export async function waitForSessionsToEnd(
  client: pg.Client,
  opts: { database?: string; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND ($1::text IS NULL OR datname = $1)`,
      [opts.database ?? null],
    );
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
