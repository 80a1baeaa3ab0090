import { expect, test, type Locator, type Page } from "@playwright/test";
import { STORAGE } from "./support";

// The shell by keyboard alone: the main navigation, the mobile menu and the theme switch.

test.use({ storageState: STORAGE.admin });

/** Presses Tab until `target` has focus; fails if it never does. */
async function tabTo(page: Page, target: Locator, most = 40): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target}`);
}

test("the sidebar: a skip link first, then every page by Tab and Enter", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to the page" })).toBeFocused();

  const nav = page.getByRole("navigation", { name: "Main" });
  await tabTo(page, nav.getByRole("link", { name: "Compliance" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/compliance$/);
  await expect(nav.getByRole("link", { name: "Compliance" })).toHaveAttribute("aria-current", "page");
});

test("the mobile menu: opens with focus inside, Escape closes it, a link closes it", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();

  const button = page.getByRole("button", { name: "Menu" });
  await tabTo(page, button);
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Enter");
  await expect(button).toHaveAttribute("aria-expanded", "true");
  const menu = page.locator(`#${await button.getAttribute("aria-controls")}`);
  const nav = menu.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Overview" })).toBeFocused();
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");

  await page.keyboard.press("Escape");
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeHidden();
  await expect(button).toBeFocused();

  await page.keyboard.press("Enter");
  await tabTo(page, nav.getByRole("link", { name: "Scans" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/scans$/);
  await expect(menu).toBeHidden();
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await button.click();
  await expect(nav.getByRole("link", { name: "Scans" })).toHaveAttribute("aria-current", "page");
});

test("on a phone the table's filters fold behind one button; the table and the chips stay in view", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/insights/kms-key-rotation?severity=CRITICAL");
  const filters = page.getByRole("search", { name: "Filter keys" });
  await expect(filters).toBeHidden();
  await expect(page.getByRole("link", { name: "Remove filter Severity: Critical" })).toBeVisible();
  await expect(page.locator("tbody tr[data-severity]").first()).toBeInViewport();

  const button = page.getByRole("button", { name: "Filters" });
  await tabTo(page, button);
  await page.keyboard.press("Enter");
  await expect(filters).toBeVisible();
  await expect(page.getByRole("button", { name: "Hide filters" })).toHaveAttribute("aria-expanded", "true");
  // Choosing a filter keeps the bar open.
  await filters.getByRole("searchbox", { name: "Search" }).fill("alias");
  await expect(page).toHaveURL(/q=alias/);
  await expect(filters).toBeVisible();

  // On a laptop the bar is always there.
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(page.getByRole("button", { name: /Filters$/ })).toBeHidden();
  await expect(filters).toBeVisible();
});

test("the theme switch: dark by keyboard, kept after a reload, back to the system's", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/\bdark\b/);

  const trigger = page.getByRole("button", { name: "Theme: System" });
  await tabTo(page, trigger);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitemradio", { name: "System" })).toHaveAttribute("aria-checked", "true");
  // The menu takes the focus a moment after it opens: an arrow pressed before then is lost.
  await expect(page.getByRole("menuitemradio", { name: "System" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("menuitemradio", { name: "Dark" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(page.getByRole("button", { name: "Theme: Dark" })).toBeFocused();

  // Set before the first paint: the class is there when the document has only just been parsed.
  await page.reload({ waitUntil: "domcontentloaded" });
  expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
  await expect(page.getByRole("button", { name: "Theme: Dark" })).toBeVisible();

  await page.getByRole("button", { name: "Theme: Dark" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("menuitemradio", { name: "System" }).focus();
  await page.keyboard.press("Enter");
  await expect(html).not.toHaveClass(/\bdark\b/);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveClass(/\bdark\b/);
});
