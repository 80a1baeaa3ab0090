import { expect, type Page, test } from "@playwright/test";
import { callActionWithForm, serverAction } from "./server-actions";
import { STORAGE, withDb } from "./support";

// Saved views as people use them: save the table's filters under a name, find it in the sidebar,
// open it again; an admin shares one and a viewer finds it under Shared; a viewer's share is
// refused by the server even when called without the page.

const TABLE = "/insights/kms-key-rotation";
const ACTIONS = "views/actions.ts";

const sidebarList = (page: Page, title: "My views" | "Shared") =>
  page.getByRole("navigation", { name: "Main" }).getByRole("list", { name: title });

async function saveView(page: Page, name: string) {
  await page.getByRole("button", { name: "Save view" }).click();
  const form = page.getByRole("form", { name: "Save view" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Save" }).click();
  return form;
}

const storedView = (name: string) =>
  withDb(async (db) => {
    const { rows } = await db.query<{ id: string; query: string; shared: boolean }>(
      "SELECT id, query, shared FROM saved_views WHERE name = $1",
      [name],
    );
    return rows[0];
  });

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("saves the current filters, finds them in the sidebar and opens the same view", async ({ page }) => {
    // Keys of the demo estate are collected by the first scan: wait for some on the table.
    await expect(async () => {
      await page.goto(`${TABLE}?severity=CRITICAL&severity=WARNING&sort=-region&page=1`);
      await expect(page.getByTestId("insight-total")).not.toHaveText("0", { timeout: 1_000 });
    }).toPass({ timeout: 240_000 });
    const total = await page.getByTestId("insight-total").textContent();

    const form = await saveView(page, "Failing, by region");
    await expect(form.getByRole("status")).toContainText('Saved "Failing, by region"');
    const link = sidebarList(page, "My views").getByRole("link", { name: "Failing, by region" });
    await expect(link).toBeVisible();
    // Stored in the table's canonical form.
    expect((await storedView("Failing, by region"))?.query).toBe(
      "severity=CRITICAL&severity=WARNING&sort=-region",
    );

    // The same name again: refused beside the field, what was typed kept.
    await form.getByLabel("Name").fill("Failing, by region");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByText('You already have a view named "Failing, by region".')).toBeVisible();
    await expect(form.getByLabel("Name")).toHaveValue("Failing, by region");
    await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
    await page.keyboard.press("Escape");

    await page.goto("/");
    await expect(link).not.toHaveAttribute("aria-current");
    await link.click();
    await expect(page).toHaveURL(
      /\/insights\/kms-key-rotation\?severity=CRITICAL&severity=WARNING&sort=-region$/,
    );
    await expect(page.getByTestId("insight-total")).toHaveText(total!);
    await expect(link).toHaveAttribute("aria-current", "page");
  });

  test("cannot share a view, nor delete another's shared one, even calling the server directly", async ({
    page,
    request,
  }) => {
    await page.goto(TABLE);
    await saveView(page, "Mine to keep");
    await expect(sidebarList(page, "My views").getByRole("link", { name: "Mine to keep" })).toBeVisible();
    const mine = (await storedView("Mine to keep"))!;
    const others = await withDb(async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO saved_views (id, owner_id, name, query, shared, updated_at)
         SELECT 'sv_authz_probe', id, 'Admin probe', 'severity=OK', true, now() FROM users
         WHERE email = 'admin@e2e.test' RETURNING id`,
      );
      return rows[0]!.id;
    });

    // The page offers no sharing to a viewer.
    await page.goto("/views");
    await expect(page.getByRole("button", { name: /^Share / })).toHaveCount(0);

    const share = await callActionWithForm(request, serverAction(ACTIONS, "setViewSharedAction"), {
      id: mine.id,
      shared: "true",
    });
    expect(share.status).toBeLessThan(500);
    expect(share.body).toContain("Only an admin can share or unshare a view.");
    const remove = await callActionWithForm(request, serverAction(ACTIONS, "deleteViewAction"), {
      id: others,
    });
    expect(remove.status).toBeLessThan(500);
    expect(remove.body).toContain("Only its owner or an admin can delete a shared view.");
    expect((await storedView("Mine to keep"))?.shared).toBe(false);
    expect(await storedView("Admin probe")).toMatchObject({ shared: true });
    await withDb((db) => db.query("DELETE FROM saved_views WHERE id = $1", [others]));
  });
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("shares a view, and a viewer finds it under Shared", async ({ page, browser }) => {
    await page.goto(`${TABLE}?severity=WARNING`);
    await saveView(page, "Team warnings");
    await expect(sidebarList(page, "My views").getByRole("link", { name: "Team warnings" })).toBeVisible();

    await page.getByRole("link", { name: "Manage views" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Saved views" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Manage views" })).toHaveAttribute("aria-current", "page");
    await page.getByRole("button", { name: "Share Team warnings", exact: true }).click();
    await expect(page.getByRole("button", { name: "Unshare Team warnings", exact: true })).toBeVisible();
    expect((await storedView("Team warnings"))?.shared).toBe(true);

    const viewer = await browser.newContext({ storageState: STORAGE.viewer });
    try {
      const other = await viewer.newPage();
      await other.goto("/");
      const shared = sidebarList(other, "Shared").getByRole("link", { name: "Team warnings" });
      await shared.click();
      await expect(other).toHaveURL(/\/insights\/kms-key-rotation\?severity=WARNING$/);
      await expect(shared).toHaveAttribute("aria-current", "page");
      // The viewer may not rename nor unshare it.
      await other.goto("/views");
      const row = other.getByRole("row", { name: /Team warnings/ });
      await expect(row).toContainText("admin@e2e.test");
      await expect(row.getByRole("button")).toHaveCount(0);
    } finally {
      await viewer.close();
    }

    // The owner renames it; then unshared, it leaves the viewer's sidebar.
    const rename = page.getByRole("form", { name: "Rename Team warnings" });
    await rename.getByLabel("New name for Team warnings").fill("Team warnings (all)");
    await rename.getByRole("button", { name: "Rename" }).click();
    await expect(page.getByRole("link", { name: "Team warnings (all)" }).first()).toBeVisible();
    await page.getByRole("button", { name: "Unshare Team warnings (all)", exact: true }).click();
    await expect(page.getByRole("button", { name: "Share Team warnings (all)", exact: true })).toBeVisible();
    expect((await storedView("Team warnings (all)"))?.shared).toBe(false);
  });
});
