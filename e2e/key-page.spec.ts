import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR } from "../playwright.config";
import { cli, showColumns, STORAGE, withDb, waitForScannedEstate } from "./support";

// The insight table as a laptop shows it, and a key's page: the way back to the view it was opened
// from, the copy buttons, the fix, and the mark of a region whose last scan failed.

const TABLE = "/insights/kms-key-rotation";

test.use({ storageState: STORAGE.admin, viewport: { width: 1440, height: 900 } });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await waitForScannedEstate({ idle: true });
});

test("the table comes first: at 1440×900 its twelfth row is on the first screen", async ({ page }) => {
  await page.goto(TABLE);
  await expect(page.getByTestId("demo-banner")).toBeVisible();
  const rows = page.locator("tbody tr[data-severity]");
  await expect(rows.nth(11)).toBeInViewport({ ratio: 1 });
  // The default columns fit: the table does not scroll sideways.
  const frame = page.getByTestId("insight-table").locator("xpath=..");
  expect(await frame.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  // Reasons and severities in words, one line per row.
  await expect(page.locator('td[data-column="reason"]').first()).not.toHaveText(/^[A-Z_]+$/);
  const heights = await rows.evaluateAll((trs) =>
    trs.slice(0, 12).map((tr) => tr.getBoundingClientRect().height),
  );
  expect(Math.max(...heights)).toBeLessThan(44);
  // The compliance mappings stay on the page, under the table.
  await expect(page.getByRole("heading", { name: "Compliance mapping" })).toBeAttached();
});

test("'What this checks' opens the explanation and the severities, by keyboard too", async ({ page }) => {
  await page.goto(TABLE);
  const toggle = page.getByRole("button", { name: "What this checks" });
  const meanings = page.getByRole("definition").filter({ hasText: "Automatic rotation does not apply" });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(meanings).toBeHidden();
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(meanings).toBeVisible();
  await page.keyboard.press("Space");
  await expect(meanings).toBeHidden();
});

test("tags show as two chips and +N, whose tooltip lists them all on keyboard focus", async ({ page }) => {
  const key = await withDb(async (db) => {
    const { rows } = await db.query<{ key_id: string; n: number }>(
      `SELECT k.key_id, jsonb_array_length(k.tags)::int AS n FROM kms_keys k
       WHERE k.gone_at IS NULL AND k.severity <> 'NOT_APPLICABLE' AND k.status <> 'EXCEPTED'
         AND jsonb_array_length(k.tags) >= 3
         AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(k.tags) t WHERE length(t->>'value') > 40 OR length(t->>'key') > 40)
       ORDER BY k.key_id LIMIT 1`,
    );
    return rows[0]!;
  });
  await showColumns(page, ["tags"]);
  await page.goto(`${TABLE}?q=${key.key_id}`);
  const cell = page.locator('td[data-column="tags"]').first();
  const more = cell.getByRole("button", { name: `+${key.n - 2} more tags` });
  await expect(more).toBeVisible();
  const tooltip = page.getByRole("tooltip");
  // Focus again until the page is hydrated and answers it.
  await expect(async () => {
    await more.blur();
    await more.focus();
    await expect(tooltip).toBeVisible({ timeout: 1_000 });
  }).toPass();
  const tags = await withDb(
    async (db) =>
      (
        await db.query<{ pair: string }>(
          `SELECT (t->>'key') || '=' || (t->>'value') AS pair FROM kms_keys k, jsonb_array_elements(k.tags) t WHERE k.key_id = $1`,
          [key.key_id],
        )
      ).rows,
  );
  for (const { pair } of tags) await expect(tooltip).toContainText(pair);
});

test("a key opened from a filtered view goes back to the same view", async ({ page }) => {
  const filtered = `${TABLE}?severity=CRITICAL&severity=WARNING&sort=-region&page=2&pageSize=25`;
  await page.goto(filtered);
  const link = page.locator('tbody td[data-column="key"] a').first();
  const name = (await link.textContent())!;
  const keyPath = new URL((await link.getAttribute("href"))!, "http://x").pathname;
  await link.click();
  await expect(page).toHaveURL(/\/keys\/[^?]+\?from=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await page.getByRole("link", { name: "Back to the table" }).click();
  await expect(page).toHaveURL(filtered);
  await expect(page.getByRole("button", { name: /^Severity/ })).toContainText(/2|Critical/);

  // A `from` that is not the table's query leads to the table all the same, never elsewhere.
  await page.goto(`${keyPath}?from=${encodeURIComponent("https://evil.example/?severity=OK")}`);
  await expect(page.getByRole("link", { name: "Back to the table" })).toHaveAttribute("href", TABLE);
  await page.goto(keyPath);
  await expect(page.getByRole("link", { name: "Back to the table" })).toHaveAttribute("href", TABLE);
});

test("a failing key's page: alias and id, copy buttons, console link, the fix, history as changes", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const key = await withDb(async (db) => {
    const { rows } = await db.query<{
      id: string;
      key_id: string;
      arn: string;
      region: string;
      alias: string;
    }>(
      `SELECT id, key_id, arn, region, aliases[1] AS alias FROM kms_keys
       WHERE gone_at IS NULL AND reason = 'ROTATION_DISABLED' AND cardinality(aliases) > 0
         AND multi_region_type IS DISTINCT FROM 'REPLICA'
       ORDER BY key_id LIMIT 1`,
    );
    return rows[0]!;
  });
  await page.goto(`/keys/${key.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(key.alias);
  await expect(page.getByTestId("key-id")).toHaveText(key.key_id);

  await page.getByRole("button", { name: "Copy key id" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key.key_id);
  await page.getByRole("button", { name: "Copy ARN" }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key.arn);

  await expect(page.getByRole("link", { name: "Open in the AWS console" })).toHaveAttribute(
    "href",
    `https://${key.region}.console.aws.amazon.com/kms/home?region=${key.region}#/kms/keys/${key.key_id}`,
  );
  await expect(page.getByTestId("fix-command")).toHaveText(
    `aws kms enable-key-rotation --key-id ${key.key_id} --rotation-period-in-days 365 --region ${key.region}`,
  );
  // Every scan so far judged it alike: one line, however many scans.
  const history = page.getByTestId("finding-history");
  const scans = await withDb(
    async (db) =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM finding_history WHERE kms_key_id = $1`,
          [key.id],
        )
      ).rows[0]!.n,
  );
  await expect(history.locator("tbody tr")).toHaveCount(1);
  await expect(history.locator("tbody tr")).toContainText(`${scans} scan${scans === 1 ? "" : "s"}`);
  await expect(history).toContainText("Automatic rotation is off");
  await expect(page.getByTestId("stale-alert")).toHaveCount(0);
});

test("a passing key's page offers no fix", async ({ page }) => {
  const id = await withDb(
    async (db) =>
      (
        await db.query<{ id: string }>(
          `SELECT id FROM kms_keys WHERE gone_at IS NULL AND severity = 'OK' LIMIT 1`,
        )
      ).rows[0]!.id,
  );
  await page.goto(`/keys/${id}`);
  await expect(page.getByRole("heading", { name: "Finding history" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "How to fix" })).toHaveCount(0);
});

test.describe("a region whose last scan failed", () => {
  const sandbox = () =>
    (JSON.parse(readFileSync(path.join(E2E_DATA_DIR, "demo-sandbox.json"), "utf8")) as { url: string }).url;
  const setFaults = async (faults: object) => {
    const res = await fetch(`${sandbox()}/__sandbox/faults`, {
      method: "POST",
      body: JSON.stringify(faults),
    });
    expect(res.status).toBe(200);
  };
  let account: string;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    account = await withDb(
      async (db) =>
        (
          await db.query<{ account_id: string }>(
            `SELECT account_id FROM kms_keys WHERE gone_at IS NULL AND severity = 'CRITICAL'
             GROUP BY account_id ORDER BY count(*) LIMIT 1`,
          )
        ).rows[0]!.account_id,
    );
    await setFaults({ accessDenied: { accounts: [account] } });
    try {
      expect(cli(["scan", "--account", account, "--timeout", "2m"]).status).toBe(1);
    } finally {
      await setFaults({});
    }
  });

  test.afterAll(async () => {
    test.setTimeout(180_000);
    // Leave the estate as the other specs expect it: every region listed by its last scan.
    expect(cli(["scan", "--account", account, "--timeout", "2m"]).status).toBe(0);
  });

  test("its rows and its keys' pages say their data is older", async ({ page }) => {
    const lastSuccess = await withDb(
      async (db) =>
        (
          await db.query<{ at: Date }>(
            `SELECT min(last_success_at) AS at FROM account_region_states WHERE account_id = $1 AND stale`,
            [account],
          )
        ).rows[0]!.at,
    );
    expect(lastSuccess).not.toBeNull();
    await page.goto(`${TABLE}?account=${account}&severity=CRITICAL`);
    const row = page.locator("tbody tr[data-severity]").first();
    const mark = row.getByTestId("stale-mark");
    await expect(mark).toContainText(
      /^data from \d{4}-\d\d-\d\d \d\d:\d\d UTC, last scan of this region failed$/,
    );
    await expect(async () => {
      await mark.blur();
      await mark.focus();
      await expect(page.getByRole("tooltip")).toContainText("last scan of this region failed", {
        timeout: 1_000,
      });
    }).toPass();
    await row.getByRole("link").first().click();
    await expect(page.getByTestId("stale-alert")).toContainText("last scan of this region failed");

    // Other accounts' rows are not marked.
    await page.goto(`${TABLE}?severity=CRITICAL`);
    const others = await withDb(
      async (db) =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM account_region_states WHERE stale AND account_id <> $1`,
            [account],
          )
        ).rows[0]!.n,
    );
    expect(others).toBe(0);
    await expect(page.locator("tbody tr[data-severity]").first()).toBeVisible();
    await expect(page.locator("tbody tr[data-stale]")).toHaveCount(
      await page.locator("tbody tr[data-severity]").filter({ hasText: account }).count(),
    );
  });
});
