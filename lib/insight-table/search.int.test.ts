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

  it("follows a key's description, tags and aliases as they change (the stored search text)", async () => {
    await db.prisma.$executeRaw`UPDATE kms_keys SET description = 'Signs the Quarterly-Payroll export'
      WHERE id = ${described.id}`;
    expect(await found("q=quarterly-payroll")).toEqual({ page: [described.id], csv: [described.id] });
    expect(await found("q=ledger-reconciliation")).toEqual({ page: [], csv: [] });
    await db.prisma
      .$executeRaw`UPDATE kms_keys SET tags = '[{"key": "cost-center", "value": "CC-31337"}]'::jsonb
      WHERE id = ${tagged.id}`;
    expect(await found("q=cc-3133")).toEqual({ page: [tagged.id], csv: [tagged.id] });
    expect(await found("q=cc-9021")).toEqual({ page: [], csv: [] });
    expect(await found("q=zoë.quintero")).toEqual({ page: [], csv: [] });
    await db.prisma
      .$executeRaw`UPDATE kms_keys SET aliases = ARRAY['alias/Renamed-Vault'] WHERE id = ${tagged.id}`;
    expect(await found("q=renamed-vault")).toEqual({ page: [tagged.id], csv: [tagged.id] });
    // The stored text is the function's, for every key.
    const [row] = await db.prisma.$queryRaw<{ differ: number }[]>`SELECT count(*)::int AS differ FROM kms_keys
      WHERE search_text IS DISTINCT FROM insight_search_text(key_id, arn, aliases, description, tags)`;
    expect(row!.differ).toBe(0);
  });
});
