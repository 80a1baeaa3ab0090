import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import { parseRfc4180 } from "../test/support/parse-rfc4180";
import { INSIGHT_COLUMNS } from "../lib/insight-table/columns";
import { STORAGE, withDb, waitForScannedEstate } from "./support";

// The insight table against the demo estate that the first scan collects. Every expected number
// comes from the database, with the same filter written by hand in SQL.

const TABLE = "/insights/kms-key-rotation";

/** Live keys matching `where` (on kms_keys k): what the table counts for that filter. */
async function count(where: string, params: unknown[] = []): Promise<number> {
  return withDb(async (db) => {
    const sql = `SELECT count(*)::int AS n FROM kms_keys k WHERE k.gone_at IS NULL AND ${where}`;
    return (await db.query<{ n: number }>(sql, params)).rows[0]!.n;
  });
}
const SHOWN = "k.severity <> 'NOT_APPLICABLE'";

/** The total the table states, and a first page that is full up to it (the default page size is 50). */
async function expectTotal(page: Page, expected: number) {
  await expect(page.getByTestId("insight-total")).toHaveText(expected.toLocaleString("en-US"));
  await expect(page.locator("tbody tr[data-severity]")).toHaveCount(Math.min(expected, 50));
}

async function check(page: Page, filter: string | RegExp, option: string) {
  await page.getByRole("button", { name: filter }).click();
  await page.getByRole("dialog").getByRole("checkbox", { name: option, exact: true }).click();
  await page.keyboard.press("Escape");
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await waitForScannedEstate();
});

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("filtering by severity shows only those rows and the right total", async ({ page }) => {
    await page.goto(TABLE);
    await expectTotal(page, await count(SHOWN));

    await check(page, /^Severity/, "Critical");
    await expect(page).toHaveURL(/[?&]severity=CRITICAL(&|$)/);
    const critical = await count("k.severity = 'CRITICAL'");
    expect(critical).toBeGreaterThan(0);
    await expectTotal(page, critical);
    await expect(page.locator('tbody tr[data-severity]:not([data-severity="CRITICAL"])')).toHaveCount(0);

    // NOT_APPLICABLE rows appear only once that severity is chosen; the screen says it in words.
    await check(page, /^Severity/, "Not applicable");
    await expect(page).toHaveURL(/[?&]severity=NOT_APPLICABLE(&|$)/);
    await expectTotal(page, await count("k.severity IN ('CRITICAL', 'NOT_APPLICABLE')"));
  });

  test("choosing a tag offers only its values and filters by them", async ({ page }) => {
    const { tag, values } = await withDb(async (db) => {
      const live = "key_tags t JOIN kms_keys k ON k.id = t.kms_key_id WHERE k.gone_at IS NULL";
      const { rows } = await db.query<{ tag_key: string }>(
        `SELECT t.tag_key FROM ${live} AND length(t.tag_value) BETWEEN 1 AND 60 GROUP BY t.tag_key
         HAVING count(DISTINCT t.tag_value) BETWEEN 2 AND 8 ORDER BY count(*) DESC, t.tag_key LIMIT 1`,
      );
      const tag = rows[0]!.tag_key;
      // The values offered are those the other filters leave: the default view's.
      const found = await db.query<{ tag_value: string; n: number }>(
        `SELECT t.tag_value, count(*)::int AS n FROM ${live} AND t.tag_key = $1 AND length(t.tag_value) <= 256
           AND ${SHOWN} AND k.status <> 'EXCEPTED'
         GROUP BY t.tag_value ORDER BY n DESC, t.tag_value`,
        [tag],
      );
      return { tag, values: found.rows.map((r) => r.tag_value) };
    });
    await page.goto(TABLE);
    await expect(page.getByRole("button", { name: /^Tag value/ })).toBeDisabled();

    await page.getByRole("button", { name: /^Tag key/ }).click();
    await page
      .getByRole("dialog", { name: "Tag key" })
      .getByRole("button", { name: tag, exact: true })
      .click();
    await expect.poll(() => new URL(page.url()).searchParams.get("tag")).toBe(tag);
    await expectTotal(
      page,
      await count(
        `EXISTS (SELECT 1 FROM key_tags t WHERE t.kms_key_id = k.id AND t.tag_key = $1) AND ${SHOWN}`,
        [tag],
      ),
    );

    const picker = page.getByRole("button", { name: /^Tag value/ });
    await expect(picker).toBeEnabled();
    await picker.click();
    const offered = await page.getByRole("dialog").locator("label").allTextContents();
    expect(offered.sort()).toEqual(values.map((v) => (v === "" ? "(empty value)" : v)).sort());

    const value = values.find((v) => v !== "")!;
    await page.getByRole("dialog").getByRole("checkbox", { name: value, exact: true }).click();
    await page.keyboard.press("Escape");
    await expect.poll(() => new URL(page.url()).searchParams.getAll("tagValue")).toEqual([value]);
    const expected = await count(
      `EXISTS (SELECT 1 FROM key_tags t WHERE t.kms_key_id = k.id AND t.tag_key = $1 AND t.tag_value = $2) AND ${SHOWN}`,
      [tag, value],
    );
    expect(expected).toBeGreaterThan(0);
    await expectTotal(page, expected);
  });

  test("account and region filters combine", async ({ page }) => {
    const target = await withDb(async (db) => {
      const { rows } = await db.query<{ id: string; name: string; region: string }>(
        `SELECT a.id, a.name, k.region FROM kms_keys k JOIN aws_accounts a ON a.id = k.account_id
         WHERE k.gone_at IS NULL AND ${SHOWN} GROUP BY a.id, a.name, k.region ORDER BY count(*) DESC, a.id LIMIT 1`,
      );
      return rows[0]!;
    });
    await page.goto(TABLE);
    await check(page, /^Account/, `${target.name} (${target.id})`);
    await expectTotal(page, await count(`k.account_id = $1 AND ${SHOWN}`, [target.id]));
    await check(page, /^Region/, target.region);
    await expect
      .poll(() => {
        const params = new URL(page.url()).searchParams;
        return [params.getAll("account"), params.getAll("region")];
      })
      .toEqual([[target.id], [target.region]]);
    const expected = await count(`k.account_id = $1 AND k.region = $2 AND ${SHOWN}`, [
      target.id,
      target.region,
    ]);
    await expectTotal(page, expected);
    for (const cell of await page.locator('td[data-column="region"]').allTextContents())
      expect(cell).toBe(target.region);
  });

  test("the downloaded CSV has exactly the filtered rows and the spec's header", async ({ page }) => {
    const region = await withDb(
      async (db) =>
        (await db.query<{ region: string }>(`SELECT min(region) AS region FROM kms_keys`)).rows[0]!.region,
    );
    await page.goto(`${TABLE}?severity=WARNING&severity=OK&region=${region}&pageSize=25`);
    const expected = await count(`k.severity IN ('WARNING', 'OK') AND k.region = $1`, [region]);
    expect(expected).toBeGreaterThan(25); // more than one page: the export holds every page
    await expect(page.getByTestId("insight-total")).toHaveText(expected.toLocaleString("en-US"));
    await expect(page.locator("tbody tr[data-severity]")).toHaveCount(25);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^kms-key-rotation-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, "utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const records = parseRfc4180(text.slice(1));
    // The table's columns, then the exception of an excepted finding, for the auditor.
    expect(records[0]).toEqual([...INSIGHT_COLUMNS.map((c) => c.header), "Exception", "Exception Expires"]);
    expect(records).toHaveLength(expected + 1);
    const status = records[0]!.indexOf("Status");
    for (const record of records.slice(1)) {
      expect([record[0], record[3]]).toEqual([expect.stringMatching(/^(WARNING|OK)$/), region]);
      // Excepted findings are left out unless chosen: failing means open, passing never failed or resolved.
      expect(record[status]).toMatch(record[0] === "WARNING" ? /^Open$/ : /^(Passing|Resolved)$/);
    }
  });

  test("an unknown or malformed parameter is ignored with a notice, not an error page", async ({ page }) => {
    await page.goto(`${TABLE}?severity=SEVERE&frobnicate=1&page=-3&tagValue=orphan`);
    const notice = page.getByRole("status").filter({ hasText: "ignored" });
    await expect(notice).toContainText('Ignored unknown parameter "frobnicate"');
    await expect(notice).toContainText('Ignored severity "SEVERE"');
    await expectTotal(page, await count(SHOWN));
  });
});

test.describe("viewer", () => {
  test.use({ storageState: STORAGE.viewer });

  test("browses and exports, and sees no admin controls", async ({ page }) => {
    await page.goto(`${TABLE}?severity=CRITICAL`);
    const critical = await count("k.severity = 'CRITICAL'");
    await expectTotal(page, critical);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of ["Accounts", "Users", "Settings", "Audit log"]) {
      await expect(nav.getByRole("link", { name: label })).toHaveCount(0);
    }
    await expect(
      page.locator('main a[href^="/accounts"], main a[href^="/settings"], main a[href^="/users"]'),
    ).toHaveCount(0);
    await expect(page.getByRole("button", { name: /scan now|delete|remove/i })).toHaveCount(0);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    const records = parseRfc4180((await readFile((await download.path())!, "utf8")).slice(1));
    expect(records).toHaveLength(critical + 1);

    // The same rows in the other formats, from the menu beside Export CSV.
    await page.getByRole("button", { name: "Export formats" }).click();
    const [jsonl] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("menuitem", { name: "JSON Lines", exact: true }).click(),
    ]);
    expect(jsonl.suggestedFilename()).toMatch(/^kms-key-rotation-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const findings = (await readFile((await jsonl.path())!, "utf8"))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { severity: string });
    expect(findings).toHaveLength(critical);
    expect(new Set(findings.map((f) => f.severity))).toEqual(new Set(["CRITICAL"]));
  });
});
