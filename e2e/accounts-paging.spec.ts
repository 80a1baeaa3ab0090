import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { STORAGE, withDb } from "./support";

// The Accounts page with more accounts than a page holds: paged and filtered through the URL, the
// pager usable from the keyboard, bad parameters explained (never an error page), and the paged
// view readable on a phone in the dark theme. The 60 accounts added here are disabled (never
// scanned) and removed afterwards.

const ids = Array.from({ length: 60 }, (_, i) => String(999900000000 + i));
const name = (i: number) => `Paging ${String(i).padStart(3, "0")}`;

test.use({ storageState: STORAGE.admin });

test.beforeAll(async () => {
  await withDb((c) =>
    c.query(
      `INSERT INTO aws_accounts (id, name, regions, enabled, updated_at)
       SELECT id, 'Paging ' || lpad((row_number() OVER (ORDER BY id) - 1)::text, 3, '0'), '{us-east-1}', false, now()
       FROM unnest($1::text[]) AS id ON CONFLICT (id) DO NOTHING`,
      [ids],
    ),
  );
});

test.afterAll(async () => {
  await withDb((c) => c.query(`DELETE FROM aws_accounts WHERE id = ANY($1)`, [ids]));
});

const rowsShown = (page: import("@playwright/test").Page) =>
  page.getByRole("region", { name: "Configured accounts" }).getByRole("row").filter({ hasText: "Paging " });

test("pages through the accounts with the keyboard; each page is a link with the filters kept", async ({
  page,
}) => {
  await page.goto("/accounts?q=paging&pageSize=25");
  await expect(page.getByTestId("account-count")).toHaveText("Accounts 1–25 of 60 matching these filters.");
  await expect(rowsShown(page)).toHaveCount(25);
  const pager = page.getByRole("navigation", { name: "Account pages" });
  await expect(pager).toContainText("Page 1 of 3");

  await pager.getByRole("link", { name: "Next" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/accounts\?q=paging&page=2&pageSize=25$/);
  await expect(page.getByTestId("account-count")).toHaveText("Accounts 26–50 of 60 matching these filters.");
  await expect(rowsShown(page).first()).toContainText(name(25));

  await pager.getByRole("link", { name: "Last page" }).click();
  await expect(page).toHaveURL(/page=3/);
  await expect(rowsShown(page)).toHaveCount(10);
  await expect(rowsShown(page).last()).toContainText(name(59));
  await expect(pager.getByRole("link", { name: "Next" })).toHaveCount(0);
  await pager.getByRole("link", { name: "First page" }).click();
  await expect(page.getByTestId("account-count")).toHaveText("Accounts 1–25 of 60 matching these filters.");

  // Edit opens the account in the form below and keeps the list as it was.
  await rowsShown(page).first().getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL(/\/accounts\?q=paging&pageSize=25&edit=999900000000#account-form$/);
  await expect(page.getByRole("heading", { name: `Edit ${name(0)}` })).toBeVisible();
  await expect(page.getByTestId("account-count")).toHaveText("Accounts 1–25 of 60 matching these filters.");
});

test("the filter form narrows the list through the URL, back to page 1", async ({ page }) => {
  await page.goto("/accounts?q=paging&page=3&pageSize=25");
  const form = page.getByRole("form", { name: "Filter the accounts" });
  await form.getByLabel("Id, name or email contains").fill("Paging 05");
  await form.getByLabel("Status").selectOption("disabled");
  await form.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/q=Paging\+05/);
  await expect(page).not.toHaveURL(/page=3/);
  await expect(page.getByTestId("account-count")).toHaveText("Accounts 1–10 of 10 matching these filters.");
  await expect(rowsShown(page)).toHaveCount(10);
  await expect(page.getByRole("navigation", { name: "Account pages" })).toHaveCount(0);

  await form.getByLabel("Status").selectOption("enabled");
  await form.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("account-count")).toHaveText("No account matches these filters.");
});

test("bad parameters are explained and dropped; a page past the end shows the last", async ({ page }) => {
  const response = await page.goto("/accounts?q=paging&page=abc&pageSize=7&status=nope&colour=red");
  expect(response?.status()).toBe(200);
  for (const notice of [
    'Ignored page "abc": must be a whole number from 1.',
    'Ignored pageSize "7": use 25, 50, 100, 200.',
    'Ignored status "nope": use enabled, disabled, suspended, left, excluded.',
    'Ignored unknown parameter "colour".',
  ])
    await expect(page.getByText(notice)).toBeVisible();
  await expect(page.getByTestId("account-count")).toHaveText("Accounts 1–50 of 60 matching these filters.");

  await page.goto("/accounts?q=paging&page=99&pageSize=25");
  await expect(page.getByText("There is no page 99; showing the last page, 3.")).toBeVisible();
  await expect(rowsShown(page)).toHaveCount(10);
});

test("a paged view on a phone in the dark theme: no sideways scrolling, no serious axe violation", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/accounts?q=paging&page=2&pageSize=25");
  await page.waitForLoadState("networkidle");
  await expect(page.getByRole("navigation", { name: "Account pages" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
  ).toEqual([]);
});
