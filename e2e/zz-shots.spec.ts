import { expect, test } from "@playwright/test";
import { STORAGE } from "./support";

test.use({ storageState: STORAGE.admin, viewport: { width: 1440, height: 900 } });

test("shots", async ({ page }) => {
  await expect(async () => {
    await page.goto("/insights/kms-key-rotation?severity=CRITICAL");
    await expect(page.getByTestId("insight-total")).not.toHaveText("0", { timeout: 1_000 });
  }).toPass({ timeout: 240_000 });
  for (const name of ["Critical keys", "A rather long name for a view that goes on and on"]) {
    await page.getByRole("button", { name: "Save view" }).click();
    await page.getByRole("form", { name: "Save view" }).getByLabel("Name").fill(name);
    await page.getByRole("form", { name: "Save view" }).getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("form", { name: "Save view" }).getByRole("status")).toContainText("Saved");
    await page.keyboard.press("Escape");
  }
  await page.getByRole("button", { name: "Save view" }).click();
  await page.getByRole("form", { name: "Save view" }).getByLabel("Name").fill("Critical keys");
  await page.getByRole("form", { name: "Save view" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("You already have")).toBeVisible();
  await page.screenshot({ path: "/tmp/h5-shot-table.png" });
  await page.keyboard.press("Escape");
  await page.goto("/views");
  await page.getByRole("button", { name: "Share Critical keys", exact: true }).click();
  await expect(page.getByRole("button", { name: "Unshare Critical keys", exact: true })).toBeVisible();
  await page.screenshot({ path: "/tmp/h5-shot-views.png", fullPage: true });
});
