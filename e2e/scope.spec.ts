import { expect, test } from "@playwright/test";
import { parseRfc4180 } from "../test/support/parse-rfc4180";
import { cli, signIn, withDb } from "./support";

// A viewer limited to one account sees, counts and exports only that account's keys.

const SCOPED = { email: "scoped@e2e.test", password: "e2e-scoped-password-1" };

test("a scoped viewer sees and exports only the assigned account", async ({ page }) => {
  test.setTimeout(180_000);
  await expect
    .poll(() => withDb(async (c) => (await c.query("SELECT count(*)::int AS n FROM kms_keys")).rows[0].n), {
      timeout: 120_000,
    })
    .toBeGreaterThan(0);
  const account = await withDb(
    async (c) => (await c.query("SELECT id FROM aws_accounts ORDER BY id LIMIT 1")).rows[0].id as string,
  );
  const added = cli(["users", "add", "--email", SCOPED.email, "--role", "viewer"], SCOPED.password + "\n");
  if (added.status !== 0 && !added.stderr.includes("already exists")) throw new Error(added.stderr);
  expect(cli(["users", "scope", "--email", SCOPED.email, "--account", account]).status).toBe(0);

  const expected = await withDb(
    async (c) =>
      (
        await c.query(
          "SELECT count(*)::int AS n FROM kms_keys WHERE gone_at IS NULL AND severity <> 'NOT_APPLICABLE' AND account_id = $1",
          [account],
        )
      ).rows[0].n as number,
  );
  await signIn(page, SCOPED);
  await page.goto("/insights/kms-key-rotation");
  await expect(page.getByTestId("insight-total")).toHaveText(String(expected));
  const accountCells = await page
    .locator(`tbody tr[data-severity] td[data-column="accountId"]`)
    .allTextContents();
  expect(new Set(accountCells.map((t) => t.trim()))).toEqual(new Set([account]));

  // Asking for another account by URL gives nothing from it.
  const other = await withDb(
    async (c) =>
      (await c.query("SELECT id FROM aws_accounts WHERE id <> $1 LIMIT 1", [account])).rows[0].id as string,
  );
  const csv = await page.request.get(
    `/insights/kms-key-rotation/export.csv?account=${other}&severity=NOT_APPLICABLE&severity=OK&severity=WARNING&severity=CRITICAL`,
  );
  expect(csv.status()).toBe(200);
  const rows = parseRfc4180((await csv.text()).replace(/^\uFEFF/, "")).filter((r) => r.length > 1);
  expect(rows.length).toBe(1); // the header only

  const all = await page.request.get("/insights/kms-key-rotation/export.csv");
  const allRows = parseRfc4180((await all.text()).replace(/^\uFEFF/, ""))
    .slice(1)
    .filter((r) => r.length > 1);
  expect(allRows.length).toBe(expected);
  expect(new Set(allRows.map((r) => r[1]))).toEqual(new Set([account]));
});
