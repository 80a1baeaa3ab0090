import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { ACCOUNTS, addTaggedKey, type FixtureKey, seedInsightRows } from "@/test/fixtures/insight-rows";
import { auditedExportRows } from "./export";
import { EMPTY_FILTERS, parseInsightFilters } from "./filters";
import { fetchInsightPage } from "./query";

// The search (q) finds a key by a word of its description or by one of its tag values, besides its
// id, ARN and aliases; the CSV export, which shares the filter, holds the same keys.

const db = useFreshDatabase();
let described: FixtureKey;
let tagged: FixtureKey;

beforeAll(async () => {
  await seedInsightRows(db.prisma);
  described = await addTaggedKey(db.prisma, {
    accountId: ACCOUNTS[0].id,
    region: "eu-west-1",
    severity: "CRITICAL",
    description: "Encrypts the Ledger-Reconciliation batch at rest",
  });
  tagged = await addTaggedKey(db.prisma, {
    accountId: ACCOUNTS[1].id,
    region: "us-east-1",
    severity: "WARNING",
    tagList: [
      { key: "owner", value: "Zoë.Quintero@example.com" },
      { key: "cost-center", value: "CC-90210" },
    ],
  });
});

/** The ids the page and the CSV export find for a URL's query. */
async function found(query: string): Promise<{ page: string[]; csv: string[] }> {
  const { filters } = parseInsightFilters(new URLSearchParams(query));
  const page = await fetchInsightPage(db.prisma, { ...filters, pageSize: 200 }, null);
  const csv: string[] = [];
  for await (const row of auditedExportRows(db.prisma, db.url, filters, null, { actorEmail: "test" }))
    csv.push(row.id);
  return { page: page.rows.map((r) => r.id).sort(), csv: csv.sort() };
}

describe("search", () => {
  it("finds a key by a word of its description, in any case", async () => {
    expect(await found("q=ledger-RECONCILIATION")).toEqual({ page: [described.id], csv: [described.id] });
    expect(await found("q=batch+at+rest")).toEqual({ page: [described.id], csv: [described.id] });
  });

  it("finds a key by one of its tag values, whole or in part", async () => {
    expect(await found("q=zoë.quintero")).toEqual({ page: [tagged.id], csv: [tagged.id] });
    expect(await found("q=cc-9021")).toEqual({ page: [tagged.id], csv: [tagged.id] });
  });

  it("does not match a tag key", async () => {
    expect(await found("q=cost-center")).toEqual({ page: [], csv: [] });
  });

  it("still finds keys by id, alias and ARN", async () => {
    expect(await found(`q=${described.keyId.slice(0, 8)}`)).toEqual({
      page: [described.id],
      csv: [described.id],
    });
    const byAlias = await fetchInsightPage(db.prisma, { ...EMPTY_FILTERS, q: "alias/under_score" }, null);
    expect(byAlias.total).toBe(1);
    const byArn = await found(`q=${encodeURIComponent(tagged.arn)}`);
    expect(byArn.page).toEqual([tagged.id]);
  });
});

describe("a search matching more keys than are counted", () => {
  // Every fixture key's ARN holds "arn:aws:kms": a search for it matches them all.
  const all = async (sort: string, page = 1) => {
    const { filters } = parseInsightFilters(new URLSearchParams(`q=arn:aws:kms&sort=${sort}&pageSize=25`));
    const uncapped = await fetchInsightPage(db.prisma, { ...filters, page }, null);
    const capped = await fetchInsightPage(db.prisma, { ...filters, page }, null, { searchCap: 25 });
    return { uncapped, capped };
  };

  it("says 'more than' the cap and pages through the first matches in table order", async () => {
    for (const sort of ["severity", "-keyId", "accountName", "-lastEvaluated"]) {
      const { uncapped, capped } = await all(sort);
      expect(uncapped.total).toBeGreaterThan(25);
      expect(uncapped.moreThanTotal).toBe(false);
      expect(capped).toMatchObject({ total: 25, moreThanTotal: true, pageCount: 1, page: 1 });
      expect(capped.rows.map((r) => r.id)).toEqual(uncapped.rows.map((r) => r.id));
    }
  });

  it("shows the last page within the cap for a page past it", async () => {
    const { uncapped, capped } = await all("severity", 2);
    expect(uncapped.page).toBe(2);
    expect(capped).toMatchObject({ page: 1, pageCount: 1, moreThanTotal: true });
    const first = await all("severity", 1);
    expect(capped.rows.map((r) => r.id)).toEqual(first.uncapped.rows.map((r) => r.id));
  });

  it("counts exactly up to the cap", async () => {
    const { filters } = parseInsightFilters(new URLSearchParams("q=arn:aws:kms&pageSize=25"));
    const exact = await fetchInsightPage(db.prisma, filters, null);
    const atCap = await fetchInsightPage(db.prisma, filters, null, { searchCap: exact.total });
    expect(atCap).toMatchObject({ total: exact.total, moreThanTotal: false });
  });
});
