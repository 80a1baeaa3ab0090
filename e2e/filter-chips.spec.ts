import { expect, type Page, test } from "@playwright/test";
import { STORAGE, withDb, waitForScannedEstate } from "./support";

// The insight page's filter chips, faceted option counts, the tag key search and the search over
// tag values and descriptions, against the demo estate that the first scan collects. Expected
// numbers come from the database, with the filters written by hand in SQL.

const TABLE = "/insights/kms-key-rotation";
/** The default view: NOT_APPLICABLE hidden unless chosen, excepted findings hidden unless chosen. */
const DEFAULT_VIEW = "k.gone_at IS NULL AND k.severity <> 'NOT_APPLICABLE' AND k.status <> 'EXCEPTED'";

async function count(where: string, params: unknown[] = []): Promise<number> {
  return withDb(async (db) => {
    const sql = `SELECT count(*)::int AS n FROM kms_keys k WHERE ${DEFAULT_VIEW} AND ${where}`;
    return (await db.query<{ n: number }>(sql, params)).rows[0]!.n;
  });
}
const hasTag = (values = false) =>
  `EXISTS (SELECT 1 FROM key_tags t WHERE t.kms_key_id = k.id AND t.tag_key = $1${values ? " AND t.tag_value = ANY($2)" : ""})`;

async function expectTotal(page: Page, expected: number) {
  await expect(page.getByTestId("insight-total")).toHaveText(expected.toLocaleString("en-US"));
  await expect(page.locator("tbody tr[data-severity]")).toHaveCount(Math.min(expected, 50));
}
const keysText = (n: number) => (n === 1 ? "1 key" : `${n.toLocaleString("en-US")} keys`);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  await waitForScannedEstate();
});

/** A tag key with two values that keys of the default view carry, not every account among them. */
async function twoTagValues(): Promise<{ tag: string; values: [string, string]; missing: string }> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ tag_key: string; values: string[]; missing: string }>(
      `SELECT t.tag_key, (array_agg(DISTINCT t.tag_value))[1:2] AS values,
         (SELECT a.id FROM aws_accounts a WHERE a.id <> ALL(array_agg(k.account_id)) ORDER BY a.id LIMIT 1) AS missing
       FROM key_tags t JOIN kms_keys k ON k.id = t.kms_key_id
       WHERE ${DEFAULT_VIEW} AND length(t.tag_value) BETWEEN 1 AND 40 AND t.tag_value ~ '^[A-Za-z0-9._-]+$'
         AND length(t.tag_key) <= 40
       GROUP BY t.tag_key
       HAVING count(DISTINCT t.tag_value) >= 2
         AND count(DISTINCT k.account_id) < (SELECT count(*) FROM aws_accounts)
       ORDER BY count(*) DESC, t.tag_key LIMIT 1`,
    );
    if (!rows[0]) throw new Error("the demo estate has no tag key for this test");
    return { tag: rows[0].tag_key, values: rows[0].values as [string, string], missing: rows[0].missing };
  });
}

test.describe("admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("active filters are chips with their values; removing one, then all, widens the table", async ({
    page,
  }) => {
    const { tag, values } = await twoTagValues();
    const [first, second] = [...values].sort();
    await page.goto(
      `${TABLE}?severity=CRITICAL&severity=WARNING&tag=${encodeURIComponent(tag)}` +
        `&tagValue=${encodeURIComponent(first!)}&tagValue=${encodeURIComponent(second!)}&pageSize=25`,
    );
    const chips = page.getByTestId("filter-chips");
    const severityChip = chips.getByRole("link", { name: "Remove filter Severity: Critical, Warning" });
    const tagChip = chips.getByRole("link", { name: `Remove filter Tag: ${tag} = ${first}, ${second}` });
    await expect(severityChip).toBeVisible();
    await expect(tagChip).toBeVisible();
    await expect(severityChip).toContainText("Severity: Critical, Warning");
    // The default status view is not a filter the user chose: no chip.
    await expect(chips.getByRole("link", { name: /Status/ })).toHaveCount(0);

    await severityChip.click();
    await expect
      .poll(() => {
        const params = new URL(page.url()).searchParams;
        return [
          params.getAll("severity"),
          params.get("tag"),
          params.getAll("tagValue"),
          params.get("pageSize"),
        ];
      })
      .toEqual([[], tag, [first, second], "25"]);
    await expect(severityChip).toHaveCount(0);
    const withTag = await count(hasTag(true), [tag, [first, second]]);
    expect(withTag).toBeGreaterThan(0);
    await expect(page.getByTestId("insight-total")).toHaveText(withTag.toLocaleString("en-US"));

    await chips.getByRole("link", { name: "Clear all" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe("?pageSize=25");
    await expect(page.getByTestId("filter-chips")).toHaveCount(0);
    await expect(page.getByTestId("insight-total")).toHaveText((await count("TRUE")).toLocaleString("en-US"));
  });

  test("each option says how many keys it would select; one that selects none is disabled", async ({
    page,
  }) => {
    const { tag, values, missing } = await twoTagValues();
    const [value] = values;
    await page.goto(`${TABLE}?tag=${encodeURIComponent(tag)}&tagValue=${encodeURIComponent(value)}`);
    await expectTotal(page, await count(hasTag(true), [tag, [value]]));

    const perAccount = await withDb(async (db) => {
      const { rows } = await db.query<{ id: string; name: string; n: number }>(
        `SELECT a.id, a.name, count(k.id)::int AS n FROM aws_accounts a
         LEFT JOIN kms_keys k ON k.account_id = a.id AND ${DEFAULT_VIEW} AND ${hasTag(true)}
         GROUP BY a.id, a.name ORDER BY a.id`,
        [tag, [value]],
      );
      return rows;
    });
    await page.getByRole("button", { name: /^Account/ }).click();
    const dialog = page.getByRole("dialog");
    for (const account of perAccount) {
      const option = dialog.getByRole("checkbox", { name: `${account.name} (${account.id})`, exact: true });
      if (account.n === 0) await expect(option).toBeDisabled();
      else {
        await expect(option).toBeEnabled();
        await expect(option).toHaveAccessibleDescription(keysText(account.n));
      }
    }
    expect(perAccount.some((a) => a.id === missing && a.n === 0)).toBe(true);
    await page.keyboard.press("Escape");

    // The tag values are those the other filters leave, each with its count.
    const account = perAccount.find((a) => a.n > 0)!.id;
    await page.goto(`${TABLE}?account=${account}&tag=${encodeURIComponent(tag)}`);
    const perValue = await withDb(async (db) => {
      const { rows } = await db.query<{ tag_value: string; n: number }>(
        `SELECT t.tag_value, count(*)::int AS n FROM kms_keys k JOIN key_tags t ON t.kms_key_id = k.id
         WHERE ${DEFAULT_VIEW} AND k.account_id = $1 AND t.tag_key = $2 AND length(t.tag_value) <= 256
         GROUP BY t.tag_value`,
        [account, tag],
      );
      return rows;
    });
    await page.getByRole("button", { name: /^Tag value/ }).click();
    const offered = await dialog.locator("label").allTextContents();
    expect(offered.sort()).toEqual(
      perValue.map((v) => (v.tag_value === "" ? "(empty value)" : v.tag_value)).sort(),
    );
    for (const { tag_value, n } of perValue.filter((v) => v.tag_value !== "").slice(0, 3))
      await expect(
        dialog.getByRole("checkbox", { name: tag_value, exact: true }),
      ).toHaveAccessibleDescription(keysText(n));
  });

  test("the tag key list narrows as one types, and is used by keyboard", async ({ page }) => {
    // Every tag key of a live key is offered; the count is of the default view's keys.
    const keys = await withDb(async (db) => {
      const { rows } = await db.query<{ tag_key: string; n: number }>(
        `SELECT t.tag_key, count(*) FILTER (WHERE ${DEFAULT_VIEW})::int AS n
         FROM key_tags t JOIN kms_keys k ON k.id = t.kms_key_id
         WHERE k.gone_at IS NULL AND length(t.tag_key) <= 128 GROUP BY t.tag_key ORDER BY t.tag_key`,
      );
      return rows;
    });
    expect(keys.length).toBeGreaterThan(3);
    const target = keys.find((k) => k.n > 0 && /^[A-Za-z]{3,}/.test(k.tag_key))!;
    const needle = target.tag_key.slice(0, 3).toLowerCase();
    const matching = keys.filter((k) => k.tag_key.toLowerCase().includes(needle));
    expect(matching.length).toBeLessThan(keys.length);
    const choosable = matching.filter((k) => k.n > 0);

    await page.goto(TABLE);
    await page.getByRole("button", { name: /^Tag key/ }).click();
    const dialog = page.getByRole("dialog", { name: "Tag key" });
    await expect(
      dialog.getByRole("button", { name: target.tag_key, exact: true }),
    ).toHaveAccessibleDescription(keysText(target.n));
    await dialog.getByRole("searchbox", { name: "Find a tag key" }).fill(needle);
    await expect(dialog.getByRole("listitem")).toHaveCount(matching.length);
    for (const key of matching.filter((k) => k.n === 0))
      await expect(dialog.getByRole("button", { name: key.tag_key, exact: true })).toBeDisabled();
    // Down from the search box to the first match, down again to the next, Enter chooses it.
    await page.keyboard.press("ArrowDown");
    await expect(dialog.getByRole("button", { name: choosable[0]!.tag_key, exact: true })).toBeFocused();
    const chosen = choosable.length > 1 ? choosable[1]! : choosable[0]!;
    if (choosable.length > 1) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => new URL(page.url()).searchParams.get("tag")).toBe(chosen.tag_key);
    await expectTotal(page, await count(hasTag(), [chosen.tag_key]));
    await expect(page.getByRole("button", { name: /^Tag value/ })).toBeEnabled();
  });

  test("search finds keys by a tag value and by a word of their description", async ({ page }) => {
    const { value, word } = await withDb(async (db) => {
      const tagged = await db.query<{ value: string }>(
        `SELECT e ->> 'value' AS value FROM kms_keys k, jsonb_array_elements(k.tags) e
         WHERE ${DEFAULT_VIEW} AND e ->> 'value' ~ '^[a-z][a-z0-9-]{5,30}$'
         GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`,
      );
      const described = await db.query<{ word: string }>(
        `SELECT w AS word FROM kms_keys k, regexp_split_to_table(k.description, '\\s+') w
         WHERE ${DEFAULT_VIEW} AND w ~ '^[A-Za-z]{6,}$' GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`,
      );
      return { value: tagged.rows[0]!.value, word: described.rows[0]!.word };
    });
    /** Keys whose id, ARN, aliases, description or a tag value hold `text`, in any case. */
    const matching = (text: string) =>
      count(
        `(position(lower($1) in lower(k.key_id || ' ' || k.arn || ' ' || array_to_string(k.aliases, ' ')
           || ' ' || k.description)) > 0
         OR EXISTS (SELECT 1 FROM jsonb_array_elements(k.tags) e WHERE position(lower($1) in lower(e ->> 'value')) > 0))`,
        [text],
      );

    await page.goto(TABLE);
    const search = page.getByRole("searchbox", { name: "Search" });
    for (const text of [value, word.toUpperCase()]) {
      await search.fill(text);
      await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(text);
      const expected = await matching(text);
      expect(expected).toBeGreaterThan(0);
      await expectTotal(page, expected);
      await expect(
        page.getByTestId("filter-chips").getByRole("link", { name: `Remove filter Search: "${text}"` }),
      ).toBeVisible();
    }
  });
});
