import { expect, test } from "@playwright/test";
import { verifySignature } from "../lib/alerts/signature";
import { startHttpReceiver, type HttpReceiver } from "../test/support/alert-receivers";
import { STORAGE, withDb } from "./support";

// An admin adds a webhook destination pointing at a receiver this test starts, presses Send test,
// and sees the message sent in the delivery log; the receiver checks its signature. A refused form
// keeps what was typed. Viewers get a 403 on the alert pages.

const SECRET = "e2e-webhook-signing-secret-0123";
let receiver: HttpReceiver;

test.beforeAll(async () => {
  receiver = await startHttpReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("adds a webhook destination, sends a test and sees it sent in the delivery log", async ({ page }) => {
    const name = `E2E hook ${Date.now().toString(36)}`;
    await page.goto("/alerts");
    const form = page.getByRole("form", { name: "Add destination" });
    await form.getByLabel("Name").fill(name);

    // The browser's check: a secret too short is refused before anything is sent.
    await form.getByLabel("URL").fill(`${receiver.url}/hook`);
    await form.getByLabel("Signing secret").fill("short");
    await form.getByRole("button", { name: "Add destination" }).click();
    await expect(form.getByText("Nothing was sent: fix the fields marked below.")).toBeVisible();
    await expect(form.getByLabel("Signing secret")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("Signing secret")).toBeFocused();

    // The server's check: a host the allow-list does not name; every value is kept.
    await form.getByLabel("URL").fill("http://169.254.169.254/latest/meta-data");
    await form.getByLabel("Signing secret").fill(SECRET);
    await form.getByRole("button", { name: "Add destination" }).click();
    await expect(form.getByText("Nothing was saved: fix the fields marked below.")).toBeVisible();
    const url = form.getByLabel("URL");
    await expect(url).toHaveAttribute("aria-invalid", "true");
    await expect(url).toHaveAccessibleDescription(/169\.254\.169\.254 is not an allowed host/);
    await expect(url).toBeFocused();
    await expect(url).toHaveValue("http://169.254.169.254/latest/meta-data");
    await expect(form.getByLabel("Name")).toHaveValue(name);
    expect(
      await withDb(
        async (c) =>
          (await c.query("SELECT count(*)::int AS n FROM alert_destinations WHERE name = $1", [name])).rows[0]
            .n,
      ),
    ).toBe(0);

    await url.fill(`${receiver.url}/hook`);
    await form.getByRole("button", { name: "Add destination" }).click();
    await expect(form.getByText(`Added destination ${name}.`)).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(`${receiver.url}/hook`);
    // The secret is never shown back.
    await expect(page.locator("body")).not.toContainText(SECRET);

    await row.getByRole("button", { name: `Send test to ${name}` }).click();
    await expect(row.getByText("Test message sent. See the delivery log.")).toBeVisible();
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(
      verifySignature(
        SECRET,
        {
          signature: request.headers["x-signature"] as string,
          timestamp: request.headers["x-signature-timestamp"] as string,
        },
        request.body,
      ),
    ).toBe(true);

    await page.getByRole("link", { name: "delivery log" }).click();
    await expect(page).toHaveURL(/\/alerts\/deliveries$/);
    const logged = page.getByRole("row").filter({ hasText: `test message to ${name}` });
    await expect(logged).toContainText("Sent");
    await expect(logged).toContainText("1. ");
    await expect(logged).toContainText(": sent");
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("gets a 403 on the alert pages and no Alerts link", async ({ page }) => {
    for (const path of ["/alerts", "/alerts/deliveries"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
    await expect(page.getByRole("link", { name: "Alerts", exact: true })).toHaveCount(0);
  });
});
