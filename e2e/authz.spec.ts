import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { STORAGE, withDb } from "./support";

// Every server action of the build, called directly over HTTP (as a hostile client would, without
// the page's buttons) as a signed-out client and as a viewer: refused, and nothing stored changes.
// Admin-only route handlers likewise.

interface ActionEntry {
  id: string;
  name: string;
  page: string;
}

function serverActions(): ActionEntry[] {
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

const ADMIN_ACTION_FILES = /app\/\(console\)\/(accounts|users|settings)\/actions\.ts$/;

async function snapshot(): Promise<string[]> {
  return withDb(async (c) => {
    const out: string[] = [];
    for (const table of [
      "users",
      "aws_accounts",
      "settings",
      "user_account_scopes",
      "scans",
      "compliance_mappings",
    ]) {
      const { rows } = await c.query(
        `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`,
      );
      out.push(`${table}:${rows[0].n}:${rows[0].h}`);
    }
    return out;
  });
}

async function callAction(request: APIRequestContext, action: ActionEntry) {
  const res = await request.post(action.page, {
    headers: {
      "Next-Action": action.id,
      Accept: "text/x-component",
      "Content-Type": "text/plain;charset=UTF-8",
    },
    data: "[]",
    maxRedirects: 0,
  });
  return { status: res.status(), body: await res.text() };
}

const actions = serverActions();

test("the build has the admin server actions this test expects", () => {
  const names = actions.map((a) => a.name).join("\n");
  for (const n of ["saveAccountAction", "removeAccountAction", "scanNowAction", "saveSettingsAction"])
    expect(names).toContain(n);
});

test.describe("signed out", () => {
  test("every server action answers 401 and changes nothing", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    const before = await snapshot();
    for (const action of actions) {
      const res = await callAction(request, action);
      expect(res.status, action.name).toBe(401);
    }
    expect(await snapshot()).toEqual(before);
    await request.dispose();
  });

  test("the CSV routes answer 401", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    for (const url of ["/insights/kms-key-rotation/export.csv", "/audit/export.csv?action=x"]) {
      expect((await request.get(url)).status(), url).toBe(401);
    }
    await request.dispose();
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("every admin server action is refused and changes nothing", async ({ request }) => {
    const admin = actions.filter((a) => ADMIN_ACTION_FILES.test(a.name.split("#")[0]!));
    expect(admin.length).toBeGreaterThanOrEqual(5);
    const before = await snapshot();
    for (const action of admin) {
      const res = await callAction(request, action);
      expect(res.status, action.name).toBeLessThan(500);
      expect(res.body, action.name).toContain("Only an admin can do this.");
    }
    expect(await snapshot()).toEqual(before);
  });

  test("the audit export answers 403; the insight export is allowed", async ({ request }) => {
    expect((await request.get("/audit/export.csv")).status()).toBe(403);
    const csv = await request.get("/insights/kms-key-rotation/export.csv");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
  });
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("passes the role check of the same actions (the check above can fail)", async ({ request }) => {
    const admin = actions.filter(
      (a) => ADMIN_ACTION_FILES.test(a.name.split("#")[0]!) && !a.name.endsWith("#scanNowAction"),
    );
    for (const action of admin) {
      const res = await callAction(request, action);
      expect(res.status, action.name).toBeLessThan(500);
      expect(res.body, action.name).not.toContain("Only an admin can do this.");
      // Called with no form (a script, not the page): a sentence saying so, not a failed action.
      expect(res.body, action.name).toContain("this action takes the form of its console page");
    }
  });
});
