import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { dataDir, parseEnv } from "./env";

// The demo's KMS sandbox as configuration: `npm start` runs the sandbox (lib/server/background.ts)
// and writes where it listens and the test credentials of each demo account into this file under
// the data directory. Everything that scans a demo account (the worker in `npm start`, the web
// server's "Test access", `npm run cli -- scan`) reads it here, so no production code knows the
// sandbox's own modules, and a second process on the same data directory finds the running sandbox.

const FILE = "demo-sandbox.json";

const demoSandboxSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  credentials: z.record(
    z.string().regex(/^\d{12}$/),
    z.object({ accessKeyId: z.string().min(16), secretAccessKey: z.string().min(1) }),
  ),
});

export type DemoSandbox = z.infer<typeof demoSandboxSchema>;

function fileIn(dir: string): string {
  return path.join(dir, FILE);
}

/** Written whole under another name, then renamed: a reader sees the old file or the new one, never half. */
export function writeDemoSandbox(dir: string, sandbox: DemoSandbox): void {
  const file = fileIn(dir);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(demoSandboxSchema.parse(sandbox)), { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
}

export function demoSandboxFile(dir: string): string {
  return fileIn(dir);
}

export function removeDemoSandbox(dir: string): void {
  rmSync(fileIn(dir), { force: true });
}

let cache: { file: string; mtimeMs: number; value: DemoSandbox | null } | undefined;

/** The running demo sandbox of this data directory, or null when none runs (or the file is unreadable). */
export function readDemoSandbox(dir: string = dataDir(parseEnv())): DemoSandbox | null {
  const file = fileIn(dir);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return null;
  }
  if (cache?.file === file && cache.mtimeMs === mtimeMs) return cache.value;
  let value: DemoSandbox | null = null;
  try {
    const parsed = demoSandboxSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    value = parsed.success ? parsed.data : null;
  } catch {
    value = null;
  }
  // Only a good read is kept: a file that could not be read is read again next time.
  if (value) cache = { file, mtimeMs, value };
  return value;
}
