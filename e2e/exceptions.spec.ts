import { expect, test, type Page } from "@playwright/test";
import { cli, STORAGE, withDb } from "./support";

// An exception's life in the console: an analyst proposes one for a key, an admin approves it, it
// expires, a new one is changed and revoked; each step seen on the pages and in the stored finding.

interface Key {
  id: string;
  arn: string;
  key_id: string;
}

async function settledOpenKey(): Promise<Key> {
  const find = () =>
    withDb(async (c) => {
      const busy = await c.query(`SELECT 1 FROM scans WHERE status IN ('QUEUED', 'RUNNING')`);
      if (busy.rowCount) return undefined;
      const { rows } = await c.query<Key>(
        `SELECT id, arn, key_id FROM kms_keys
         WHERE status = 'OPEN' AND severity = 'CRITICAL' AND gone_at IS NULL AND exception_expired_at IS NULL
         ORDER BY key_id LIMIT 1`,
      );
      return rows[0];
    });
  await expect.poll(find, { timeout: 180_000, intervals: [1_000] }).toBeDefined();
  return (await find())!;
}

const statusOf = (keyId: string) =>
  withDb(async (c) => (await c.query("SELECT status FROM kms_keys WHERE id = $1", [keyId])).rows[0].status);

/** The insight CSV's text for `query`: the same filters as the table. */
async function csv(page: Page, query: string): Promise<string> {
  const res = await page.request.get(`/insights/kms-key-rotation/export.csv?${query}`);
  expect(res.status()).toBe(200);
  return res.text();
}

test("an analyst's exception waits for an admin, expires, and a changed one is revoked", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const key = await settledOpenKey();
  const analyst = await (await browser.newContext({ storageState: STORAGE.analyst })).newPage();
  const admin = await (await browser.newContext({ storageState: STORAGE.admin })).newPage();

  // The analyst starts from the key page; the form comes with the key.
  await analyst.goto(`/keys/${key.id}`);
  await analyst.getByRole("link", { name: "Except this key" }).click();
  await expect(analyst).toHaveURL(/\/exceptions\/new\?key=/);
  await expect(analyst.getByLabel("Key ARNs, one a line")).toHaveValue(key.arn);

  // A refused form keeps every input and says what is wrong beside the field.
  const justification = `E2E ${key.key_id}: the legacy client cannot follow a rotated key`;
  await analyst.getByLabel(/^False positive/).check();
  await analyst.getByLabel("Justification").fill(justification);
  await analyst.getByLabel("Ticket link (optional)").fill("ftp://tickets.example.com/SEC-1");
  await analyst.getByRole("button", { name: "Create exception" }).click();
  await expect(analyst.getByText("A ticket link must be an http:// or https:// address")).toBeVisible();
  await expect(analyst.getByLabel("Justification")).toHaveValue(justification);
  await expect(analyst.getByLabel(/^False positive/)).toBeChecked();
  await expect(analyst.getByLabel("Key ARNs, one a line")).toHaveValue(key.arn);

  await analyst.getByLabel("Ticket link (optional)").fill("https://tickets.example.com/SEC-1");
  await analyst.getByRole("button", { name: "Create exception" }).click();
  await expect(analyst).toHaveURL(/\/exceptions\/exc_[a-f0-9]+\?saved=1$/);
  await expect(analyst.getByText("It is waiting for an admin's approval")).toBeVisible();
  const first = new URL(analyst.url()).pathname.split("/").pop()!;
  expect(await statusOf(key.id)).toBe("OPEN");
  await expect(analyst.getByRole("button", { name: "Revoke" })).toBeVisible();
  await expect(analyst.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // The admin finds it pending and approves it: the finding leaves the default view.
  await admin.goto("/exceptions?state=pending");
  await admin.getByRole("link", { name: justification }).click();
  await expect(admin.getByRole("link", { name: "https://tickets.example.com/SEC-1" })).toHaveAttribute(
    "target",
    "_blank",
  );
  await admin.getByRole("button", { name: "Approve" }).click();
  await expect(admin.getByText("Approved: the exception is in force and covers 1 key now.")).toBeVisible();
  expect(await statusOf(key.id)).toBe("EXCEPTED");
  expect(await csv(admin, `q=${key.key_id}`)).not.toContain(key.key_id);
  expect(await csv(admin, `status=excepted&q=${key.key_id}`)).toContain(justification);

  // It expires (aged in the database): the finding is open again, marked with the expiry.
  await withDb((c) =>
    c.query(
      `UPDATE exceptions SET created_at = created_at - interval '2 days',
         approved_at = approved_at - interval '1 day', expires_at = now() - interval '1 minute'
       WHERE id = $1`,
      [first],
    ),
  );
  await admin.goto(`/exceptions/${first}`);
  await expect(admin.getByTestId("ended-keys")).toContainText(`${key.key_id} `);
  await expect(admin.getByTestId("ended-keys")).toContainText(/exception expired on \d{4}-\d{2}-\d{2}/);
  expect(await statusOf(key.id)).toBe("OPEN");
  expect(await csv(admin, `q=${key.key_id}`)).toContain(key.key_id);
  await admin.goto("/exceptions?state=expired");
  await expect(admin.getByRole("link", { name: justification })).toBeVisible();

  // An admin's own exception is in force at once; a change is a new version; revoke reopens at once.
  await admin.goto(`/exceptions/new?key=${encodeURIComponent(key.arn)}`);
  await admin.getByLabel("Justification").fill(`${justification} (again)`);
  await admin.getByRole("button", { name: "Create exception" }).click();
  await expect(admin.getByText("It is in force and covers 1 key now.")).toBeVisible();
  expect(await statusOf(key.id)).toBe("EXCEPTED");
  await admin.getByRole("link", { name: "Change" }).click();
  await expect(admin.getByLabel("Justification")).toHaveValue(`${justification} (again)`);
  await admin.getByLabel("Justification").fill(`${justification} (changed)`);
  await admin.getByRole("button", { name: "Save new version" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("version 2");
  await expect(admin.getByText("It is in force and covers 1 key now.")).toBeVisible();
  await expect(admin.getByRole("table", { name: "Versions" })).toContainText("Superseded");
  await admin.getByRole("button", { name: "Revoke" }).click();
  await expect(admin.getByText("Revoked: it no longer covers 1 key")).toBeVisible();
  expect(await statusOf(key.id)).toBe("OPEN");
  expect(await csv(admin, `q=${key.key_id}`)).toContain(key.key_id);
});

test.describe("as a viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("lists the exceptions without any control, and a bad state filter gives a notice", async ({
    page,
  }) => {
    const res = await page.goto("/exceptions?state=bogus");
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("status").filter({ hasText: 'Ignored state "bogus"' })).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exceptions" }),
    ).toBeVisible();
    await expect(page.getByRole("link", { name: "New exception" })).toHaveCount(0);
    const link = page.locator("tbody tr[data-exception] a").first();
    if (await link.count()) {
      await link.click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("version");
      for (const name of ["Approve", "Revoke"])
        await expect(page.getByRole("button", { name })).toHaveCount(0);
      await expect(page.getByRole("link", { name: "Change" })).toHaveCount(0);
    }
    await page.goto("/exceptions/new");
    await expect(page.getByText("Only analysts and admins can create exceptions.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Create exception" })).toHaveCount(0);
  });
});

test.describe("as an admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("sets the SLAs and whether exceptions need approval, audited", async ({ page }) => {
    await page.goto("/settings");
    await page.getByLabel("Days to fix a Critical finding").fill("45");
    await page.getByLabel("Exceptions need approval").uncheck();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    const stored = () =>
      withDb(async (c) =>
        Object.fromEntries(
          (
            await c.query(
              `SELECT key, value FROM settings WHERE key IN ('sla.criticalDays', 'exceptions.requireApproval')`,
            )
          ).rows.map((r) => [r.key, r.value]),
        ),
      );
    expect(await stored()).toEqual({ "sla.criticalDays": 45, "exceptions.requireApproval": false });
    const audited = await withDb(
      async (c) =>
        (
          await c.query(
            `SELECT details FROM audit_log WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1`,
          )
        ).rows[0].details,
    );
    expect(audited).toMatchObject({ "sla.criticalDays": { from: 30, to: 45 } });
    // Back to the defaults, for the other tests.
    await page.reload();
    await expect(page.getByLabel("Days to fix a Critical finding")).toHaveValue("45");
    await page.getByLabel("Days to fix a Critical finding").fill("30");
    await page.getByLabel("Exceptions need approval").check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    expect(await stored()).toEqual({ "sla.criticalDays": 30, "exceptions.requireApproval": true });
  });

  test("makes a user an analyst, shown in the users list", async ({ page }) => {
    const email = "to-analyst@e2e.test";
    const added = cli(["users", "add", "--email", email, "--role", "viewer"], "e2e-to-analyst-password-1\n");
    if (added.status !== 0 && !added.stderr.includes("already exists")) throw new Error(added.stderr);
    const id = await withDb(
      async (c) => (await c.query("SELECT id FROM users WHERE email = $1", [email])).rows[0].id as string,
    );
    await page.goto(`/users?user=${id}#manage`);
    const form = page.getByRole("form", { name: "Change role" });
    await form.getByLabel("Role").selectOption("analyst");
    await form.getByRole("button", { name: "Change role" }).click();
    await expect(form.getByText(`${email} is now an analyst`)).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: email });
    await expect(row.getByRole("cell").first()).toHaveText("analyst");
  });
});
