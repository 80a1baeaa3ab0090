import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// Starts the console exactly as `npm start` does (production build, embedded PostgreSQL, demo data
// from the sandbox) in a temporary data directory, and signs in through next-auth's own endpoints.

export interface RunningConsole {
  url: string;
  dataDir: string;
  /** The process of `npm start` (the web server is a child of it). */
  pid: number;
  stop(): Promise<void>;
}

export async function startConsole(opts: {
  port: number;
  env?: Record<string, string>;
}): Promise<RunningConsole> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "kms-insights-bench-"));
  const url = `http://localhost:${opts.port}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(opts.port),
      INSIGHTS_DATA_DIR: dataDir,
      INSIGHTS_PG_PORT: "5633",
      ADMIN_EMAIL: "bench@example.com",
      ADMIN_PASSWORD: "bench-password-123",
      NEXTAUTH_URL: url,
      LOG_LEVEL: "warn",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...opts.env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the console exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM"); // with its PostgreSQL, which it stops on the way out
      throw new Error("the console did not start in 10 minutes");
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    dataDir,
    pid: child.pid!,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/** Signs in with email and password; returns the Cookie header of the session. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = cookiesOf(res).find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return session;
}
