import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR } from "../playwright.config";
import { STORAGE } from "./support";

test("pages carry the security headers", async ({ request }) => {
  const res = await request.get("/login");
  const h = res.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toContain("default-src 'self'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("same-origin");
  expect(h["x-powered-by"]).toBeUndefined();
});

test.describe("session cookie", () => {
  test.use({ storageState: STORAGE.admin });
  test("is httpOnly and sameSite", async ({ page }) => {
    await page.goto("/");
    const cookie = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
  });
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test("no secret value reaches a client bundle", () => {
  const secrets = ["nextauth-secret", "pg-password", "encryption-key"]
    .map((f) => path.join(E2E_DATA_DIR, f))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, "utf8").trim());
  expect(secrets.length).toBeGreaterThanOrEqual(2);
  const bundles = files(path.join(process.env.NEXT_DIST_DIR || ".next", "static")).filter((f) =>
    f.endsWith(".js"),
  );
  expect(bundles.length).toBeGreaterThan(5);
  for (const file of bundles) {
    const text = readFileSync(file, "utf8");
    for (const secret of secrets) expect(text.includes(secret), `${file} holds a secret`).toBe(false);
    expect(text).not.toMatch(/postgresql:\/\/postgres:/);
  }
});
