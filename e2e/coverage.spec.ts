import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { parseRfc4180 } from "../test/support/parse-rfc4180";
import { STORAGE, withDb, waitForScannedEstate } from "./support";

// Coverage and the OU filter against the demo estate. The demo accounts belong to no organization
// and every one of their account-regions is scanned, so this file gives them OU paths and makes one
// account-region refused (as the collector records an AssumeRole denied), through SQL, and puts
// both back afterwards.

const ROOT = "r-e2e1";
const PROD = "ou-e2e1-prod0001";
const PAYMENTS = "ou-e2e1-paym0001";
const DEV = "ou-e2e1-dev00001";
const TABLE = "/insights/kms-key-rotation";
const DEFAULT_VIEW = "k.gone_at IS NULL AND k.severity <> 'NOT_APPLICABLE' AND k.status <> 'EXCEPTED'";

let accounts: { id: string; name: string; regions: string[] }[] = [];
let denied: { accountId: string; region: string; saved: Record<string, unknown> };

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await waitForScannedEstate({ idle: true });
  await withDb(async (db) => {
    accounts = (
      await db.query<{ id: string; name: string; regions: string[] }>(
        "SELECT id, name, regions FROM aws_accounts ORDER BY id",
      )
    ).rows;
    const [a, b, c] = accounts;
    const setOu = (id: string, path: string, ids: string[]) =>
      db.query("UPDATE aws_accounts SET ou_path = $2, ou_ids = $3 WHERE id = $1", [id, path, ids]);
    await setOu(a!.id, "Root / Prod", [ROOT, PROD]);
    await setOu(b!.id, "Root / Prod / Payments", [ROOT, PROD, PAYMENTS]);
    await setOu(c!.id, "Root / Dev", [ROOT, DEV]);
    const region = c!.regions[0]!;
    const { rows } = await db.query(
      "SELECT stale, last_error, last_error_call, last_error_code FROM account_region_states WHERE account_id = $1 AND region = $2",
      [c!.id, region],
    );
    denied = { accountId: c!.id, region, saved: rows[0]! };
    await db.query(
      `UPDATE account_region_states SET stale = true, last_error_call = 'sts:AssumeRole',
         last_error_code = 'AccessDenied',
         last_error = 'Could not assume arn:aws:iam::' || account_id || ':role/KmsInsightsReadOnly: AccessDenied — the role is missing. AWS said: AccessDenied: User: arn:aws:sts::999999999999:assumed-role/console/x is not authorized to perform: sts:AssumeRole'
       WHERE account_id = $1 AND region = $2`,
      [c!.id, region],
    );
  });
});

test.afterAll(async () => {
  await withDb(async (db) => {
    await db.query("UPDATE aws_accounts SET ou_path = NULL, ou_ids = '{}'");
    const s = denied.saved;
    await db.query(
      `UPDATE account_region_states SET stale = $3, last_error = $4, last_error_call = $5, last_error_code = $6
       WHERE account_id = $1 AND region = $2`,
      [denied.accountId, denied.region, s.stale, s.last_error, s.last_error_call, s.last_error_code],
    );
  });
});

const pairs = () => accounts.reduce((n, a) => n + a.regions.length, 0);

async function keysIn(accountIds: string[]): Promise<number> {
  return withDb(async (db) => {
    const sql = `SELECT count(*)::int AS n FROM kms_keys k WHERE ${DEFAULT_VIEW} AND k.account_id = ANY($1)`;
    return (await db.query<{ n: number }>(sql, [accountIds])).rows[0]!.n;
  });
}

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("the overview's coverage figure opens the coverage page on what needs a person", async ({ page }) => {
    await page.goto("/");
    const figure = page.getByTestId("coverage-figure");
    await expect(figure).toHaveText(`${pairs() - 1} of ${pairs()} account-regions scanned in the last 24 h`);
    await figure.click();
    await expect(page).toHaveURL(/\/coverage\?state=ACCESS_DENIED$/);
    await expect(page.getByRole("heading", { level: 1, name: "Coverage" })).toBeVisible();
    const rows = page.locator("tbody tr[data-coverage]");
    await expect(rows).toHaveCount(1);
    const row = rows.first();
    await expect(row).toHaveAttribute("data-coverage", `${denied.accountId}/${denied.region}`);
    await expect(row.getByText("Access denied", { exact: true })).toBeVisible();
    await expect(row).toContainText("Root / Dev");
    await expect(row).toContainText("sts:AssumeRole");
    await expect(row.getByTestId("coverage-fix")).toContainText('"Action": "sts:AssumeRole"');
    await expect(row.getByTestId("coverage-fix")).toContainText("arn:aws:iam::999999999999:role/console");
    await expect(row.getByRole("button", { name: "Copy the statement" })).toBeVisible();
  });

  test("a refused account-region with its statement passes axe on a phone, light and dark", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto("/coverage?state=ACCESS_DENIED");
      await expect(page.getByTestId("coverage-fix")).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${colorScheme}: ${v.id}`)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
  });

  test("filters by state and by OU, in the URL", async ({ page }) => {
    await page.goto("/coverage");
    await expect(page.getByTestId("coverage-summary")).toContainText(`${pairs() - 1} of ${pairs()}`);
    await page
      .getByRole("navigation", { name: "Coverage states" })
      .getByRole("link", { name: /^Scanned/ })
      .click();
    await expect(page).toHaveURL(/state=SCANNED/);
    await expect(page.locator("tbody tr[data-coverage]")).toHaveCount(pairs() - 1);
    await expect(page.locator('tbody [data-state="SCANNED"]')).toHaveCount(pairs() - 1);

    await page.getByLabel("Organizational unit").selectOption(PROD);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(new RegExp(`state=SCANNED&.*ou=${PROD}`));
    const prodPairs = accounts[0]!.regions.length + accounts[1]!.regions.length;
    await expect(page.locator("tbody tr[data-coverage]")).toHaveCount(prodPairs);
  });

  test("the insight table's OU filter: a chip with the OU's path, children included, and the CSV", async ({
    page,
  }) => {
    const [a, b] = accounts;
    const prodKeys = await keysIn([a!.id, b!.id]);
    await page.goto(TABLE);
    await page.getByRole("button", { name: /^OU/ }).click();
    await page
      .getByRole("dialog", { name: "OU" })
      .getByRole("checkbox", { name: `Root / Prod (${PROD})`, exact: true })
      .click();
    await expect(page).toHaveURL(new RegExp(`ou=${PROD}`));
    await page.keyboard.press("Escape");
    const chip = page
      .getByTestId("filter-chips")
      .getByRole("link", { name: "Remove filter OU: Root / Prod" });
    await expect(chip).toBeVisible();
    await expect(page.getByTestId("insight-total")).toHaveText(prodKeys.toLocaleString("en-US"));

    const csv = await page.request.get(`${TABLE}/export.csv?ou=${PAYMENTS}`);
    expect(csv.status()).toBe(200);
    const records = parseRfc4180((await csv.text()).replace(/^\uFEFF/, ""));
    expect(records.filter((r) => r.length > 1).length - 1).toBe(await keysIn([b!.id]));

    await chip.click();
    await expect(page.getByTestId("filter-chips")).toHaveCount(0);
  });

  test("a bad ou is a notice, not an error", async ({ page }) => {
    const response = await page.goto(`${TABLE}?ou=Prod%27%20OR%201=1`);
    expect(response!.status()).toBe(200);
    await expect(page.getByText(/Ignored ou .*: use an organizational unit id/)).toBeVisible();
    const coverage = await page.goto("/coverage?ou=nope&state=BROKEN");
    expect(coverage!.status()).toBe(200);
    await expect(page.getByText(/Ignored ou "nope"/)).toBeVisible();
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("sees the coverage page and its nav item", async ({ page }) => {
    await page.goto("/");
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Coverage", exact: true })
      .click();
    await expect(page).toHaveURL(/\/coverage$/);
    await expect(page.getByTestId("coverage-summary")).toBeVisible();
  });
});
