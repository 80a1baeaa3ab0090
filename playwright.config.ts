import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./test/support/chromium";

// End-to-end tests drive Debian's Chromium (no browser download works here) against a production
// build started exactly as `npm start` does, on its own port and fresh data directory, in demo
// mode: the built-in KMS sandbox serves a deterministic estate that the first scan collects.
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? ".data/e2e";
export const ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1" };
export const VIEWER = { email: "viewer@e2e.test", password: "e2e-viewer-password-1" };
// A second sandbox serving an AWS organization, for e2e/organizations.spec.ts: its Organizations and
// Account API endpoints are the server's (so the console may call them), and the profile the admin
// picks lives in a credentials file the spec writes (no [default] in it: the default chain is unchanged).
export const ORG_SANDBOX_URL = `http://127.0.0.1:${Number(process.env.E2E_ORG_SANDBOX_PORT ?? PORT + 1000)}`;
export const ORG_CREDENTIALS_FILE = `${process.cwd()}/e2e/.auth/org-credentials`;
export const ORG_PROFILE = "e2e-org";

export default defineConfig({
  testDir: "e2e",
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], channel: undefined },
      dependencies: ["setup"],
    },
  ],
  webServer: [
    {
      command: "node --import tsx e2e/org-sandbox.ts",
      url: `${ORG_SANDBOX_URL}/__sandbox/organization`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `rm -rf ${E2E_DATA_DIR} && node --import tsx scripts/start.ts`,
      url: `http://localhost:${PORT}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      // SIGTERM lets `npm start` stop the web server, the worker and PostgreSQL in order.
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(PORT),
        INSIGHTS_DATA_DIR: E2E_DATA_DIR,
        INSIGHTS_PG_PORT: process.env.E2E_PG_PORT ?? "5533",
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        NEXTAUTH_URL: `http://localhost:${PORT}`,
        LOG_LEVEL: "warn",
        AWS_ENDPOINT_URL_ORGANIZATIONS: ORG_SANDBOX_URL,
        AWS_ENDPOINT_URL_ACCOUNT: ORG_SANDBOX_URL,
        AWS_SHARED_CREDENTIALS_FILE: ORG_CREDENTIALS_FILE,
        // e2e/alerts.spec.ts sends alerts to a receiver it starts on this host.
        INSIGHTS_ALLOWED_ENDPOINT_HOSTS: "127.0.0.1",
      },
    },
  ],
});
