import { expect, test } from "@playwright/test";
import { addKeysMatching, removeKeysMatching } from "../test/fixtures/many-matches";
import { STORAGE, withDb, waitForScannedEstate } from "./support";

// A search that matches more than 1,000 keys (the count's cap): the table says "more than 1,000
// keys", its pager goes on by Next without a last page, and the filter bar's options have no
// numbers (with a note that says why). Under the cap everything is counted as before. The demo
// estate is small: the matching keys are copies of one of its keys, added for this file.

const TABLE = "/insights/kms-key-rotation";
const WORD = "capword";
/** Past the cap: 1,001 copies, every other one CRITICAL (500), the others WARNING (501). */
const COPIES = 1001;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  // No scan running: a scan's complete listing would mark the copies gone.
  await waitForScannedEstate({ idle: true });
  await withDb((db) => addKeysMatching(db, WORD, COPIES));
});

test.afterAll(async () => {
  await withDb((db) => removeKeysMatching(db, WORD));
});

/** The key ids of the copies in the table's default order (severity, account, region, key id). */
async function keyIdsInOrder(): Promise<string[]> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ key_id: string }>(
      `SELECT key_id FROM kms_keys WHERE id LIKE $1 || '-%'
       ORDER BY severity, account_id, region, key_id, id`,
      [WORD],
    );
    return rows.map((r) => r.key_id);
  });
}

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("a search past the cap says more than 1,000 keys, pages by Next and shows no counts", async ({
    page,
  }) => {
    const order = await keyIdsInOrder();
    expect(order).toHaveLength(COPIES);
    await page.goto(`${TABLE}?q=${WORD}`);
    await expect(page.getByTestId("insight-total")).toHaveText("more than 1,000");
    await expect(page.getByTestId("insight-total").locator("..")).toHaveText("more than 1,000 keys");
    const rows = page.locator("tbody tr[data-severity]");
    await expect(rows).toHaveCount(50);
    await expect(rows.first()).toContainText(order[0]!);

    const pager = page.getByRole("navigation", { name: "Pages" });
    await expect(pager).toContainText("1–50 of more than 1,000 · page 1");
    await expect(pager).not.toContainText("page 1 of");
    await expect(pager.getByLabel("Last page")).toHaveCount(0);
    await expect(pager.getByRole("link", { name: "First page" })).toHaveCount(0);

    // The options have no numbers while the count is capped, and the bar says why.
    await expect(
      page.getByText("Counts are shown when the search matches at most 1,000 keys."),
    ).toBeVisible();
    await page.getByRole("button", { name: /^Severity/ }).click();
    const critical = page.getByRole("dialog").getByRole("checkbox", { name: "Critical", exact: true });
    await expect(critical).toBeEnabled();
    await expect(critical).not.toHaveAttribute("aria-describedby");
    await page.keyboard.press("Escape");

    // Every key matching is selected as "more than 1,000", never as a number it does not know.
    const bar = page.getByTestId("selection-bar");
    await page.getByRole("checkbox", { name: "Select every key on this page" }).check();
    await bar
      .getByRole("button", { name: "Select every key matching the filters (more than 1,000)" })
      .click();
    await expect(bar).toContainText("more than 1,000 keys selected");
    await bar.getByRole("button", { name: "Clear selection" }).click();

    // Next walks on from the last row shown: the 51st to the 100th copy, then the 101st on.
    await pager.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/[?&]page=2&after=[A-Za-z0-9_-]+/);
    await expect(pager).toContainText("51–100 of more than 1,000 · page 2");
    await expect(rows.first()).toContainText(order[50]!);
    await expect(rows.last()).toContainText(order[99]!);
    await pager.getByRole("link", { name: "Next page" }).click();
    await expect(pager).toContainText("101–150 of more than 1,000 · page 3");
    await expect(rows.first()).toContainText(order[100]!);
    // Back within the counted matches by page number.
    await pager.getByRole("link", { name: "Previous page" }).click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect(page).not.toHaveURL(/after=/);
    await expect(rows.first()).toContainText(order[50]!);
  });

  test("a search under the cap still counts exactly, with numbers in the options", async ({ page }) => {
    await page.goto(`${TABLE}?q=${WORD}&severity=WARNING`);
    await expect(page.getByTestId("insight-total")).toHaveText("501");
    const pager = page.getByRole("navigation", { name: "Pages" });
    await expect(pager).toContainText("1–50 of 501 · page 1 of 11");
    await expect(pager.getByRole("link", { name: "Last page" })).toBeVisible();
    await expect(page.getByText("Counts are shown when the search matches")).toHaveCount(0);
    await page.getByRole("button", { name: /^Severity/ }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByRole("checkbox", { name: "Critical", exact: true })).toHaveAccessibleDescription(
      "500 keys",
    );
    await expect(dialog.getByRole("checkbox", { name: "Warning", exact: true })).toHaveAccessibleDescription(
      "501 keys",
    );
  });
});
