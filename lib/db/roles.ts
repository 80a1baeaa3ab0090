import { withMigrationsLock } from "./migrate";

// The web app and the worker connect as an application role that owns nothing: it reads and writes
// the console's tables, but of the audit log it may only read and append, so that neither a bug nor
// an injected statement can rewrite or empty it (the table's triggers refuse UPDATE, DELETE and
// TRUNCATE; only an owner could disable them). Migrations and the job queue's schema are made by the
// owner at start. The README's "Database roles" section gives the same statements for a database of
// your own (DATABASE_URL with DATABASE_OWNER_URL).

export const APP_ROLE = "kms_insights_app";

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The role a connection URL signs in as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** Creates the login role, or sets its password (kept in the data directory) when it exists. */
export async function ensureLoginRole(ownerUrl: string, role: string, password: string): Promise<void> {
  await withMigrationsLock(ownerUrl, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    const verb = rowCount ? "ALTER" : "CREATE";
    await client.query(
      `${verb} ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${literal(password)}`,
    );
  });
}

/** SQL: true when the server has PostgreSQL 17's MAINTAIN privilege (ANALYZE by a non-owner). */
export const SERVER_HAS_MAINTAIN = "current_setting('server_version_num')::int >= 170000";

/**
 * The grants of the application role, in the order the README lists them. `maintain`: the server has
 * PostgreSQL 17's MAINTAIN privilege, with which a scan job may analyze kms_keys when a first scan
 * has outgrown its statistics (lib/collector/key-statistics.ts); without it that job's ANALYZE is
 * skipped with a warning and autovacuum's own analyze comes later.
 */
export function appRoleGrants(
  role: string,
  database: string,
  queueSchema: string | null,
  maintain = true,
): string[] {
  const r = ident(role);
  const q = queueSchema && ident(queueSchema);
  const onQueue = q
    ? [
        `GRANT USAGE ON SCHEMA ${q} TO ${r}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${q} TO ${r}`,
        `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${q} TO ${r}`,
        `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${q} TO ${r}`,
      ]
    : [];
  return [
    `GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${r}`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${r}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_prisma_migrations" FROM ${r}`,
    ...(maintain ? [`GRANT MAINTAIN ON kms_keys TO ${r}`] : []),
    ...onQueue,
  ];
}

/**
 * Gives `role` the application's privileges on the migrated database and the job queue's schema
 * when it exists (again at every start, so that tables added by a migration are covered), under
 * the migrations' lock: concurrent GRANTs conflict.
 */
export async function grantAppRole(ownerUrl: string, role: string, queueSchema = "pgboss"): Promise<void> {
  await withMigrationsLock(ownerUrl, async (client) => {
    const { rows } = await client.query<{ db: string; queue: string | null; maintain: boolean }>(
      `SELECT current_database() AS db, to_regnamespace($1)::text AS queue, ${SERVER_HAS_MAINTAIN} AS maintain`,
      [queueSchema],
    );
    const { db, queue, maintain } = rows[0]!;
    try {
      await client.query("BEGIN");
      for (const sql of appRoleGrants(role, db, queue && queueSchema, maintain)) await client.query(sql);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    }
  });
}
