import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import type pg from "pg";
import { E2E_DATA_DIR } from "../playwright.config";
import { withPgClient } from "../lib/db/with-client";

export { ADMIN, VIEWER } from "../playwright.config";

export const ANALYST = { email: "analyst@e2e.test", password: "e2e-analyst-password-1" };

export const STORAGE = {
  admin: "e2e/.auth/admin.json",
  viewer: "e2e/.auth/viewer.json",
  analyst: "e2e/.auth/analyst.json",
} as const;

/** Runs `npm run cli -- ...` against the e2e server's database. */
export function cli(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, INSIGHTS_DATA_DIR: E2E_DATA_DIR, LOG_LEVEL: "warn" },
  });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** The e2e server's database, for checking what the page shows against the stored truth. */
export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const { url } = JSON.parse(readFileSync(path.join(E2E_DATA_DIR, "runtime.json"), "utf8")) as {
    url: string;
  };
  return withPgClient(url, fn);
}

export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(user.email);
}

/**
 * Shows these columns of the insight table besides its defaults (a preference of the browser, in
 * localStorage), unless the page has a choice saved already.
 */
export async function showColumns(page: Page, columns: string[]): Promise<void> {
  await page.addInitScript((shown) => {
    const key = "kms-insights:kms-key-rotation:hidden-columns";
    if (localStorage.getItem(key) === null)
      localStorage.setItem(key, JSON.stringify({ hidden: [], known: shown }));
  }, columns);
}

/**
 * Waits until the demo estate has been scanned: keys stored and a scan finished (the first scan may
 * still run when the tests begin); with `idle`, also no scan running. Call in a beforeAll.
 */
export async function waitForScannedEstate(opts: { idle?: boolean } = {}): Promise<void> {
  const idle = opts.idle ? "AND NOT EXISTS (SELECT 1 FROM scans WHERE finished_at IS NULL)" : "";
  await expect
    .poll(
      () =>
        withDb(async (db) => {
          const { rows } = await db.query<{ ready: boolean }>(
            `SELECT EXISTS (SELECT 1 FROM kms_keys) AND EXISTS (SELECT 1 FROM scans WHERE finished_at IS NOT NULL)
               ${idle} AS ready`,
          );
          return rows[0]!.ready;
        }).catch(() => false),
      { timeout: 280_000, intervals: [1_000] },
    )
    .toBe(true);
}
