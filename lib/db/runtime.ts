import { existsSync, readFileSync } from "node:fs";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { startEmbeddedPostgres } from "./embedded";
import { waitForSessionsToEnd } from "./sessions";
import { withPgClient } from "./with-client";

// Which PostgreSQL a process uses. DATABASE_URL wins. Otherwise the embedded cluster under the data
// directory: one process owns it (lock file with its pid) and publishes its URL in runtime.json, so
// that a CLI command run beside a running server attaches to it instead of starting a second one.

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`The data directory ${dir} is in use by process ${pid} (another KMS Insights server?).`);
  }
}

export interface Database {
  /** Where the application connects: the application role's URL (embedded), or DATABASE_URL. */
  url: string;
  /** Where migrations and grants run: the superuser (embedded), DATABASE_OWNER_URL, or `url`. */
  ownerUrl: string;
  embedded: boolean;
  release(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function acquireLock(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, "insights.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx", 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(file, { force: true });
        await rm(path.join(dataDir, "runtime.json"), { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (pid && pidAlive(pid)) throw new DataDirInUseError(dataDir, pid);
      await rm(file, { force: true }); // left by a process that died
    }
  }
  throw new Error(`Could not lock the data directory ${dataDir}.`);
}

/** The URLs published by the process that owns the embedded cluster, if it is alive. */
export function runningEmbeddedUrls(dataDir: string): { url: string; ownerUrl: string } | undefined {
  const file = path.join(dataDir, "runtime.json");
  if (!existsSync(file)) return undefined;
  try {
    const { pid, url, ownerUrl } = JSON.parse(readFileSync(file, "utf8")) as {
      pid: number;
      url: string;
      ownerUrl?: string;
    };
    return pidAlive(pid) ? { url, ownerUrl: ownerUrl ?? url } : undefined;
  } catch {
    return undefined;
  }
}

export async function openDatabase(opts: {
  databaseUrl?: string;
  /** The schema owner's URL beside DATABASE_URL: migrations and grants run with it. */
  ownerUrl?: string;
  dataDir: string;
  preferredPort: number;
  /** A CLI may attach to the cluster of a running server; a server must own its data directory. */
  attach: boolean;
  onLog?: (line: string) => void;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const ownerUrl = opts.ownerUrl ?? opts.databaseUrl;
    return { url: opts.databaseUrl, ownerUrl, embedded: false, release: async () => {} };
  }
  if (opts.attach) {
    const running = runningEmbeddedUrls(opts.dataDir);
    if (running) return { ...running, embedded: true, release: async () => {} };
  }
  const unlock = await acquireLock(opts.dataDir);
  try {
    const db = await startEmbeddedPostgres(opts);
    await writeFile(
      path.join(opts.dataDir, "runtime.json"),
      JSON.stringify({ pid: process.pid, url: db.appUrl, ownerUrl: db.url }),
      { mode: 0o600 },
    );
    return {
      url: db.appUrl,
      ownerUrl: db.url,
      embedded: true,
      release: async () => {
        // The caller's pools have ended; their sockets may still be closing (waitForSessionsToEnd).
        // A server that no longer answers is stopped all the same.
        await withPgClient(db.url, (c) => waitForSessionsToEnd(c)).catch(() => {});
        await db.stop();
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}
