import { expect, test } from "@playwright/test";
import { ADMIN, signIn, STORAGE, VIEWER } from "./support";

const ADMIN_PAGES = ["/accounts", "/organizations", "/users", "/audit", "/settings"];

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

  test("the favicon and robots.txt answer without a sign-in", async ({ request }) => {
    const icon = await request.get("/favicon.ico");
    expect(icon.status()).toBe(200);
    expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    const robots = await request.get("/robots.txt");
    expect(robots.status()).toBe(200);
    expect(await robots.text()).toContain("Disallow: /");
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

  test("the demo banner invites an admin to add an AWS account", async ({ page }) => {
    await page.goto("/");
    const banner = page.getByTestId("demo-banner");
    await expect(banner).toContainText("Demo data");
    await banner.getByRole("link", { name: "Add your own AWS account" }).click();
    await expect(page).toHaveURL(/\/accounts$/);
  });
});

for (const [role, storage] of [
  ["viewer", STORAGE.viewer],
  ["analyst", STORAGE.analyst],
] as const) {
  test.describe(role, () => {
    test.use({ storageState: storage });

    test("is not invited to add an account, and admin pages answer 403", async ({ page, request }) => {
      await page.goto("/");
      const banner = page.getByTestId("demo-banner");
      await expect(banner).toContainText("Demo data");
      await expect(banner).not.toContainText(/add/i);
      await expect(banner.getByRole("link")).toHaveCount(0);
      for (const path of ADMIN_PAGES) {
        const res = await request.get(path, { headers: { Accept: "text/html" } });
        expect(res.status(), path).toBe(403);
        expect(await res.text(), path).toContain("Only an admin can see this page.");
      }
    });
  });
}

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
