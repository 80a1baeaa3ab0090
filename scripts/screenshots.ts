// `npm run docs:screenshots`: starts the console with demo data, signs in and saves the README's
// screenshots under docs/ (overview, the insight page with filters, a key page).
import { chromium } from "@playwright/test";
import { signIn, startConsole } from "../bench/support/console-server";

const server = await startConsole({ port: Number(process.env.SHOTS_PORT ?? 3400) });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
  ],
});
try {
  const cookie = await signIn(server.url, "bench@example.com", "bench-password-123");
  const [name, value] = cookie.split("=") as [string, string];
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  // The demo scan runs at start: wait until the overview shows findings.
  for (let i = 0; i < 60; i++) {
    await page.goto(`${server.url}/`);
    if (
      await page
        .getByText(/CRITICAL/)
        .first()
        .isVisible()
        .catch(() => false)
    )
      break;
    await page.waitForTimeout(1000);
  }
  await page.screenshot({ path: "docs/overview.png", fullPage: true });
  await page.goto(
    `${server.url}/insights/kms-key-rotation?severity=CRITICAL&severity=WARNING&tag=Environment`,
  );
  await page.screenshot({ path: "docs/insight-filtered.png", fullPage: true });
  await page.locator('a[href^="/keys/"]').first().click();
  await page.waitForURL(/\/keys\//);
  await page.screenshot({ path: "docs/key-page.png", fullPage: true });
  console.log("Saved docs/overview.png, docs/insight-filtered.png, docs/key-page.png");
} finally {
  await browser.close();
  await server.stop();
}
