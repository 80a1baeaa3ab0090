import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { ACCOUNTS, seedInsightRows } from "@/test/fixtures/insight-rows";
import { type Facets, fetchFacets } from "./facets";
import { filterChips } from "./filter-chips";
import { parseInsightFilters } from "./filters";
import { fetchFilterOptions, fetchInsightPage, streamInsightRows } from "./query";

// The `ou` filter: the accounts whose OU path holds the OU (its children included), through every
// read of the table (page walks, totals from the count tables, facets, the CSV's rows), within the
// scope; the options list the scope's OUs with their paths.

const db = useFreshDatabase();
const [ALPHA, BRAVO, CHARLIE] = [ACCOUNTS[0].id, ACCOUNTS[1].id, ACCOUNTS[2].id];
const ROOT = "r-it01";
const PROD = "ou-it01-prod0001";
const PAYMENTS = "ou-it01-paym0001";

beforeAll(async () => {
  await seedInsightRows(db.prisma);
  const set = (id: string, ouPath: string, ouIds: string[]) =>
    db.prisma.awsAccount.update({ where: { id }, data: { ouPath, ouIds } });
  await set(ALPHA, "Root / Prod", [ROOT, PROD]);
  await set(BRAVO, "Root / Prod / Payments", [ROOT, PROD, PAYMENTS]);
  await set(CHARLIE, "Root / Dev", [ROOT, "ou-it01-dev00001"]);
});

const view = (query: string) => parseInsightFilters(new URLSearchParams(query)).filters;
const accountsOf = async (query: string, scope: readonly string[] | null = null) => {
  const page = await fetchInsightPage(db.prisma, { ...view(query), pageSize: 200 }, scope);
  return { total: page.total, accounts: new Set(page.rows.map((r) => r.accountId)), rows: page.rows };
};

describe("the ou filter", () => {
  it("selects the keys of the OU's accounts, its children included, with the total from the counts", async () => {
    const all = await accountsOf("");
    const prod = await accountsOf(`ou=${PROD}`);
    expect(prod.accounts).toEqual(new Set([ALPHA, BRAVO]));
    expect(prod.total).toBe(all.rows.filter((r) => r.accountId !== CHARLIE).length);
    expect(prod.rows.length).toBe(prod.total);
    expect((await accountsOf(`ou=${PAYMENTS}`)).accounts).toEqual(new Set([BRAVO]));
    expect((await accountsOf(`ou=${ROOT}`)).total).toBe(all.total);
    // An OU no account is in: nothing, not everything.
    expect((await accountsOf("ou=ou-it01-none0001")).total).toBe(0);
  });

  it("gives the same rows in every sort's page walk and in the CSV", async () => {
    const expected = (await accountsOf(`account=${ALPHA}&account=${BRAVO}`)).rows.map((r) => r.id);
    for (const sort of ["", "&sort=accountName", "&sort=-lastEvaluated", "&sort=keyId"]) {
      const rows = (await accountsOf(`ou=${PROD}${sort}`)).rows.map((r) => r.id);
      expect(new Set(rows), sort).toEqual(new Set(expected));
    }
    // Past the first page of the default order (the walk from the count tables).
    const second = await fetchInsightPage(db.prisma, { ...view(`ou=${PROD}`), pageSize: 25, page: 2 }, null);
    const reference = await fetchInsightPage(
      db.prisma,
      { ...view(`account=${ALPHA}&account=${BRAVO}`), pageSize: 25, page: 2 },
      null,
    );
    expect(second.rows.map((r) => r.id)).toEqual(reference.rows.map((r) => r.id));
    const streamed: string[] = [];
    for await (const row of streamInsightRows(db.url, view(`ou=${PROD}`), null)) streamed.push(row.id);
    expect(new Set(streamed)).toEqual(new Set(expected));
  });

  it("stays within the scope, and narrows the account facet", async () => {
    const scoped = await accountsOf(`ou=${PROD}`, [BRAVO, CHARLIE]);
    expect(scoped.accounts).toEqual(new Set([BRAVO]));
    const facets = await fetchFacets(db.prisma, view(`ou=${PAYMENTS}&account=${ALPHA}`), null);
    expect(Object.keys((facets as Facets).accounts ?? {})).toEqual([BRAVO]);
  });

  it("lists the scope's OUs with their paths, and reads on its chip by path", async () => {
    const options = await fetchFilterOptions(db.prisma, [BRAVO]);
    expect(options.ous).toEqual([
      { id: ROOT, path: "Root" },
      { id: PROD, path: "Root / Prod" },
      { id: PAYMENTS, path: "Root / Prod / Payments" },
    ]);
    const chips = filterChips(view(`ou=${PROD}`), {
      accounts: new Map(),
      scans: new Map(),
      ous: new Map(options.ous.map((o) => [o.id, o.path])),
    });
    expect(chips.map((c) => c.text)).toEqual(["OU: Root / Prod"]);
    expect(chips[0]!.href).not.toContain("ou=");
  });
});
