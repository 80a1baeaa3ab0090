import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import {
  PAGING_ACCOUNTS,
  PAGING_REGIONS,
  PAGING_TAGS,
  seedPagingEstate,
} from "@/test/fixtures/paging-estate";
import type { AccountScope } from "@/lib/auth/account-scope";
import { sweepExpiredExceptions } from "@/lib/exceptions/apply";
import { createException, type ExceptionActor } from "@/lib/exceptions/service";
import { FINDING_CHANGES, FINDING_STATUSES } from "@/lib/triage/status";
import { createUser } from "@/lib/users/service";
import type { InsightRow } from "./columns";
import {
  EMPTY_FILTERS,
  exportFilters,
  type InsightFilters,
  PAGE_SIZES,
  type PageSize,
  SORTABLE_COLUMNS,
  type SortableColumnId,
} from "./filters";
import { fetchKeyCounts } from "./key-counts";
import { fetchInsightPage, streamInsightRows } from "./query";
import { REFERENCE_WHERE, referenceOrder, referenceParams } from "@/test/fixtures/paging-reference";
import { SEVERITIES } from "@/lib/verdict/types";

// Every page of every sort, under many filters, against a plain ORDER BY … LIMIT … OFFSET written
// here by hand (not the code under test), and against the CSV export's rows: the pages must be
// exactly those rows, in that order, none repeated, none left out, and the total their number.

const db = useFreshDatabase();
let reference: pg.Pool;
let exports: pg.Pool;
let live: number;

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Triage on the estate: a key list and a rule excepting findings across groups (the rule covers
 * passing keys too, which stay passing), an exception that expired (its findings open again), and
 * due dates in the past for some open and some excepted findings (only the open ones are overdue).
 */
async function seedTriage(): Promise<void> {
  const owner = await createUser(db.prisma, {
    email: "owner@example.com",
    password: "correct horse battery",
    role: "admin",
  });
  const actor: ExceptionActor = { actorId: owner.id, actorEmail: owner.email, role: "ADMIN", scope: null };
  const failing = await reference.query<{ arn: string }>(
    `SELECT arn FROM kms_keys WHERE gone_at IS NULL AND severity IN ('CRITICAL', 'WARNING') ORDER BY key_id`,
  );
  const arns = failing.rows.map((r) => r.arn);
  const base = { justification: "paging test", ownerEmail: owner.email, ticketUrl: "" };
  const scope = { keyArns: [], accounts: [], regions: [], tagKey: null, tagValues: [], aliasPrefix: null };
  const soon = day(Date.now() + 30 * DAY_MS);
  await createException(
    db.prisma,
    {
      ...base,
      kind: "accepted-risk",
      expires: soon,
      scope: { ...scope, keyArns: arns.filter((_, i) => i % 5 === 0) },
    },
    actor,
  );
  await createException(
    db.prisma,
    {
      ...base,
      kind: "false-positive",
      expires: soon,
      scope: { ...scope, accounts: [B], tagKey: "env", tagValues: ["staging"] },
    },
    actor,
  );
  // Created ten days ago, expired five days ago: the sweep gives its findings back, open again.
  const then = new Date(Date.now() - 10 * DAY_MS);
  await createException(
    db.prisma,
    {
      ...base,
      kind: "accepted-risk",
      expires: day(Date.now() - 5 * DAY_MS),
      scope: { ...scope, keyArns: arns.filter((_, i) => i % 7 === 1) },
    },
    actor,
    { now: then },
  );
  await sweepExpiredExceptions(db.prisma);
  // Only due_at changes here, which the lifecycle trigger leaves alone.
  await reference.query(`
    UPDATE kms_keys SET due_at = now() - interval '1 day'
    WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (ORDER BY key_id) AS n FROM kms_keys
                                 WHERE status IN ('OPEN', 'EXCEPTED')) k WHERE n % 3 = 0)`);
}

beforeAll(async () => {
  ({ live } = await seedPagingEstate(db.prisma));
  reference = new pg.Pool({ connectionString: db.url, max: 2 });
  exports = new pg.Pool({ connectionString: db.url, max: 2 });
  await seedTriage();
});
afterAll(async () => {
  await reference?.end();
  await exports?.end();
});

const [A, B, C, D, EMPTY] = PAGING_ACCOUNTS.map((a) => a.id) as [string, string, string, string, string];
const [EU, US, AP] = PAGING_REGIONS;

interface Expected {
  /** Every matching id in order. */
  all: string[];
  /** Per page size, the ids of each page. */
  pages: Map<number, string[][]>;
}

/** The expected rows: plain ORDER BY, and a LIMIT/OFFSET query per page of every page size. */
async function expected(
  view: InsightFilters,
  scope: AccountScope,
  sizes: readonly number[],
): Promise<Expected> {
  const params = [...(await referenceParams(reference, view, scope)), sizes];
  const from = `kms_keys k JOIN aws_accounts a ON a.id = k.account_id WHERE ${REFERENCE_WHERE}`;
  const order = referenceOrder(view.sort);
  const [all, paged] = await Promise.all([
    reference.query<{ id: string }>(`SELECT k.id FROM ${from} ORDER BY ${order}`, params.slice(0, 12)),
    reference.query<{ size: number; ids: string[] }>(
      `WITH matching AS (SELECT count(*) AS n FROM ${from})
       SELECT s.size, ARRAY(SELECT k.id FROM ${from} ORDER BY ${order}
                            LIMIT s.size OFFSET (p.page - 1) * s.size) AS ids
       FROM matching, unnest($13::int[]) AS s(size),
         generate_series(1, ceil(matching.n::numeric / s.size)::int) AS p(page)
       ORDER BY s.size, p.page`,
      params,
    ),
  ]);
  const pages = new Map<number, string[][]>(sizes.map((size) => [size, []]));
  for (const row of paged.rows) pages.get(row.size)!.push(row.ids);
  return { all: all.rows.map((r) => r.id), pages };
}

async function exported(view: InsightFilters, scope: AccountScope): Promise<InsightRow[]> {
  const rows: InsightRow[] = [];
  for await (const row of streamInsightRows(exports, exportFilters(view), scope)) rows.push(row);
  return rows;
}

function repeatsAndMissing(shown: string[], all: string[]): string {
  const seen = new Set(shown);
  return `${shown.length - seen.size} repeated, ${all.filter((id) => !seen.has(id)).length} never shown`;
}

/**
 * What differs between the insight table's pages (every page of every size), the CSV export and
 * the reference for one view: a list of problems, empty when they agree.
 */
async function problemsOf(
  view: InsightFilters,
  scope: AccountScope,
  sizes: readonly PageSize[] = PAGE_SIZES,
): Promise<string[]> {
  const [want, csv] = await Promise.all([expected(view, scope, sizes), exported(view, scope)]);
  const problems: string[] = [];
  const csvIds = csv.map((row) => row.id);
  if (!isDeepStrictEqual(csvIds, want.all))
    problems.push(`CSV export: ${csvIds.length} rows, ${repeatsAndMissing(csvIds, want.all)}`);
  for (const size of sizes) {
    const pages = want.pages.get(size)!;
    const pageCount = Math.max(1, pages.length);
    const shown: InsightRow[] = [];
    const wrong: number[] = [];
    for (let page = 1; page <= pageCount; page++) {
      const got = await fetchInsightPage(db.prisma, { ...view, pageSize: size, page }, scope).catch(
        (err: Error) => {
          problems.push(`pageSize ${size} page ${page}: ${err.message}`);
          return { rows: [], total: want.all.length, page, pageCount };
        },
      );
      if (got.total !== want.all.length)
        problems.push(`pageSize ${size}: total ${got.total}, rows ${want.all.length}`);
      if (got.page !== page || got.pageCount !== pageCount)
        problems.push(
          `pageSize ${size}: page ${got.page} of ${got.pageCount}, asked ${page} of ${pageCount}`,
        );
      const pageIds = got.rows.map((row) => row.id);
      if (!isDeepStrictEqual(pageIds, pages[page - 1] ?? [])) wrong.push(page);
      shown.push(...got.rows);
    }
    const ids = shown.map((row) => row.id);
    if (wrong.length)
      problems.push(`pageSize ${size}: pages ${wrong.join(", ")} wrong; ${repeatsAndMissing(ids, want.all)}`);
    // Whole rows once (the smallest size): the pages show what the export writes.
    else if (size === sizes[0] && !isDeepStrictEqual(shown, csv))
      problems.push(`pageSize ${size}: rows differ from the CSV export's`);
  }
  return problems;
}

/** Runs `fn` over `items`, `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

type Case = { name: string; filters: Partial<InsightFilters>; scope?: AccountScope };
const CASES: Case[] = [
  { name: "no filter", filters: {} },
  { name: "one severity", filters: { severities: ["CRITICAL"] } },
  { name: "three severities", filters: { severities: ["WARNING", "OK", "NOT_APPLICABLE"] } },
  { name: "every severity", filters: { severities: [...SEVERITIES] } },
  { name: "one account", filters: { accounts: [A] } },
  { name: "two accounts of one name", filters: { accounts: [B, C] } },
  { name: "two regions", filters: { regions: [US, AP] } },
  { name: "a tag key", filters: { tag: "env" } },
  { name: "a tag value", filters: { tag: "env", tagValues: ["prod"] } },
  { name: "two tag values", filters: { tag: "env", tagValues: ["prod", "staging"] } },
  { name: "three tag values, one empty", filters: { tag: "env", tagValues: ["prod", "staging", ""] } },
  { name: "three values of another key", filters: { tag: "team", tagValues: [...PAGING_TAGS.team] } },
  { name: "a search", filters: { q: "alias/app" } },
  {
    name: "accounts, severities and two tag values",
    filters: {
      accounts: [A, C],
      severities: ["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"],
      tag: "env",
      tagValues: ["prod", "staging"],
    },
  },
  {
    name: "an account, a region and two tag values",
    filters: { accounts: [A], regions: [EU, US], tag: "cost-center", tagValues: ["cc-1", "cc-3"] },
  },
  { name: "a search and a tag value", filters: { q: "a", tag: "env", tagValues: ["prod", "dev"] } },
  {
    name: "a scope and three tag values",
    filters: { tag: "env", tagValues: ["prod", "qa", ""] },
    scope: [A, D],
  },
  { name: "a scope and a region", filters: { regions: [EU] }, scope: [B] },
  { name: "a tag value nobody has", filters: { tag: "env", tagValues: ["nope"] } },
  { name: "the account without keys", filters: { accounts: [EMPTY] } },
  { name: "excepted", filters: { statuses: ["excepted"] } },
  { name: "open and excepted", filters: { statuses: ["open", "excepted"] } },
  { name: "every status", filters: { statuses: [...FINDING_STATUSES] } },
  { name: "resolved, every severity", filters: { statuses: ["resolved"], severities: [...SEVERITIES] } },
  { name: "overdue", filters: { overdue: "1" } },
  { name: "overdue, excepted (none)", filters: { overdue: "1", statuses: ["excepted"] } },
  { name: "new since the previous scan", filters: { changes: ["new"] } },
  { name: "resolved since a date (gone keys)", filters: { changes: ["resolved"], since: "2026-11-30" } },
  { name: "new since a later date (none)", filters: { changes: ["new"], since: "2026-12-01T00:00:00Z" } },
  { name: "new and resolved, open", filters: { changes: ["new", "resolved"], statuses: ["open"] } },
  {
    name: "excepted in a tag value",
    filters: { statuses: ["excepted"], tag: "env", tagValues: ["staging", "prod"] },
  },
  { name: "overdue in a scope", filters: { overdue: "1", regions: [EU] }, scope: [A, B] },
];

describe("paging, for every sort and filter", () => {
  it("has an estate of uneven groups and several tags a key", async () => {
    expect(live).toBeGreaterThan(150);
    const [groups] = (
      await reference.query<{ smallest: number; largest: number; tagged: number }>(`
        WITH g AS (SELECT sum(count)::int AS n FROM kms_key_counts GROUP BY severity, account_id, region)
        SELECT (SELECT min(n) FROM g) AS smallest, (SELECT max(n) FROM g) AS largest,
          (SELECT count(*)::int FROM (SELECT kms_key_id FROM key_tags GROUP BY 1 HAVING count(*) >= 2) t) AS tagged`)
    ).rows;
    expect(groups!.smallest).toBe(1);
    expect(groups!.largest).toBeGreaterThan(25);
    expect(groups!.tagged).toBeGreaterThan(50);
  });

  it("has excepted, reopened and overdue findings, and no passing key carries an exception", async () => {
    const [t] = (
      await reference.query<Record<string, number>>(`
        SELECT count(*) FILTER (WHERE status = 'EXCEPTED')::int AS excepted,
          count(DISTINCT account_id) FILTER (WHERE status = 'EXCEPTED')::int AS excepted_accounts,
          count(*) FILTER (WHERE status IN ('PASSING', 'RESOLVED') AND exception_id IS NOT NULL)::int AS covered_passing,
          count(*) FILTER (WHERE status = 'OPEN' AND exception_expired_at IS NOT NULL)::int AS reopened,
          count(*) FILTER (WHERE status = 'OPEN' AND due_at < now())::int AS overdue,
          count(*) FILTER (WHERE status = 'EXCEPTED' AND due_at < now())::int AS excepted_past_due,
          count(*) FILTER (WHERE gone_at IS NOT NULL AND status = 'RESOLVED')::int AS gone_resolved
        FROM kms_keys`)
    ).rows;
    expect(t!.excepted).toBeGreaterThan(10);
    expect(t!.excepted_accounts).toBeGreaterThan(1);
    expect(t!.covered_passing).toBe(0);
    for (const n of ["reopened", "overdue", "excepted_past_due", "gone_resolved"])
      expect(t![n], n).toBeGreaterThan(0);
  });

  it.each(SORTABLE_COLUMNS.flatMap((column) => [false, true].map((desc) => ({ column, desc }))))(
    "sort $column (desc: $desc): every page of every size is the plain query's and the export's",
    async (sort) => {
      const failures: string[] = [];
      await eachLimited(CASES, 4, async ({ name, filters, scope = null }) => {
        const view = { ...EMPTY_FILTERS, ...filters, sort };
        const problems = await problemsOf(view, scope);
        if (problems.length) failures.push(`${name}: ${problems.join("; ")}`);
      });
      expect(failures.join("\n")).toBe("");
    },
  );

  it("holds for generated filters, sorts and page sizes", { timeout: 120_000 }, async () => {
    // Each filter is left out half the time or more: narrow views have one page only.
    const someOf = <T>(values: readonly T[]) => fc.subarray([...values]);
    const maybe = <T>(values: readonly T[]) =>
      fc.oneof({ weight: 1, arbitrary: fc.constant<T[]>([]) }, { weight: 1, arbitrary: someOf(values) });
    const tagged = fc.oneof(
      { weight: 1, arbitrary: fc.constant({ tag: null, tagValues: [] as string[] }) },
      {
        weight: 3,
        arbitrary: fc
          .constantFrom(...(Object.keys(PAGING_TAGS) as (keyof typeof PAGING_TAGS)[]), "none")
          .chain((tag) =>
            someOf([...(PAGING_TAGS[tag as keyof typeof PAGING_TAGS] ?? []), "nope"]).map((tagValues) => ({
              tag,
              tagValues,
            })),
          ),
      },
    );
    const view = fc.record({
      severities: maybe(SEVERITIES),
      accounts: maybe<string>(PAGING_ACCOUNTS.map((a) => a.id)),
      regions: maybe<string>(PAGING_REGIONS),
      tagged,
      q: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.constantFrom("a", "4", "alias/", "ALIAS/APP", "mrk-", "us-east-1", ":key/"),
        },
      ),
      // The default order, which has a path of its own for deep pages, a third of the time.
      sort: fc.record({
        column: fc.oneof(
          { weight: 1, arbitrary: fc.constant<SortableColumnId>("severity") },
          { weight: 2, arbitrary: fc.constantFrom(...SORTABLE_COLUMNS) },
        ),
        desc: fc.boolean(),
      }),
      statuses: maybe(FINDING_STATUSES),
      changed: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constant({ changes: [] as (typeof FINDING_CHANGES)[number][], since: null }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            changes: someOf(FINDING_CHANGES),
            since: fc.constantFrom<string | null>(null, "2026-11-30", "2026-12-01"),
          }),
        },
      ),
      overdue: fc.constantFrom<"1" | null>(null, null, null, "1"),
      pageSize: fc.constantFrom(...PAGE_SIZES, 25, 25, 50),
      scope: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: someOf<string>(PAGING_ACCOUNTS.map((a) => a.id)) },
      ),
    });
    await fc.assert(
      fc.asyncProperty(view, async ({ tagged, changed, scope, pageSize, ...rest }) => {
        const filters = { ...EMPTY_FILTERS, ...rest, ...tagged, ...changed, pageSize };
        expect((await problemsOf(filters, scope, [pageSize])).join("\n")).toBe("");
      }),
      { numRuns: 120 },
    );
  });
});

describe("the overview's counts", () => {
  it("equal a count of the keys not excepted, per account and per region, in any scope", async () => {
    for (const scope of [null, [A], [B, C, EMPTY], []]) {
      const counts = await fetchKeyCounts(db.prisma, scope);
      const { rows } = await reference.query<{
        account_id: string;
        region: string;
        severity: string;
        n: number;
      }>(
        `SELECT account_id, region, severity::text, count(*)::int AS n FROM kms_keys
         WHERE gone_at IS NULL AND status <> 'EXCEPTED' AND ($1::text[] IS NULL OR account_id = ANY($1::text[]))
         GROUP BY 1, 2, 3`,
        [scope],
      );
      const add = (map: Record<string, Record<string, number>>, key: string, severity: string, n: number) => {
        map[key] ??= { CRITICAL: 0, WARNING: 0, OK: 0, NOT_APPLICABLE: 0 };
        map[key]![severity]! += n;
      };
      const totals = { CRITICAL: 0, WARNING: 0, OK: 0, NOT_APPLICABLE: 0 } as Record<string, number>;
      const byAccount: Record<string, Record<string, number>> = {};
      const byRegion: Record<string, Record<string, number>> = {};
      for (const row of rows) {
        totals[row.severity]! += row.n;
        add(byAccount, row.account_id, row.severity, row.n);
        add(byRegion, row.region, row.severity, row.n);
      }
      expect({
        totals: counts.totals,
        byAccount: Object.fromEntries(counts.byAccount),
        byRegion: Object.fromEntries(counts.byRegion),
      }).toEqual({ totals, byAccount, byRegion });
    }
  });
});
