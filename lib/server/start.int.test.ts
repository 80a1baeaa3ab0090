import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "@/test/support/cli";

// `npm start` as a person runs it: one start (it builds first when the sources changed since the
// last build, which takes minutes) on a fresh data directory, in demo mode, with logs as readable
// lines as on a terminal; then `npm run cli -- scan` beside it, and Ctrl+C (SIGTERM).

const dir = mkdtempSync(path.join(os.tmpdir(), "kms-insights-start-"));
let server: ChildProcess | undefined;

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server!.once("exit", r));
  }
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The environment of a person's shell: none of the test runner's settings. */
function shellEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|TEST_|NODE_ENV$|LOG_|DATABASE_|INSIGHTS_|AWS_SDK_JS_|ADMIN_|NEXTAUTH_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

const BANNER_END = "  Press Ctrl+C to stop.";

describe("npm start", () => {
  it(
    "prints a short start: no JSON, no build output, the SDK's notice once at most, and the URL and password last",
    { timeout: 600_000 },
    async () => {
      const port = await freePort();
      const env = shellEnvironment({
        PORT: String(port),
        INSIGHTS_DATA_DIR: dir,
        INSIGHTS_PG_PORT: String(await freePort()),
        LOG_FORMAT: "pretty", // as on a terminal (auto chooses it there); no colours, as not a TTY
      });
      // Both streams in the order they arrive: what a terminal shows.
      let screen = "";
      server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env });
      server.stdout!.on("data", (d: Buffer) => (screen += d));
      server.stderr!.on("data", (d: Buffer) => (screen += d));
      const exited = new Promise<number | null>((r) => server!.once("exit", r));
      while (!screen.includes(BANNER_END)) {
        if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}:\n${screen}`);
        await new Promise((r) => setTimeout(r, 500));
      }

      // A scan from the command line while it runs: the console's worker takes part of it, and
      // every demo account-region succeeds through the console's sandbox.
      const scan = await runCli(["scan"], { env: { ...shellEnvironment({ INSIGHTS_DATA_DIR: dir }) } });
      expect(scan.code, scan.stderr).toBe(0);
      expect(scan.stderr).toMatch(/succeeded: (\d+)\/\1 account-regions succeeded/);

      server.kill("SIGTERM");
      expect(await exited).toBe(0);

      const lines = screen.split("\n");
      for (const line of lines) {
        expect(line, "a JSON line").not.toMatch(/^\s*\{.*\}\s*$/);
      }
      expect(screen).not.toMatch(/\u001b\[/); // no colours when the output is not a terminal
      expect(screen).not.toMatch(/Route \(app\)|\(Static\)|\(Dynamic\)|▲ Next\.js/);
      expect(
        screen.match(/NodeVersionSupportWarning|AWS SDK releases from January 2027/g)?.length ?? 0,
      ).toBeLessThanOrEqual(1);
      if (screen.includes("Building the console"))
        expect(screen).toMatch(/^Built in \d+ s \(its output: .*build\.log\)\.$/m);

      // The block with the URL and the password ends the start; only the stop follows it.
      const end = lines.indexOf(BANNER_END);
      expect(lines.slice(end + 1).filter((l) => l.trim())).toEqual(["Stopping KMS Insights…"]);
      const start = lines.indexOf(`KMS Insights is running at http://localhost:${port}`);
      expect(start).toBeGreaterThan(-1);
      expect(lines.slice(start, end).filter((l) => /^\[\d\d:\d\d:\d\d\] /.test(l))).toEqual([]);
      const password = /^ {4}password: (\S+)$/m.exec(screen)?.[1];
      expect(password).toBeDefined();
      const file = path.join(dir, "first-admin-password");
      expect(screen).toContain(`The password is also in ${file} (readable by you only)`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, "utf8")).toContain(`password: ${password}\n`);
    },
  );
});
