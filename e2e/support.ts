import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
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

export interface ActionEntry {
  id: string;
  name: string;
  page: string;
}

/** Every server action of the build, with the page its form posts to. */
export function serverActions(): ActionEntry[] {
  const dist = process.env.NEXT_DIST_DIR || ".next";
  const manifest = JSON.parse(
    readFileSync(path.join(dist, "server/server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0]!;
    const page =
      worker
        .replace(/^app/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\/page$/, "")
        .replace(/\[[^\]]+\]/g, "x") || "/";
    return { id, name: `${entry.filename}#${entry.exportedName}`, page };
  });
}

/**
 * Calls an action as its form would (React's reply encoding: the arguments in part "0", the
 * FormData's fields prefixed by its reference), so that only the server's checks stand in the way.
 */
export async function callActionWithForm(
  request: APIRequestContext,
  action: ActionEntry,
  fields: Record<string, string>,
) {
  // The root goes last, as React sends it: the server reads the fields it refers to before it.
  const multipart = new FormData();
  for (const [name, value] of Object.entries(fields)) multipart.append(`_1_${name}`, value);
  multipart.append("0", JSON.stringify([{ ok: false }, "$K1"]));
  const res = await request.post(action.page, {
    headers: { "Next-Action": action.id, Accept: "text/x-component" },
    multipart,
    maxRedirects: 0,
  });
  return { status: res.status(), body: await res.text() };
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
