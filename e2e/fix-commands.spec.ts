import { readFile } from "node:fs/promises";
import { expect, type Download, type Page, test } from "@playwright/test";
import { callActionWithForm, serverAction } from "./server-actions";
import { cli, STORAGE, withDb, waitForScannedEstate } from "./support";

// Selecting keys in the insight table: the CLI commands script for them or for every key the
// filters match, and "Plan a fix" for analysts and admins only. Remediation access on accounts is
// set by admins only: the server refuses anyone else.

const TABLE = "/insights/kms-key-rotation";

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await waitForScannedEstate();
});

const bar = (page: Page) => page.getByRole("region", { name: "Selected keys" });
const rows = (page: Page) => page.locator("tbody tr[data-severity]");
const text = async (download: Download) => readFile((await download.path())!, "utf8");

async function downloadFrom(page: Page, click: () => Promise<void>): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return download;
}

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("sets an account's remediation role; the list shows it and the external id is never shown back", async ({
    page,
  }) => {
    const id = "987654321098";
    const fixRole = `arn:aws:iam::${id}:role/KmsInsightsRemediation`;
    await page.goto("/accounts");
    // The demo: every account but the last may be fixed through the sandbox.
    const demo = await withDb(
      async (db) =>
        (
          await db.query<{ id: string; fixable: boolean }>(
            "SELECT id, remediation_method IS NOT NULL AS fixable FROM aws_accounts WHERE is_demo ORDER BY id",
          )
        ).rows,
    );
    expect(demo.filter((a) => !a.fixable)).toHaveLength(1);
    for (const a of demo)
      await expect(page.locator("tbody tr", { hasText: a.id }).locator("td").nth(3)).toHaveText(
        a.fixable ? "Demo sandbox" : "None: CLI commands only",
      );

    const form = page.getByRole("form", { name: "Add account" });
    await form.getByLabel("Account id").fill(id);
    await form.getByLabel("Name", { exact: true }).fill("Remediation E2E");
    await form
      .getByLabel(/^The default credential chain/)
      .first()
      .check();
    await expect(form.getByLabel("None: CLI commands only")).toBeChecked();
    await form.getByLabel(/^Assume a separate write role/).check();
    await form.getByLabel("Remediation role ARN").fill(fixRole);
    await form.getByLabel(/^Remediation external id/).fill("remediation-e2e-secret");
    await form.getByRole("button", { name: "Add account" }).click();
    try {
      await expect(form.getByRole("status").or(form.locator("[aria-live]")).first()).toContainText(
        `Added account ${id}`,
      );
      const row = page.locator("tbody tr", { hasText: id });
      await expect(row).toContainText(fixRole);
      await expect(row).toContainText("with external id");
      expect(await page.content()).not.toContain("remediation-e2e-secret");

      await page.goto(`/accounts?edit=${id}`);
      const edit = page.getByRole("form", { name: "Edit account" });
      await expect(edit.getByLabel("Remediation role ARN")).toHaveValue(fixRole);
      await expect(edit.getByLabel(/^Remediation external id \(stored; leave blank to keep\)/)).toHaveValue(
        "",
      );
      await expect(edit.getByLabel("Remove the stored remediation external id")).not.toBeChecked();
    } finally {
      cli(["accounts", "remove", "--id", id]);
    }
  });
});

test.describe("analyst", () => {
  test.use({ storageState: STORAGE.analyst });

  test("two selected rows: the bar counts them and the CLI commands name both keys", async ({ page }) => {
    await page.goto(`${TABLE}?severity=CRITICAL&sort=keyId`);
    await expect(bar(page)).toHaveCount(0);
    const chosen: string[] = [];
    for (const i of [0, 1]) {
      chosen.push((await rows(page).nth(i).getAttribute("data-key-id"))!);
      await rows(page)
        .nth(i)
        .getByRole("checkbox", { name: /^Select key / })
        .check();
    }
    await expect(bar(page)).toContainText("2 keys selected");
    await expect(bar(page).getByRole("button", { name: "Plan a fix" })).toBeVisible();

    const download = await downloadFrom(page, () =>
      bar(page).getByRole("button", { name: "CLI commands" }).click(),
    );
    expect(download.suggestedFilename()).toMatch(/^kms-key-rotation-fix-\d{8}-\d{4}\.sh$/);
    const script = await text(download);
    expect(script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(script).toContain("set -eu");
    expect(script).toContain("# Keys: 2 selected keys");
    for (const keyId of chosen) expect(script).toContain(keyId);
    const keyLines = script.split("\n").filter((l) => l.startsWith("aws ") || l.startsWith("# skipped"));
    expect(keyLines.length).toBeGreaterThanOrEqual(2);

    // Clearing hides the bar; a new filter starts with nothing selected.
    await bar(page).getByRole("button", { name: "Clear selection" }).click();
    await expect(bar(page)).toHaveCount(0);
  });

  test("select the page, then every key matching: the script covers the filter", async ({ page }) => {
    await page.goto(`${TABLE}?pageSize=25`);
    const total = Number((await page.getByTestId("insight-total").textContent())!.replace(/,/g, ""));
    expect(total).toBeGreaterThan(25);
    await page.getByRole("checkbox", { name: "Select every key on this page" }).check();
    await expect(bar(page)).toContainText("25 keys selected");
    await expect(bar(page)).toContainText("All 25 keys on this page are selected.");
    await bar(page)
      .getByRole("button", { name: `Select all ${total.toLocaleString("en-US")} keys matching the filters` })
      .click();
    await expect(bar(page)).toContainText(`${total.toLocaleString("en-US")} keys selected`);

    // The period chosen goes into the commands.
    await bar(page)
      .getByRole("button", { name: /^Period:/ })
      .click();
    await page.getByLabel("Rotation period in days").fill("30");
    await page.getByRole("button", { name: "Use this period" }).click();
    await expect(page.getByText("The rotation period is a whole number of days from 90")).toBeVisible();
    await page.getByLabel("Rotation period in days").fill("180");
    await page.getByRole("button", { name: "Use this period" }).click();
    await expect(bar(page).getByRole("button", { name: "Period: 180 days" })).toBeVisible();

    const script = await text(
      await downloadFrom(page, () => bar(page).getByRole("link", { name: "CLI commands" }).click()),
    );
    expect(script).toContain("# Keys: every key of the table");
    expect(script).toContain("# Rotation period: 180 days.");
    const keyLines = script.split("\n").filter((l) => l.startsWith("# skipped") || l.startsWith("aws "));
    // One line per key (a replica's primary may add one more).
    expect(keyLines.length).toBeGreaterThanOrEqual(total);
    expect(
      script
        .split("\n")
        .filter((l) => l.startsWith("aws "))
        .every((l) => l.includes("--rotation-period-in-days 180")),
    ).toBe(true);
  });

  test("the server refuses an analyst's remediation access, and stores nothing", async ({ request }) => {
    const before = await withDb(
      async (db) => (await db.query("SELECT * FROM aws_accounts ORDER BY id")).rows,
    );
    const res = await callActionWithForm(request, serverAction("accounts/actions.ts", "saveAccountAction"), {
      mode: "add",
      id: "999988887777",
      name: "Sneaky",
      regions: "us-east-1",
      accessMethod: "DEFAULT_CHAIN",
      remediationMethod: "ROLE",
      remediationRoleArn: "arn:aws:iam::999988887777:role/KmsInsightsRemediation",
      remediationExternalId: "sneaky-1",
    });
    expect(res.status).toBeLessThan(500);
    expect(res.body).toContain("Only an admin can do this.");
    expect(
      await withDb(async (db) => (await db.query("SELECT * FROM aws_accounts ORDER BY id")).rows),
    ).toEqual(before);
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("selects keys and gets their CLI commands, but is not offered a fix plan", async ({ page }) => {
    await page.goto(TABLE);
    await rows(page).first().getByRole("checkbox").check();
    await expect(bar(page)).toContainText("1 key selected");
    await expect(bar(page).getByRole("button", { name: "CLI commands" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Plan a fix" })).toHaveCount(0);
  });

  test("at 390 px the bar wraps within the screen and works from the keyboard", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(TABLE);
    const box = rows(page).first().getByRole("checkbox");
    await box.focus();
    await page.keyboard.press("Space");
    await expect(bar(page)).toContainText("1 key selected");
    for (const name of ["CLI commands", "Clear selection"]) {
      const b = (await bar(page).getByRole("button", { name }).boundingBox())!;
      expect(b.x, name).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width, name).toBeLessThanOrEqual(390);
    }
    await bar(page).getByRole("button", { name: "Clear selection" }).press("Enter");
    await expect(bar(page)).toHaveCount(0);
  });

  test("the server refuses a viewer's remediation access change", async ({ request }) => {
    const id = await withDb(
      async (db) =>
        (await db.query<{ id: string }>("SELECT id FROM aws_accounts ORDER BY id LIMIT 1")).rows[0]!.id,
    );
    const res = await callActionWithForm(request, serverAction("accounts/actions.ts", "saveAccountAction"), {
      mode: "edit",
      id,
      name: "Renamed",
      regions: "us-east-1",
      remediationMethod: "PROFILE",
      remediationProfile: "fixer",
    });
    expect(res.body).toContain("Only an admin can do this.");
    const row = await withDb(
      async (db) =>
        (await db.query("SELECT name, remediation_profile FROM aws_accounts WHERE id = $1", [id])).rows[0],
    );
    expect(row.remediation_profile).toBeNull();
    expect(row.name).not.toBe("Renamed");
  });

  test("the script route answers a bad parameter with a 400 and a sentence", async ({ request }) => {
    for (const [query, message] of [
      ["period=7", "The rotation period is a whole number of days from 90"],
      ["key=not-an-arn", 'Not a KMS key ARN: \\"not-an-arn\\".'],
    ]) {
      const res = await request.get(`${TABLE}/fix-commands.sh?${query}`);
      expect(res.status(), query).toBe(400);
      expect(await res.text(), query).toContain(message);
    }
  });
});

test("signed out, the script route answers 401", async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  expect((await request.get(`${TABLE}/fix-commands.sh`)).status()).toBe(401);
  await request.dispose();
});
