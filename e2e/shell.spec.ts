import { expect, test } from "@playwright/test";
import { ADMIN, signIn, STORAGE, VIEWER } from "./support";

test.describe("signed out", () => {
  test("a page asks for sign-in and comes back after it", async ({ page }) => {
    await page.goto("/scans");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fscans/);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/scans$/);
  });

  test("a wrong password and an unknown user get a clear message, not an error page", async ({ page }) => {
    for (const [email, password] of [
      [ADMIN.email, "not-the-password"],
      ["nobody@e2e.test", "whatever-password"],
    ] as const) {
      await page.goto("/login");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator("#login-error").getByRole("alert")).toHaveText(
        /email or password is incorrect/,
      );
      await expect(page).toHaveURL(/\/login/);
    }
  });

  test("an API route answers 401 without a session", async ({ request }) => {
    const res = await request.get("/insights/kms-key-rotation/export.csv");
    expect(res.status()).toBe(401);
  });
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });
  test("sees the console shell with the admin pages", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toContainText(ADMIN.email);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of [
      "Overview",
      "Key rotation",
      "Compliance",
      "Scans",
      "Accounts",
      "Users",
      "Settings",
    ]) {
      await expect(nav.getByRole("link", { name: label })).toBeVisible();
    }
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });
  test("sees the console shell without admin pages", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toContainText(VIEWER.email);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Key rotation" })).toBeVisible();
    for (const label of ["Accounts", "Users", "Settings", "Audit log"]) {
      await expect(nav.getByRole("link", { name: label })).toHaveCount(0);
    }
  });

  test("signs out", async ({ page }) => {
    // A session of its own: signing out ends it on the server, and other tests use the stored one.
    await page.context().clearCookies();
    await signIn(page, VIEWER);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
  });
});
