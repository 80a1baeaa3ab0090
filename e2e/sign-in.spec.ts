import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN, signIn, STORAGE, VIEWER, withDb } from "./support";

// Sign-in and sessions against the built server: the client's address comes from the connection
// (not from headers the client writes), callback URLs stay on the console, and sign-out ends the
// session on the server.

const clearThrottles = () => withDb((c) => c.query("DELETE FROM login_throttles"));

async function failSignIn(request: APIRequestContext, email: string, spoofed: string): Promise<string> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { email, password: "not-the-password", csrfToken, json: "true" },
    headers: { "X-Forwarded-For": spoofed, "X-Real-IP": spoofed, "X-Insights-Client-Address": spoofed },
    maxRedirects: 0,
  });
  const { url } = (await res.json()) as { url: string };
  return new URL(url).searchParams.get("error") ?? "";
}

test.describe("client address", () => {
  test.beforeAll(clearThrottles);
  test.afterAll(clearThrottles);

  test("a new X-Forwarded-For on every try does not escape the per-address limit", async ({ request }) => {
    const errors: string[] = [];
    for (let i = 0; i < 25; i++) {
      errors.push(await failSignIn(request, `spoof${i}@e2e.test`, `198.51.100.${i + 1}`));
    }
    expect(errors.slice(0, 20)).toEqual(Array(20).fill("CredentialsSignin"));
    expect(errors.slice(20)).toEqual(Array(5).fill("TooManyAttempts"));

    const { rows } = await withDb((c) =>
      c.query<{ ip: string }>(
        "SELECT DISTINCT ip FROM audit_log WHERE action = 'auth.sign_in_failed' AND actor_email LIKE 'spoof%'",
      ),
    );
    expect(rows.map((r) => r.ip)).toEqual([expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]);
  });
});

test.describe("callback URL", () => {
  const hostile = "/login?callbackUrl=" + encodeURIComponent("/\t/evil.example");

  test.describe("signed in", () => {
    test.use({ storageState: STORAGE.admin });
    test("the login page never redirects to another origin", async ({ request, baseURL }) => {
      for (const callback of ["/\t/evil.example", "/\r\n/evil.example", "https://evil.example/"]) {
        const res = await request.get("/login?callbackUrl=" + encodeURIComponent(callback), {
          maxRedirects: 0,
        });
        expect(res.status()).toBeGreaterThanOrEqual(300);
        expect(res.status()).toBeLessThan(400);
        expect(new URL(res.headers()["location"]!, baseURL).href).toBe(new URL("/", baseURL).href);
      }
    });
  });

  test("signing in with a hostile callback URL lands on the console", async ({ page, baseURL }) => {
    await page.goto(hostile);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toContainText(ADMIN.email);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  });
});

test("after sign-out a copied session cookie no longer works", async ({ page, playwright, baseURL }) => {
  await signIn(page, VIEWER);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const copy = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie } });
  const csv = "/insights/kms-key-rotation/export.csv";
  expect((await copy.get(csv)).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  expect((await copy.get(csv)).status()).toBe(401);
  // Its pages, an admin's page among them, send it to sign in (the session ended on the server).
  for (const path of ["/", "/insights/kms-key-rotation?severity=CRITICAL", "/accounts"]) {
    const res = await copy.get(path, { headers: { Accept: "text/html" }, maxRedirects: 0 });
    expect(res.status(), path).toBe(307);
    expect(res.headers()["location"], path).toMatch(/\/login/);
  }
  await copy.dispose();
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in page has the theme switch: dark before signing in, kept after", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/login");
    await page.getByRole("button", { name: "Theme: System" }).click();
    await page.getByRole("menuitemradio", { name: "Dark" }).click();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await page.reload();
    await expect(page.getByRole("button", { name: "Theme: Dark" })).toBeVisible();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  });
});
