import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";

// `npm start` builds the app when there is no production build or the sources changed since the
// last one (a fingerprint of the sources' paths, sizes and times is kept beside the build). The
// sources are everything `next build` reads: the code, the Prisma schema (the generated client is
// skipped, it follows from it), TypeScript and Next/PostCSS configuration, type declarations, the
// static files, the dependencies (package.json and the lockfile) and .env files.

const SOURCES = [
  "app",
  "components",
  "lib",
  "types",
  "public",
  "proxy.ts",
  "next.config.js",
  "postcss.config.mjs",
  "package.json",
  "package-lock.json",
  "prisma/schema.prisma",
];
/**
 * Root files matched by name: every tsconfig (the build's extends the base) and every .env file.
 * Not next-env.d.ts: `next build` writes it, so it would always look changed.
 */
const ROOT_FILES = /^(tsconfig(\..+)?\.json|\.env(\..+)?)$/;
const SKIP = new Set(["node_modules", "generated", ".next"]);

function walk(entry: string, out: string[]): void {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const name of readdirSync(entry).sort()) if (!SKIP.has(name)) walk(path.join(entry, name), out);
  } else {
    out.push(`${entry}:${stat.size}:${Math.floor(stat.mtimeMs)}`);
  }
}

export function sourceFingerprint(root: string): string {
  const entries: string[] = [];
  const rootFiles = existsSync(root) ? readdirSync(root).filter((name) => ROOT_FILES.test(name)) : [];
  for (const s of [...SOURCES, ...rootFiles.sort()]) walk(path.join(root, s), entries);
  return createHash("sha256").update(entries.join("\n")).digest("hex");
}

const stampFile = (root: string) => path.join(root, ".next", "insights-build-fingerprint");

export function buildIsCurrent(root: string): boolean {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) return false;
  if (!existsSync(stampFile(root))) return false;
  return readFileSync(stampFile(root), "utf8").trim() === sourceFingerprint(root);
}

/** What `next build` printed, kept when it fails (the start shows it) or succeeds (for reference). */
export function buildLogFile(dataDir: string): string {
  return path.join(dataDir, "logs", "build.log");
}

export class BuildFailedError extends Error {
  constructor(
    readonly code: number | null,
    readonly output: string,
    readonly logFile: string,
  ) {
    super(`next build exited with ${code}; its output is in ${logFile}`);
  }
}

/**
 * Runs `next build` with its output captured into the build log (plain text: colours off, escape
 * codes removed), not on the screen: its route table is of no use to someone starting the console.
 * Throws BuildFailedError, with the output, when the build fails.
 */
export async function runBuild(root: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const fingerprint = sourceFingerprint(root);
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  mkdirSync(path.dirname(logFile), { recursive: true });
  const chunks: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [next, "build"], {
      cwd: root,
      env: { ...env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("close", resolve);
    child.on("error", reject);
  });
  const output = stripVTControlCharacters(Buffer.concat(chunks).toString("utf8"));
  writeFileSync(logFile, output);
  if (code !== 0) throw new BuildFailedError(code, output, logFile);
  writeFileSync(stampFile(root), fingerprint + "\n");
}
