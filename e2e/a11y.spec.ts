import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { misalignedControls } from "./layout-check";
import { ADMIN, cli, STORAGE, withDb } from "./support";

// Every page, as an admin (and the login page signed out), in both themes, on a laptop and on a
// phone: no serious or critical axe violation, no browser console error, and on the phone no
// sideways scrolling of the page (wide tables scroll inside their own box), and no controls side by
// side that do not line up.

const VIEWPORTS = {
  desktop: { width: 1440, height: 900 },
  mobile: { width: 390, height: 844 },
} as const;
const THEMES = ["light", "dark"] as const;

interface PageToCheck {
  name: string;
  path: () => Promise<string>;
  status?: number;
}

const at = (path: string) => () => Promise.resolve(path);

const CONSOLE_PAGES: PageToCheck[] = [
  { name: "overview", path: at("/") },
  { name: "key rotation", path: at("/insights/kms-key-rotation") },
  { name: "compliance", path: at("/compliance") },
  { name: "exceptions", path: at("/exceptions") },
  { name: "new exception", path: at("/exceptions/new") },
  { name: "an exception", path: async () => `/exceptions/${await anExceptionId()}` },
  { name: "fixes", path: at("/fixes") },
  { name: "a fix plan", path: async () => `/fixes/${await aFixPlanId()}` },
  { name: "scans", path: at("/scans") },
  { name: "coverage", path: at("/coverage") },
  { name: "accounts", path: at("/accounts") },
  { name: "organizations", path: at("/organizations") },
  { name: "users", path: at("/users") },
  { name: "audit log", path: at("/audit") },
  { name: "settings", path: at("/settings") },
  { name: "alerts", path: at("/alerts") },
  { name: "alert delivery log", path: at("/alerts/deliveries") },
  { name: "api tokens", path: at("/tokens") },
  { name: "api", path: at("/api-docs") },
  { name: "a key", path: async () => `/keys/${encodeURIComponent(await aKeyId())}` },
  { name: "not found", path: at("/no-such-page"), status: 404 },
];

/** Waits for the demo scan to finish, so that every page has its data. */
async function settled(): Promise<void> {
  await expect
    .poll(
      () =>
        withDb(async (c) => {
          const keys = await c.query(`SELECT 1 FROM kms_keys LIMIT 1`);
          const busy = await c.query(`SELECT 1 FROM scans WHERE status IN ('QUEUED', 'RUNNING')`);
          return keys.rowCount === 1 && busy.rowCount === 0;
        }).catch(() => false),
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe(true);
}

async function aKeyId(): Promise<string> {
  const { rows } = await withDb((c) =>
    c.query<{ id: string }>(`SELECT id FROM kms_keys WHERE gone_at IS NULL ORDER BY key_id LIMIT 1`),
  );
  return rows[0]!.id;
}

/** A fix plan to show: planned (never run), so that no key changes. */
async function aFixPlanId(): Promise<string> {
  const existing = () =>
    withDb(async (c) => (await c.query<{ id: string }>(`SELECT id FROM fix_plans LIMIT 1`)).rows[0]?.id);
  const id = await existing();
  if (id) return id;
  const planned = cli(["fix", "plan", "--severity", "CRITICAL"]);
  expect(planned.status, planned.stderr).toBe(0);
  return (await existing())!;
}

/** An exception to show; a rule that matches no key, so that no other test's finding changes. */
async function anExceptionId(): Promise<string> {
  const existing = () =>
    withDb(async (c) => (await c.query<{ id: string }>(`SELECT id FROM exceptions LIMIT 1`)).rows[0]?.id);
  const id = await existing();
  if (id) return id;
  const { rows } = await withDb((c) => c.query<{ id: string }>(`SELECT id FROM aws_accounts LIMIT 1`));
  const added = cli([
    "exceptions",
    "add",
    "--kind",
    "accepted-risk",
    "--justification",
    "Accessibility check: a rule that matches no key.",
    "--owner",
    ADMIN.email,
    "--account",
    rows[0]!.id,
    "--alias-prefix",
    "a11y-matches-nothing-",
  ]);
  expect(added.status, added.stderr).toBe(0);
  return (await existing())!;
}

/** Console errors and uncaught exceptions while the page is open, but the page's own expected status. */
function collectBrowserErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    if (/status of (403|404)/.test(msg.text()) && msg.location().url === page.url()) return;
    errors.push(`${msg.text()} (${page.url()})`);
  });
  page.on("pageerror", (err) => errors.push(`${err.message} (${page.url()})`));
  return errors;
}

/**
 * Serious and critical axe violations, one line each with where they are. Axe runs in the page
 * itself ("legacy mode": the console has no frames, so no blank page is opened to gather frames'
 * results), without the "region" rule, whose findings are moderate and not counted here: together
 * they halve the check's time, and the violations found are the same.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .disableRules(["region"])
    .analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Checks `path` in one viewport and each theme; returns what is wrong. The page is loaded once in
 * the first theme, then switched to the other the way a user's system setting switches it (the page
 * follows prefers-color-scheme as it changes), which checks that switch too.
 */
async function checkViewport(
  page: Page,
  viewportName: string,
  path: string,
  status: number,
): Promise<string[]> {
  const problems: string[] = [];
  const errors = collectBrowserErrors(page);
  const response = await page.goto(path);
  expect(response?.status(), `${path} ${viewportName}`).toBe(status);
  // The page itself, not the sign-in page it would redirect to without the test's session.
  expect(new URL(page.url()).pathname, `${path} ${viewportName}`).toBe(path);
  await page.waitForLoadState("networkidle");
  const { width: viewportWidth } = page.viewportSize()!;
  for (const colorScheme of THEMES) {
    if (colorScheme !== THEMES[0]) await page.emulateMedia({ colorScheme });
    const where = `${path} ${viewportName} ${colorScheme}`;
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")), {
        message: where,
      })
      .toBe(colorScheme === "dark");
    // Colours that ease into the new theme are measured once they have arrived: the running
    // transitions are waited for, a second at most (a spinner's animation never ends).
    await page.evaluate(() =>
      Promise.race([
        Promise.all(document.getAnimations().map((a) => a.finished)),
        new Promise((resolve) => setTimeout(resolve, 1_000)),
      ]),
    );
    for (const v of await seriousViolations(page)) problems.push(`${where}: ${v}`);
    if (colorScheme === THEMES[0])
      for (const row of await misalignedControls(page))
        problems.push(`${where}: controls out of line: ${row}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > viewportWidth) problems.push(`${where}: the page is ${width} px wide`);
  }
  return [...problems, ...errors.map((e) => `console error: ${e}`)];
}

/**
 * Checks `path` on a laptop and on a phone at once, each in a browser context of its own (axe's
 * analysis is the slow part, and two pages run it on two cores), with the test's sign-in and base URL.
 */
async function checkEverywhere(
  browser: Browser,
  options: BrowserContextOptions,
  path: string,
  status = 200,
): Promise<string[]> {
  const results = await Promise.all(
    Object.entries(VIEWPORTS).map(async ([viewportName, viewport]) => {
      const context = await browser.newContext({ ...options, viewport, colorScheme: THEMES[0] });
      try {
        return await checkViewport(await context.newPage(), viewportName, path, status);
      } finally {
        await context.close();
      }
    }),
  );
  return results.flat();
}

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await settled();
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });
  for (const { name, path, status } of CONSOLE_PAGES) {
    test(`${name}: accessible in both themes, on a laptop and a phone`, async ({
      browser,
      baseURL,
      storageState,
    }) => {
      test.setTimeout(240_000);
      expect(await checkEverywhere(browser, { baseURL, storageState }, await path(), status)).toEqual([]);
    });
  }
});

test.describe("signed out", () => {
  test("login: accessible in both themes, on a laptop and a phone", async ({ browser, baseURL }) => {
    expect(await checkEverywhere(browser, { baseURL }, "/login")).toEqual([]);
  });
});
