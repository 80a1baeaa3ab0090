import { test as setup } from "@playwright/test";
import { ADMIN, ANALYST, cli, signIn, STORAGE, VIEWER } from "./support";

setup("a viewer and an analyst exist", () => {
  for (const [user, role] of [
    [VIEWER, "viewer"],
    [ANALYST, "analyst"],
  ] as const) {
    const result = cli(["users", "add", "--email", user.email, "--role", role], user.password + "\n");
    if (result.status !== 0 && !result.stderr.includes("already exists")) {
      throw new Error(`users add failed: ${result.stderr}`);
    }
  }
});

setup("sign in as admin", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.context().storageState({ path: STORAGE.admin });
});

setup("sign in as viewer", async ({ page }) => {
  await signIn(page, VIEWER);
  await page.context().storageState({ path: STORAGE.viewer });
});

setup("sign in as analyst", async ({ page }) => {
  await signIn(page, ANALYST);
  await page.context().storageState({ path: STORAGE.analyst });
});
