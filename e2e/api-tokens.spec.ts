import { expect, test } from "@playwright/test";
import { callActionWithForm, serverAction } from "./server-actions";
import { ADMIN, cli, STORAGE, withDb } from "./support";

// An API token as a person gets one: created on the console's tokens page, its secret shown once,
// used from a script (fetch, as curl would) against /api/v1/findings, then revoked: refused.

test.use({ storageState: STORAGE.viewer });

test("create a token, see it once, use it, revoke it", async ({ page, baseURL }) => {
  await page.goto("/tokens");
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  const form = page.getByRole("form", { name: "Create a token" });
  const name = `e2e script ${Date.now()}`;
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("token-secret").textContent())!.trim();
  expect(secret).toMatch(/^kmsi_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("button", { name: "Copy the token" })).toBeVisible();

  // Listed with its prefix, never its secret; stored only as a hash.
  const mine = page.getByRole("region", { name: "Your tokens" });
  const row = mine.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText(`${secret.slice(0, 11)}…`);
  await expect(row).toContainText("Never");
  const stored = await withDb(
    async (db) => (await db.query("SELECT * FROM api_tokens WHERE name = $1", [name])).rows[0],
  );
  expect(JSON.stringify(stored)).not.toContain(secret);

  // Shown once: a reload shows it no more.
  await page.reload();
  await expect(page.getByTestId("token-secret")).toHaveCount(0);

  const findings = () =>
    fetch(`${baseURL}/api/v1/findings?severity=CRITICAL&limit=25`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
  const ok = await findings();
  expect(ok.status).toBe(200);
  const body = (await ok.json()) as { items: { severity: string }[]; total: number };
  expect(body.items.every((f) => f.severity === "CRITICAL")).toBe(true);

  // The page shows when and from where it was last used.
  await page.reload();
  await expect(mine.getByRole("row", { name: new RegExp(name) })).toContainText("from ");

  await mine
    .getByRole("row", { name: new RegExp(name) })
    .getByRole("button", { name: `Revoke ${name}` })
    .click();
  await expect(mine.getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");
  const refused = await findings();
  expect(refused.status).toBe(401);
  expect(refused.headers.get("content-type")).toBe("application/problem+json");
  expect(((await refused.json()) as { detail: string }).detail).toMatch(/revoked/);
});

test("the API page shows the endpoints and their parameters", async ({ page }) => {
  await page.goto("/api-docs");
  await expect(page.getByRole("heading", { name: "API", exact: true })).toBeVisible();
  const findings = page.locator("#getFindings");
  await expect(findings).toContainText("/api/v1/findings");
  await expect(findings.getByRole("region", { name: "Parameters" })).toContainText("cursor");
  await expect(page.locator("#schema-Finding")).toContainText("severity");
});

test("a viewer cannot revoke another user's token, even calling the action without the page", async ({
  request,
}) => {
  const made = cli(["tokens", "create", "--email", ADMIN.email, "--name", `admin's ${Date.now()}`]);
  expect(made.status).toBe(0);
  const secret = made.stdout.trim();
  const id = await withDb(
    async (db) =>
      (await db.query<{ id: string }>("SELECT id FROM api_tokens ORDER BY created_at DESC LIMIT 1")).rows[0]!
        .id,
  );
  const res = await callActionWithForm(request, serverAction("tokens/actions.ts", "revokeTokenAction"), {
    id,
  });
  expect(res.status).toBeLessThan(500);
  expect(res.body).toContain("No such token among yours.");
  const row = await withDb(
    async (db) => (await db.query("SELECT revoked_at FROM api_tokens WHERE id = $1", [id])).rows[0],
  );
  expect(row).toEqual({ revoked_at: null });
  expect(secret).toMatch(/^kmsi_/);
});
