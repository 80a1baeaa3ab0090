import { expect, type Page, test } from "@playwright/test";
import { STORAGE, withDb } from "./support";

// How the console feels to work in: no errors in the browser, the current page marked, words
// instead of codes on screen, and a clear 403 where a viewer may not go.

const TABLE = "/insights/kms-key-rotation";
const ADMIN_PAGES = ["/accounts", "/organizations", "/users", "/settings", "/audit"];
const ADMIN_ONLY_SENTENCE =
  "Only an admin can see this page. Ask an admin of this console if you need a change.";

/** Everything that went wrong in the browser while `visit` ran: console errors, failed requests. */
async function browserProblems(page: Page, visit: () => Promise<void>): Promise<string[]> {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()} (${page.url()})`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message} (${page.url()})`));
  page.on("requestfailed", (req) => {
    // A navigation that replaces a pending prefetch cancels it; that is not a fault.
    if (req.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`failed: ${req.url()}`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`${res.status()}: ${res.url()}`);
  });
  await visit();
  return problems;
}

async function visitAll(page: Page, paths: string[]) {
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await page.waitForLoadState("networkidle");
  }
}

async function anyKeyId(): Promise<string> {
  const id = await withDb(async (c) => {
    const { rows } = await c.query<{ id: string }>(`SELECT id FROM kms_keys WHERE gone_at IS NULL LIMIT 1`);
    return rows[0]?.id;
  });
  expect(id, "the demo scan collected keys").toBeDefined();
  return id!;
}

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await expect
    .poll(
      () =>
        withDb(async (c) => (await c.query(`SELECT 1 FROM kms_keys LIMIT 1`)).rowCount === 1).catch(
          () => false,
        ),
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe(true);
});

test.describe("signed out", () => {
  test("robots.txt turns every crawler away and the icon is served", async ({ request }) => {
    const robots = await request.get("/robots.txt");
    expect(robots.status()).toBe(200);
    expect(await robots.text()).toMatch(/^User-agent: \*\nDisallow: \/\n?$/);
  });

  test("the login page has an icon and no browser error", async ({ page, request }) => {
    const problems = await browserProblems(page, () => visitAll(page, ["/login"]));
    expect(problems).toEqual([]);
    const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(href).toMatch(/^\/icon\.svg/);
    const icon = await request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  });
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("no page of the console shows a browser error", async ({ page }) => {
    const key = await anyKeyId();
    const problems = await browserProblems(page, () =>
      visitAll(page, [
        "/",
        TABLE,
        `/keys/${encodeURIComponent(key)}`,
        "/scans",
        "/compliance",
        ...ADMIN_PAGES,
      ]),
    );
    expect(problems).toEqual([]);
  });

  test("the sidebar marks the page you are on", async ({ page }) => {
    const nav = page.getByRole("navigation", { name: "Main" });
    await page.goto("/scans");
    await expect(nav.getByRole("link", { name: "Scans" })).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
    await page.goto(`${TABLE}?severity=CRITICAL`);
    await expect(nav.getByRole("link", { name: "Key rotation" })).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  });

  test("severities read as words on screen; the URL and the CSV keep the codes", async ({ page }) => {
    const codes = /\b(CRITICAL|WARNING|NOT_APPLICABLE)\b/;
    const key = await anyKeyId();
    for (const path of [
      "/",
      `${TABLE}?severity=CRITICAL&severity=WARNING&severity=OK&severity=NOT_APPLICABLE`,
      `/keys/${encodeURIComponent(key)}`,
      "/compliance",
      "/settings",
    ]) {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      expect(await page.getByRole("main").innerText(), path).not.toMatch(codes);
    }
    await page.goto(TABLE);
    await page.getByRole("button", { name: /^Severity/ }).click();
    const options = page.getByRole("dialog").getByRole("checkbox");
    await expect(options).toHaveCount(4);
    for (const word of ["Critical", "Warning", "OK", "Not applicable"]) {
      await expect(page.getByRole("dialog").getByRole("checkbox", { name: word, exact: true })).toBeVisible();
    }
    await page.getByRole("dialog").getByRole("checkbox", { name: "Not applicable", exact: true }).click();
    await expect(page).toHaveURL(/[?&]severity=NOT_APPLICABLE(&|$)/);
    await page.keyboard.press("Escape");
    await expect(page.locator('tbody tr[data-severity="NOT_APPLICABLE"]').first()).toContainText(
      "Not applicable",
    );
    const csv = await page.request.get(`${TABLE}/export.csv?severity=NOT_APPLICABLE`);
    expect(await csv.text()).toMatch(/\nNOT_APPLICABLE,/);
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("an admin page answers 403 with a clear sentence inside the console", async ({ request, page }) => {
    for (const path of ADMIN_PAGES) {
      const res = await request.get(path, { headers: { Accept: "text/html" } });
      expect(res.status(), path).toBe(403);
      expect(await res.text(), path).toContain(ADMIN_ONLY_SENTENCE);
    }
    expect((await request.get("/audit/export.csv")).status()).toBe(403);

    const response = await page.goto("/accounts");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1, name: "Admins only" })).toBeVisible();
    await expect(page.getByText(ADMIN_ONLY_SENTENCE)).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  });
});
