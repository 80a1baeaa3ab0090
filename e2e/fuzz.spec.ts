import { expect, test } from "@playwright/test";
import { hostileQuery, hostileValue, rng } from "../test/support/hostile-input";
import { callActionWithForm, serverAction } from "./server-actions";
import { STORAGE, withDb } from "./support";

// Hostile input over HTTP, as a signed-in user: random query strings on the insight page and the CSV
// route, hostile values typed into every admin form. No 5xx, no change to what is stored.

async function stored(): Promise<string> {
  return withDb(async (c) => {
    const parts: string[] = [];
    for (const table of ["aws_accounts", "settings", "users", "kms_keys"]) {
      const { rows } = await c.query(
        `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${table} t`,
      );
      parts.push(rows[0].h);
    }
    return parts.join(":");
  });
}

test.describe("as a viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("hostile query strings on the insight page and the CSV route never give a 5xx", async ({
    request,
  }) => {
    test.setTimeout(240_000);
    // Wait for the demo scan, so that the queries have rows to work on.
    await expect
      .poll(() => withDb(async (c) => (await c.query("SELECT count(*)::int AS n FROM kms_keys")).rows[0].n), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    const before = await stored();
    const r = rng(7);
    for (let i = 0; i < 150; i++) {
      const qs = hostileQuery(r);
      for (const path of ["/insights/kms-key-rotation", "/insights/kms-key-rotation/export.csv"]) {
        const res = await request.get(`${path}?${qs}`, { maxRedirects: 0 });
        expect(res.status(), `${path}?${qs.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    expect(await stored()).toBe(before);
  });
});

// Every page and route an admin can open (the admin sees them all), with their dynamic segments.
const PAGES = [
  "/",
  "/accounts",
  "/alerts",
  "/alerts/deliveries",
  "/api-docs",
  "/audit",
  "/audit/export.csv",
  "/compliance",
  "/compliance/export.csv",
  "/coverage",
  "/coverage/export.csv",
  "/exceptions",
  "/exceptions/new",
  "/exceptions/not-an-id",
  "/fixes",
  "/fixes/not-an-id",
  "/insights/kms-key-rotation",
  "/insights/kms-key-rotation/export",
  "/insights/kms-key-rotation/export.csv",
  "/insights/kms-key-rotation/fix-commands.sh",
  "/keys/not-an-id",
  "/organizations",
  "/scans",
  "/settings",
  "/tokens",
  "/users",
  "/views",
];

test.describe("as an admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("hostile query strings on every page and route never give a 5xx", async ({ request }) => {
    test.setTimeout(240_000);
    const before = await stored();
    const r = rng(13);
    for (const path of PAGES) {
      // The names of Object's own properties first: a parser that looks a name up in an object
      // literal finds them there.
      for (const qs of [
        "constructor=1&__proto__=x&toString=y&state=__proto__",
        ...[1, 2, 3, 4].map(() => hostileQuery(r)),
      ]) {
        const res = await request.get(`${path}?${qs}`, { maxRedirects: 0 });
        expect(res.status(), `${path}?${qs.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    expect(await stored()).toBe(before);
  });

  test("a NUL character sent to a server action is refused with a sentence, not a failure", async ({
    request,
  }) => {
    const before = await stored();
    const res = await callActionWithForm(request, serverAction("organizations/actions.ts", "syncNowAction"), {
      id: "org\u0000id",
    });
    expect(res.status).toBeLessThan(500);
    expect(res.body).toContain("a value has a character that cannot be stored (a NUL character");
    expect(await stored()).toBe(before);
  });

  test("a path whose %-escape does not decode is a 400 that says so, not a 500", async ({ request }) => {
    for (const path of ["/keys/%ff", "/exceptions/%E0%A4%A", "/fixes/%", "/insights/%zz"]) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(400);
      expect(await res.text()).toContain("the address has a %-escape that does not decode");
    }
  });

  test("hostile values in the account form are refused with a message and change nothing", async ({
    page,
  }) => {
    const before = await stored();
    const r = rng(11);
    await page.goto("/accounts");
    const form = page.getByRole("form", { name: "Add account" });
    for (let i = 0; i < 8; i++) {
      await form.getByLabel("Account id").fill(i === 0 ? "12345678901" : hostileValue(r).slice(0, 300));
      await form.getByLabel("Name", { exact: true }).fill(i === 1 ? "" : hostileValue(r).slice(0, 300));
      await form.getByLabel("Role ARN").fill(hostileValue(r).slice(0, 500));
      await form.getByLabel(/External id/).fill(hostileValue(r).slice(0, 2000));
      await form.getByRole("button", { name: "Add account" }).click();
      await expect(form.getByRole("alert").first()).toBeVisible();
    }
    expect(await stored()).toBe(before);
  });

  test("hostile values in the settings form are refused with a message and change nothing", async ({
    page,
  }) => {
    const before = await stored();
    await page.goto("/settings");
    await page.waitForLoadState("networkidle");
    for (const value of ["89", "2561", "-1", "1e309", "365.5", "' OR 1=1"]) {
      // Bypass the browser's own number checks (React may restore them on each render): the
      // server must refuse on its own.
      await page.locator("main form").evaluate((form) => {
        form.setAttribute("novalidate", "");
        for (const input of form.querySelectorAll("input")) {
          input.type = "text";
          input.removeAttribute("min");
          input.removeAttribute("max");
        }
      });
      const field = page.getByLabel("Maximum rotation period (days)");
      await field.fill(value);
      // Each answer and the form's re-render are awaited before the next value is typed: a form
      // reset that lands after the next fill would submit the previous value again.
      const save = page.getByRole("button", { name: "Save settings" });
      await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/settings",
        ),
        save.click(),
      ]);
      await expect(save).toBeEnabled();
      await expect(page.getByText(/Nothing was saved/)).toBeVisible();
    }
    expect(await stored()).toBe(before);
  });
});
