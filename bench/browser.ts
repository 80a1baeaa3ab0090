// `npm run bench:browser`: the insight page in a real browser (Chromium, as the e2e tests drive it)
// against a production build started as `npm start` does, signed in: the time from navigation to
// the table's 50 rows on screen, and from a filter change to the new rows on screen. Medians of
// BENCH_RUNS runs (default 10) after one to warm up.
import { existsSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/support/chromium";
import { signIn, startConsole } from "./support/console-server";
import { machineLines, median, ms, printTable } from "./support/measure";

const PORT = Number(process.env.BENCH_PORT ?? 3300);
const PG_PORT = process.env.BENCH_PG_PORT ?? "5633";
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const INSIGHT =
  "/insights/kms-key-rotation?severity=CRITICAL&severity=WARNING&severity=OK&sort=-severity&pageSize=50";
const ROWS = "tbody tr[data-severity]";

if (!existsSync(CHROMIUM_PATH)) {
  console.error(
    `bench:browser needs Chromium at ${CHROMIUM_PATH} (Debian's chromium; CHROMIUM_PATH names another).`,
  );
  process.exit(1);
}
// The browser first: a console started before a browser that fails to launch would be left running.
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const server = await startConsole({ port: PORT, env: { INSIGHTS_PG_PORT: PG_PORT } }).catch(async (err) => {
  await browser.close();
  throw err;
});
try {
  const cookie = await signIn(server.url, "bench@example.com", "bench-password-123");
  const [name, value] = [cookie.slice(0, cookie.indexOf("=")), cookie.slice(cookie.indexOf("=") + 1)];
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addCookies([{ name, value, url: server.url }]);
  const page = await context.newPage();
  // Wait for the demo scan, so that the page has its rows.
  for (let i = 0; i < 180; i++) {
    await page.goto(server.url + INSIGHT);
    if ((await page.locator(ROWS).count()) === 50) break;
    await page.waitForTimeout(1000);
  }

  /** From page.goto to 50 rows visible, and the browser's own timings of that navigation. */
  const navigate = async (p: Page) => {
    const t0 = performance.now();
    await p.goto(server.url + INSIGHT, { waitUntil: "commit" });
    await p.locator(ROWS).nth(49).waitFor({ state: "visible" });
    const visible = performance.now() - t0;
    const timing = await p.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return { ttfb: nav.responseStart - nav.startTime, loaded: nav.loadEventEnd - nav.startTime };
    });
    return { visible, ...timing };
  };

  /** Toggles the Severity filter's "OK" and waits for the new total and its rows. */
  const changeFilter = async (p: Page) => {
    const total = p.getByTestId("insight-total");
    const before = await total.textContent();
    await p.getByRole("button", { name: /^Severity/ }).click();
    const option = p.getByRole("dialog").getByRole("checkbox", { name: "OK", exact: true });
    const t0 = performance.now();
    await option.click();
    await p.waitForFunction(
      ([rows, old]) => {
        const now = document.querySelector('[data-testid="insight-total"]')?.textContent;
        return now !== old && now && document.querySelectorAll(rows).length > 0;
      },
      [ROWS, before] as const,
      { polling: "raf" },
    );
    const elapsed = performance.now() - t0;
    await p.keyboard.press("Escape");
    return elapsed;
  };

  await navigate(page);
  await changeFilter(page);
  await changeFilter(page);
  const navigations = [];
  const changes = [];
  for (let i = 0; i < RUNS; i++) {
    navigations.push(await navigate(page));
    changes.push(await changeFilter(page)); // OK off
    changes.push(await changeFilter(page)); // OK on again
  }
  console.log(["", ...machineLines("18 (embedded)", "npm start")].join("\n"));
  console.log(`\nbench:browser  Chromium, 1440×900, medians of ${RUNS} runs, GET ${INSIGHT}`);
  printTable([
    ["measure", "median", "slowest"],
    ...(
      [
        ["navigation: first byte", navigations.map((n) => n.ttfb)],
        ["navigation: 50 rows visible", navigations.map((n) => n.visible)],
        ["navigation: load event", navigations.map((n) => n.loaded)],
        ["filter change: new rows visible", changes],
      ] as const
    ).map(([label, samples]) => [label, ms(median([...samples])), ms(Math.max(...samples))]),
  ]);
} finally {
  await browser.close();
  await server.stop();
}
