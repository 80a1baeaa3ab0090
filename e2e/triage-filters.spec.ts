import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { DisableKeyRotationCommand, EnableKeyRotationCommand, KMSClient } from "@aws-sdk/client-kms";
import { expect, type Page, test } from "@playwright/test";
import { parseRfc4180 } from "../test/support/parse-rfc4180";
import { E2E_DATA_DIR } from "../playwright.config";
import { cli, showColumns, signIn, STORAGE, withDb, waitForScannedEstate } from "./support";

// The insight table's triage filters and columns against the demo estate: the first scan, then the
// sandbox flips rotation on two keys and a second scan sees one finding resolved and one new.
// Expected numbers come from the database, with the filter written by hand in SQL.

const TABLE = "/insights/kms-key-rotation";
const ANALYST = { email: "analyst@e2e.test", password: "e2e-analyst-password-1" };
const EXCEPTION_ID = "e2e-triage-filters-exception";
const JUSTIFICATION = "Wraps throwaway test data only";
/** The table hides NOT_APPLICABLE unless chosen. */
const SHOWN = "k.severity <> 'NOT_APPLICABLE'";

interface Key {
  id: string;
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
}
let resolvedKey: Key;
let newKey: Key;
let scans: { id: string }[];

async function count(where: string, params: unknown[] = []): Promise<number> {
  return withDb(async (db) => {
    const sql = `SELECT count(*)::int AS n FROM kms_keys k WHERE ${where}`;
    return (await db.query<{ n: number }>(sql, params)).rows[0]!.n;
  });
}

async function oneKey(where: string): Promise<Key> {
  return withDb(async (db) => {
    const { rows } = await db.query<Key>(
      `SELECT id, key_id AS "keyId", arn, account_id AS "accountId", region FROM kms_keys k
       WHERE k.gone_at IS NULL AND ${where} ORDER BY key_id LIMIT 1`,
    );
    if (!rows[0]) throw new Error(`no key where ${where}`);
    return rows[0];
  });
}

async function expectTotal(page: Page, expected: number) {
  await expect(page.getByTestId("insight-total")).toHaveText(expected.toLocaleString("en-US"));
  await expect(page.locator("tbody tr[data-severity]")).toHaveCount(Math.min(expected, 50));
}

async function check(page: Page, filter: RegExp, option: string) {
  await page.getByRole("button", { name: filter }).click();
  await page.getByRole("dialog").getByRole("checkbox", { name: option, exact: true }).click();
  await page.keyboard.press("Escape");
}

const keyIdsShown = (page: Page) =>
  page
    .locator("tbody tr[data-key-id]")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-key-id")));

function sandboxKms(key: Key): KMSClient {
  const sandbox = JSON.parse(readFileSync(path.join(E2E_DATA_DIR, "demo-sandbox.json"), "utf8")) as {
    url: string;
    credentials: Record<string, { accessKeyId: string; secretAccessKey: string }>;
  };
  return new KMSClient({
    endpoint: sandbox.url,
    region: key.region,
    credentials: sandbox.credentials[key.accountId]!,
  });
}

test.beforeAll(async () => {
  test.setTimeout(420_000);
  await waitForScannedEstate({ idle: true });
  // Customer managed keys, enabled, with key material KMS can rotate.
  const rotatable = "k.key_manager = 'CUSTOMER' AND k.key_state = 'Enabled' AND k.origin = 'AWS_KMS'";
  resolvedKey = await oneKey(`${rotatable} AND k.reason = 'ROTATION_DISABLED' AND k.status = 'OPEN'`);
  newKey = await oneKey(`${rotatable} AND k.reason = 'ROTATION_ENABLED' AND k.status = 'PASSING'`);
  const enable = sandboxKms(resolvedKey);
  const disable = sandboxKms(newKey);
  try {
    await enable.send(new EnableKeyRotationCommand({ KeyId: resolvedKey.keyId, RotationPeriodInDays: 365 }));
    await disable.send(new DisableKeyRotationCommand({ KeyId: newKey.keyId }));
  } finally {
    enable.destroy();
    disable.destroy();
  }
  const scan = cli(["scan", "--timeout", "5m"]);
  if (scan.status !== 0) throw new Error(`scan failed: ${scan.stderr}`);
  scans = await withDb(
    async (db) => (await db.query<{ id: string }>(`SELECT id FROM scans ORDER BY started_at DESC`)).rows,
  );
  const analyst = cli(
    ["users", "add", "--email", ANALYST.email, "--role", "analyst"],
    ANALYST.password + "\n",
  );
  if (analyst.status !== 0 && !analyst.stderr.includes("already exists"))
    throw new Error(`users add failed: ${analyst.stderr}`);
});

test.afterAll(async () => {
  // Leave the estate as the other specs expect it: no exception, due dates from the SLA.
  await withDb(async (db) => {
    await db.query(`UPDATE kms_keys SET exception_id = NULL WHERE exception_id = $1`, [EXCEPTION_ID]);
    await db.query(`UPDATE exceptions SET revoked_at = now(), revoked_by_email = 'e2e' WHERE id = $1`, [
      EXCEPTION_ID,
    ]);
    await db.query(
      `UPDATE kms_keys SET due_at = failing_since + insight_sla_days(severity) * interval '1 day'
       WHERE status IN ('OPEN', 'EXCEPTED')`,
    );
  });
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });
  test.beforeEach(({ page }) => showColumns(page, ["status", "openFor", "due"]));

  test("the status filter: all but excepted by default, then the statuses chosen", async ({ page }) => {
    await page.goto(TABLE);
    await expect(page.getByRole("button", { name: /^Status/ })).toContainText("all but excepted");
    await expectTotal(page, await count(`k.gone_at IS NULL AND k.status <> 'EXCEPTED' AND ${SHOWN}`));
    // Both statuses of a single scan's estate show, in the new Status column.
    await expect(page.locator('tbody tr[data-status="open"] td[data-column="status"]').first()).toHaveText(
      /^Open/,
    );

    await check(page, /^Status/, "Resolved");
    await expect(page).toHaveURL(/[?&]status=resolved(&|$)/);
    const resolved = await count(`k.gone_at IS NULL AND k.status = 'RESOLVED' AND ${SHOWN}`);
    expect(resolved).toBeGreaterThanOrEqual(1);
    await expectTotal(page, resolved);
    await expect(page.locator('tbody tr[data-severity]:not([data-status="resolved"])')).toHaveCount(0);
    expect(await keyIdsShown(page)).toContain(resolvedKey.keyId);
    await expect(page.locator(`tbody tr[data-key-id="${resolvedKey.keyId}"]`)).toContainText(
      "rotation enabled",
    );

    await check(page, /^Status/, "Passing");
    await expect
      .poll(() => new URL(page.url()).searchParams.getAll("status"))
      .toEqual(["resolved", "passing"]);
    await expectTotal(
      page,
      await count(`k.gone_at IS NULL AND k.status IN ('RESOLVED', 'PASSING') AND ${SHOWN}`),
    );
  });

  test("the change filter: new and resolved since the previous scan, a chosen scan or a date", async ({
    page,
  }) => {
    await page.goto(TABLE);
    await expect(page.getByRole("combobox", { name: "Since" })).toBeDisabled();

    await check(page, /^Change/, "New");
    await expect(page).toHaveURL(/[?&]change=new(&|$)/);
    await expectTotal(page, 1);
    expect(await keyIdsShown(page)).toEqual([newKey.keyId]);

    // Since a scan chosen in the picker: the first scan, whose own findings were new at its start.
    const since = page.getByRole("combobox", { name: "Since" });
    await expect(since).toBeEnabled();
    await since.click();
    // The picker lists up to ten scans before the latest, newest first.
    await page
      .getByRole("option", { name: /^Scan of / })
      .last()
      .click();
    const oldestListed = scans[Math.min(10, scans.length - 1)]!.id;
    await expect.poll(() => new URL(page.url()).searchParams.get("since")).toBe(oldestListed);
    await expectTotal(page, 1);

    // Since a date before every scan: every finding ever new.
    await page.getByLabel("or from date").fill("2000-01-01");
    await page.getByLabel("or from date").press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get("since")).toBe("2000-01-01");
    const everNew = await count(
      `EXISTS (SELECT 1 FROM finding_events fe WHERE fe.kms_key_id = k.id AND fe.kind = 'NEW') AND ${SHOWN}`,
    );
    expect(everNew).toBeGreaterThan(1);
    await expectTotal(page, everNew);

    await page.goto(`${TABLE}?change=resolved`);
    await expectTotal(page, 1);
    expect(await keyIdsShown(page)).toEqual([resolvedKey.keyId]);
  });

  test("overdue: only open findings past their due date, marked Overdue", async ({ page }) => {
    await withDb((db) =>
      db.query(`UPDATE kms_keys SET due_at = now() - interval '1 day' WHERE id = $1`, [newKey.id]),
    );
    await page.goto(TABLE);
    await page.getByRole("checkbox", { name: "Overdue only" }).click();
    await expect(page).toHaveURL(/[?&]overdue=1(&|$)/);
    const overdue = await count(`k.gone_at IS NULL AND k.status = 'OPEN' AND k.due_at < now() AND ${SHOWN}`);
    expect(overdue).toBeGreaterThanOrEqual(1);
    await expectTotal(page, overdue);
    const row = page.locator(`tbody tr[data-key-id="${newKey.keyId}"]`);
    await expect(row.locator('td[data-column="status"]')).toContainText("Overdue");
    await expect(row.locator('td[data-column="due"]')).not.toHaveText("");

    await page.getByRole("checkbox", { name: "Overdue only" }).click();
    await expect(page).not.toHaveURL(/overdue=/);
  });

  test("shows Status, Open For, Due and First Seen from the column chooser", async ({ page }) => {
    await page.goto(`${TABLE}?status=open`);
    const header = (name: string) => page.getByRole("columnheader", { name, exact: true });
    for (const name of ["Status", "Open For (days)", "Due"]) await expect(header(name)).toHaveCount(1);
    await expect(header("First Seen")).toHaveCount(0);
    await page.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("menuitemcheckbox", { name: "First Seen" }).click();
    await page.keyboard.press("Escape");
    await expect(header("First Seen")).toHaveCount(1);
    await expect(page.locator('tbody td[data-column="openFor"]').first()).toHaveText(/^\d+$/);
    // The choice is this browser's: it survives a reload.
    await page.reload();
    await expect(header("First Seen")).toHaveCount(1);
  });

  test("an excepted finding leaves the default view, shows under status=excepted, and its CSV row says why", async ({
    page,
  }) => {
    const key = await oneKey(`k.status = 'OPEN' AND k.id <> '${newKey.id}'`);
    await withDb(async (db) => {
      await db.query(
        `INSERT INTO exceptions (id, series_id, kind, justification, owner_email, created_by_email, expires_at,
           key_arns, accounts, regions, approved_at, approved_by_email)
         VALUES ($1, $1, 'FALSE_POSITIVE', $2, 'admin@e2e.test', 'admin@e2e.test', now() + interval '30 days',
           ARRAY[$3], ARRAY[$4]::char(12)[], ARRAY[$5], now(), 'admin@e2e.test')
         ON CONFLICT (id) DO NOTHING`,
        [EXCEPTION_ID, JUSTIFICATION, key.arn, key.accountId, key.region],
      );
      await db.query(`UPDATE kms_keys SET exception_id = $1 WHERE id = $2`, [EXCEPTION_ID, key.id]);
    });
    await page.goto(TABLE);
    await expectTotal(page, await count(`k.gone_at IS NULL AND k.status <> 'EXCEPTED' AND ${SHOWN}`));
    await page.goto(`${TABLE}?q=${key.keyId}`);
    await expect(page.getByText("No key matches these filters")).toBeVisible();

    await page.goto(`${TABLE}?status=excepted`);
    await expectTotal(page, await count(`k.gone_at IS NULL AND k.status = 'EXCEPTED' AND ${SHOWN}`));
    const cell = page.locator(`tbody tr[data-key-id="${key.keyId}"]`).locator('td[data-column="status"]');
    await expect(cell).toContainText("Excepted");
    await expect(cell).toContainText(/False positive until \d{4}-\d{2}-\d{2}/);
    await expect(cell.locator("[title]")).toHaveAttribute(
      "title",
      new RegExp(`${JUSTIFICATION}[\\s\\S]*admin@e2e.test`),
    );

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    const records = parseRfc4180((await readFile((await download.path())!, "utf8")).slice(1));
    const header = records[0]!;
    const row = records.find((r) => r.includes(key.keyId))!;
    expect(row[header.indexOf("Status")]).toBe("Excepted");
    expect(row[header.indexOf("Exception")]).toContain(`False positive: ${JUSTIFICATION}`);
    expect(row[header.indexOf("Exception Expires")]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test("bad triage values are ignored with a notice", async ({ page }) => {
    await page.goto(`${TABLE}?status=bogus&change=new&since=yesterday&overdue=2`);
    const notice = page.getByRole("status").filter({ hasText: "ignored" });
    await expect(notice).toContainText('Ignored status "bogus"');
    await expect(notice).toContainText('Ignored since "yesterday"');
    await expect(notice).toContainText('Ignored overdue "2"');
    await expectTotal(page, 1); // change=new still applies
  });

  test("an admin selects keys to except", async ({ page }) => {
    await page.goto(`${TABLE}?status=open`);
    await expect(page.getByRole("button", { name: "Except selected keys" })).toBeDisabled();
    await expect(page.locator("tbody").getByRole("checkbox").first()).toBeVisible();
  });
});

test("an analyst selects keys and goes to the new exception form with them", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, ANALYST);
    await page.goto(`${TABLE}?status=open&sort=keyId`);
    const rows = page.locator("tbody tr[data-severity]");
    const chosen: string[] = [];
    for (const i of [0, 1]) {
      const keyId = (await rows.nth(i).getAttribute("data-key-id"))!;
      await rows
        .nth(i)
        .getByRole("checkbox", { name: /^Select key / })
        .click();
      chosen.push(keyId);
    }
    const arns = await withDb(async (db) =>
      (
        await db.query<{ arn: string }>(`SELECT arn FROM kms_keys WHERE key_id = ANY($1) ORDER BY key_id`, [
          chosen,
        ])
      ).rows.map((r) => r.arn),
    );
    const link = page.getByRole("link", { name: "Except selected keys (2)" });
    const href = new URL((await link.getAttribute("href"))!, "http://x");
    expect(href.pathname).toBe("/exceptions/new");
    expect(href.searchParams.getAll("key")).toEqual(arns);

    // Every key of the page at once, from the header's checkbox.
    await page.getByRole("checkbox", { name: "Select every key on this page" }).click();
    const shown = await rows.count();
    await expect(page.getByRole("link", { name: `Except selected keys (${shown})` })).toBeVisible();
  } finally {
    await context.close();
  }
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("filters by status but cannot select keys to except", async ({ page }) => {
    await page.goto(`${TABLE}?status=open`);
    await expectTotal(page, await count(`k.gone_at IS NULL AND k.status = 'OPEN' AND ${SHOWN}`));
    // A viewer selects keys for their CLI commands only (e2e/fix-commands.spec.ts).
    await page.locator("tbody").getByRole("checkbox").first().click();
    await expect(page.getByRole("button", { name: /Except selected/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /Except selected/ })).toHaveCount(0);
  });
});
