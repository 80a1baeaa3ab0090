import { test as setup } from "@playwright/test";
import { ADMIN, cli, signIn, STORAGE, VIEWER } from "./support";

setup("a viewer exists", () => {
  const result = cli(["users", "add", "--email", VIEWER.email, "--role", "viewer"], VIEWER.password + "\n");
  if (result.status !== 0 && !result.stderr.includes("already exists")) {
    throw new Error(`users add failed: ${result.stderr}`);
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
