import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchFindingsPage } from "@/lib/api/findings";
import { useFreshDatabase } from "@/test/db";
import { addKeysMatching } from "@/test/fixtures/many-matches";
import { seedInsightRows } from "@/test/fixtures/insight-rows";
import { auditedExportRows } from "./export";
import { fetchFilterCounts } from "./facets";
import { type InsightFilters, parseInsightFilters } from "./filters";
import { fetchInsightPage } from "./query";
import { SEARCH_COUNT_CAP } from "./search-cap";

// A text search that matches more keys than SEARCH_COUNT_CAP: the total stops at the cap and says
// so (the page, the API), the pages go on by cursor through every match in the sort's order, the
// filter bar has no numbers, and the export holds every match. One key fewer, and everything is
// exact again.

const db = useFreshDatabase();
let reference: pg.Pool;
const WORD = "capword";
const MATCHES = SEARCH_COUNT_CAP + 1;

beforeAll(async () => {
  await seedInsightRows(db.prisma);
  reference = new pg.Pool({ connectionString: db.url, max: 2 });
  await addKeysMatching(reference, WORD, MATCHES);
});

afterAll(async () => {
  await reference?.end();
});

const view = (query: string): InsightFilters => parseInsightFilters(new URLSearchParams(query)).filters;

/** The ids the export writes for a view: every match, in the table's order, never capped. */
async function exported(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of auditedExportRows(db.prisma, db.url, view(query), null, { actorEmail: "test" }))
    ids.push(row.id);
  return ids;
}

/** Every page of the table from page 1, following its pager's Next (the cursor) to the end. */
async function walkTable(query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | null = null;
  let page = 1;
  for (;;) {
    const params: URLSearchParams = new URLSearchParams(query);
    if (next) params.set("after", next);
    if (page > 1) params.set("page", String(page));
    const shown = await fetchInsightPage(db.prisma, view(params.toString()), null);
    expect(shown).toMatchObject({ capped: true, total: SEARCH_COUNT_CAP, page });
    ids.push(...shown.rows.map((r) => r.id));
    if (!shown.nextAfter) return { ids, pages: page };
    expect(shown.pageCount).toBe(page + 1);
    next = shown.nextAfter;
    page++;
  }
}

describe("a search past the count's cap", () => {
  it("counts up to the cap and says it is capped; the export holds every match", async () => {
    const page = await fetchInsightPage(db.prisma, view(`q=${WORD}`), null);
    expect(page).toMatchObject({ total: SEARCH_COUNT_CAP, capped: true, page: 1, pageCount: 2 });
    expect(page.nextAfter).not.toBeNull();
    const all = await exported(`q=${WORD}`);
    expect(all).toHaveLength(MATCHES);
    // Page 1 is the first 50 matches in the table's order (the export's).
    expect(page.rows.map((r) => r.id)).toEqual(all.slice(0, 50));
  });

  it.each(["", "&sort=-keyId", "&sort=accountName", "&sort=lastEvaluated", "&sort=due", "&severity=WARNING"])(
    "pages through every match once, in order, by the pager's cursor (%s)",
    async (more) => {
      const all = await exported(`q=${WORD}${more}`);
      expect(all.length).toBeGreaterThan(SEARCH_COUNT_CAP / 2);
      if (all.length <= SEARCH_COUNT_CAP) {
        // Under the cap (one severity: half of them): exact, as every search was before the cap.
        const page = await fetchInsightPage(db.prisma, view(`q=${WORD}${more}`), null);
        expect(page).toMatchObject({ total: all.length, capped: false, nextAfter: null });
        expect(page.pageCount).toBe(Math.ceil(all.length / 50));
        return;
      }
      const walked = await walkTable(`q=${WORD}${more}`);
      expect(walked.ids).toEqual(all);
      expect(walked.pages).toBe(Math.ceil(MATCHES / 50));
    },
  );

  it("reads a page by number within the counted matches, and ignores a cursor made for other filters", async () => {
    const all = await exported(`q=${WORD}`);
    const third = await fetchInsightPage(db.prisma, view(`q=${WORD}&page=3`), null);
    expect(third.rows.map((r) => r.id)).toEqual(all.slice(100, 150));
    const other = await fetchInsightPage(db.prisma, view(`q=${WORD}&sort=-keyId`), null);
    const misused = await fetchInsightPage(
      db.prisma,
      view(`q=${WORD}&page=3&after=${other.nextAfter}`),
      null,
    );
    expect(misused.rows.map((r) => r.id)).toEqual(all.slice(100, 150));
  });

  it("leaves the filter bar without numbers, and says so", async () => {
    expect(await fetchFilterCounts(db.prisma, view(`q=${WORD}`), null)).toEqual({
      facets: null,
      capped: true,
      tagValues: [],
    });
    // Under the cap the options have their numbers: the WARNING half of the copies, alone.
    const under = await fetchFilterCounts(db.prisma, view(`q=${WORD}&severity=WARNING`), null);
    expect(under.capped).toBe(false);
    expect(under.facets?.severities).toEqual({ CRITICAL: 500, WARNING: 501 });
  });

  it("gives the API's total as a lower bound, and every match by its cursors", async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ q: WORD, limit: "200", ...(cursor ? { cursor } : {}) });
      const page = await fetchFindingsPage(db.prisma, params, null);
      if ("errors" in page) throw new Error(JSON.stringify(page.errors));
      expect(page).toMatchObject({ total: SEARCH_COUNT_CAP, totalIsLowerBound: true });
      ids.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(await exported(`q=${WORD}`));
    const under = await fetchFindingsPage(db.prisma, new URLSearchParams(`q=${WORD}&severity=WARNING`), null);
    expect(under).toMatchObject({ total: 501, totalIsLowerBound: false });
  });

  it("is exact again at the cap itself, and reads a page by number then even with a cursor", async () => {
    const { nextAfter } = await fetchInsightPage(db.prisma, view(`q=${WORD}`), null);
    await reference.query(`DELETE FROM kms_keys WHERE id = (SELECT max(id) FROM kms_keys WHERE id LIKE $1)`, [
      `${WORD}-%`,
    ]);
    const page = await fetchInsightPage(db.prisma, view(`q=${WORD}`), null);
    expect(page).toMatchObject({ total: SEARCH_COUNT_CAP, capped: false, pageCount: 20, nextAfter: null });
    const second = await fetchInsightPage(db.prisma, view(`q=${WORD}&page=2&after=${nextAfter}`), null);
    expect(second).toMatchObject({ total: SEARCH_COUNT_CAP, capped: false, page: 2 });
    expect(second.rows.map((r) => r.id)).toEqual((await exported(`q=${WORD}`)).slice(50, 100));
    const counts = await fetchFilterCounts(db.prisma, view(`q=${WORD}`), null);
    expect(counts.capped).toBe(false);
    expect(counts.facets?.severities).toEqual({ CRITICAL: 500, WARNING: 500 });
  });
});
