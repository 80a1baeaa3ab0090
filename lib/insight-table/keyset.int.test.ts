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
import { referenceIds } from "@/test/fixtures/paging-reference";
import type { AccountScope } from "@/lib/auth/account-scope";
import { FINDING_STATUSES } from "@/lib/triage/status";
import { SEVERITIES } from "@/lib/verdict/types";
import {
  EMPTY_FILTERS,
  type InsightFilters,
  type InsightSort,
  PAGE_SIZES,
  SORTABLE_COLUMNS,
} from "./filters";
import { fetchInsightKeysetPage, readSortKey, type SortKey } from "./keyset";

// Keyset pages (the API's cursor): walking every page from the first gives exactly the rows of a
// plain ORDER BY written by hand (test/fixtures/paging-reference.ts), for every sort both ways; and
// when rows change between two pages (their sort values move, keys appear, keys go away), every
// row that did not change is still read exactly once, in order.

const db = useFreshDatabase();
let reference: pg.Pool;

beforeAll(async () => {
  await seedPagingEstate(db.prisma);
  reference = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await reference?.end();
});

const [A, B, , D] = PAGING_ACCOUNTS.map((a) => a.id) as [string, string, string, string];
const [EU, US] = PAGING_REGIONS;
const SORTS: InsightSort[] = SORTABLE_COLUMNS.flatMap((column) =>
  [false, true].map((desc) => ({ column, desc })),
);

/** Every page from the first by its keyset, `between` run before each page after the first. */
async function walk(
  view: InsightFilters,
  scope: AccountScope,
  between: () => Promise<void> = async () => {},
): Promise<{ ids: string[]; pages: number; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: SortKey | null = null;
  let pages = 0;
  do {
    if (pages > 0) await between();
    const page = await fetchInsightKeysetPage(db.prisma, view, scope, after);
    ids.push(...page.rows.map((row) => row.id));
    totals.push(page.total);
    // Through JSON, as a cursor carries it.
    after = page.next ? readSortKey(view.sort, JSON.parse(JSON.stringify(page.next))) : null;
    if (page.next && !after)
      throw new Error(`a sort key that does not read back: ${JSON.stringify(page.next)}`);
    pages++;
  } while (after && pages < 100);
  return { ids, pages, totals };
}

type Case = { name: string; filters: Partial<InsightFilters>; scope?: AccountScope };
const CASES: Case[] = [
  { name: "no filter", filters: {} },
  {
    name: "every severity and status",
    filters: { severities: [...SEVERITIES], statuses: [...FINDING_STATUSES] },
  },
  { name: "one account, two regions", filters: { accounts: [A], regions: [EU, US] } },
  { name: "two tag values", filters: { tag: "env", tagValues: ["prod", "staging"] } },
  { name: "a search", filters: { q: "alias/app" } },
  { name: "resolved since a date (gone keys)", filters: { changes: ["resolved"], since: "2026-11-30" } },
  { name: "a scope", filters: {}, scope: [B, D] },
];

describe("keyset pages", () => {
  it.each(SORTS)("sort $column (desc: $desc): the pages are the plain query's rows", async (sort) => {
    const failures: string[] = [];
    for (const { name, filters, scope = null } of CASES) {
      const view = { ...EMPTY_FILTERS, ...filters, sort, pageSize: 25 as const };
      const [want, got] = await Promise.all([referenceIds(reference, view, scope), walk(view, scope)]);
      if (JSON.stringify(got.ids) !== JSON.stringify(want))
        failures.push(`${name}: ${got.ids.length} rows in ${got.pages} pages, want ${want.length}`);
      if (got.totals.some((t) => t !== want.length))
        failures.push(`${name}: totals ${got.totals.join(", ")}`);
    }
    expect(failures.join("\n")).toBe("");
  });

  it("holds for generated filters, sorts and page sizes", { timeout: 60_000 }, async () => {
    const someOf = <T>(values: readonly T[]) => fc.subarray([...values]);
    const view = fc.record({
      severities: someOf(SEVERITIES),
      accounts: someOf<string>(PAGING_ACCOUNTS.map((a) => a.id)),
      regions: someOf<string>(PAGING_REGIONS),
      tagged: fc.oneof(
        fc.constant({ tag: null, tagValues: [] as string[] }),
        fc.constantFrom(...PAGING_TAGS.env).map((value) => ({ tag: "env", tagValues: [value] })),
      ),
      q: fc.constantFrom(null, null, null, "a", "alias/", "mrk-"),
      sort: fc.constantFrom(...SORTS),
      statuses: someOf(FINDING_STATUSES),
      pageSize: fc.constantFrom(...PAGE_SIZES, 25, 25),
      scope: fc.oneof(fc.constant(null), someOf<string>(PAGING_ACCOUNTS.map((a) => a.id))),
    });
    await fc.assert(
      fc.asyncProperty(view, async ({ tagged, scope, ...rest }) => {
        const filters = { ...EMPTY_FILTERS, ...rest, ...tagged };
        const [want, got] = await Promise.all([
          referenceIds(reference, filters, scope),
          walk(filters, scope),
        ]);
        expect(got.ids).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it("reads back only sort keys of the sort's shape", () => {
    const sort: InsightSort = { column: "nextRotation", desc: false };
    const at = "2026-12-02T10:00:00.000Z";
    expect(readSortKey(sort, { values: [at], id: "k1" })).toEqual({ values: [at], id: "k1" });
    expect(readSortKey(sort, { values: [null], id: "k1" })).toEqual({ values: [null], id: "k1" });
    for (const bad of [
      null,
      "x",
      { values: [at] },
      { values: [], id: "k1" },
      { values: [at, at], id: "k1" },
      { values: ["2026-02-30T10:00:00.000Z"], id: "k1" },
      { values: ["tomorrow"], id: "k1" },
      { values: [1], id: "k1" },
      { values: [at], id: "k\u0000" },
    ])
      expect(readSortKey(sort, bad), JSON.stringify(bad)).toBeNull();
    const severity: InsightSort = { column: "severity", desc: true };
    expect(readSortKey(severity, { values: ["CRITICAL", "111122223333", EU, "k"], id: "x" })).not.toBeNull();
    expect(readSortKey(severity, { values: ["SEVERE", "111122223333", EU, "k"], id: "x" })).toBeNull();
    expect(readSortKey(severity, { values: [null, "111122223333", EU, "k"], id: "x" })).toBeNull();
    expect(readSortKey(severity, { values: ["OK", "1111'; --", EU, "k"], id: "x" })).toBeNull();
    const period: InsightSort = { column: "rotationPeriodDays", desc: false };
    expect(readSortKey(period, { values: [365], id: "x" })).not.toBeNull();
    expect(readSortKey(period, { values: [2 ** 40], id: "x" })).toBeNull();
    expect(readSortKey(period, { values: ["365"], id: "x" })).toBeNull();
  });
});

/** A deterministic pseudo-random sequence (mulberry32): the same changes for the same seed. */
function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The columns the sorts read, copied from one key to another: the key moves to the other's place. */
const SORTED_COLUMNS = `aliases, rotation_status, rotation_period_days, next_rotation, last_rotation,
  key_manager, key_spec, key_state, origin, reason, finding_description, evaluated_at, severity, first_failed_at, due_at`;

let added = 0;

/**
 * Between two pages, as a scan finishing would: a few live keys take another key's sort values
 * (their place in every sort moves), a few new keys appear (copies of others, with their own ids),
 * a few go away. Returns the ids of every key touched.
 */
async function changeSomeKeys(random: () => number): Promise<string[]> {
  const { rows } = await reference.query<{ id: string }>(
    `SELECT id FROM kms_keys WHERE gone_at IS NULL ORDER BY id`,
  );
  const pick = () => rows[Math.floor(random() * rows.length)]!.id;
  const touched: string[] = [];
  for (let i = 0; i < 3; i++) {
    const [id, from] = [pick(), pick()];
    await reference.query(
      // The key id and ARN too (unique: the other's, then this key's id).
      `UPDATE kms_keys k SET (${SORTED_COLUMNS}, key_id, arn) =
         (SELECT ${SORTED_COLUMNS}, o.key_id || '-' || k.id, o.arn || '-' || k.id FROM kms_keys o WHERE o.id = $2)
       WHERE k.id = $1`,
      [id, from],
    );
    touched.push(id);
  }
  for (let i = 0; i < 2; i++) {
    const id = `added-${++added}`;
    // Every column of the copy but its id, key id and ARN (unique): the copy sorts beside it.
    // Generated ones (the search text) are PostgreSQL's to write.
    const { rows: columns } = await reference.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns
       WHERE table_name = 'kms_keys' AND column_name NOT IN ('id', 'key_id', 'arn') AND is_generated = 'NEVER'
       ORDER BY ordinal_position`,
    );
    const names = columns.map((c) => `"${c.name}"`).join(", ");
    await reference.query(
      `INSERT INTO kms_keys (id, key_id, arn, ${names})
       SELECT $2, key_id || '-' || $2, arn || '-' || $2, ${names} FROM kms_keys WHERE id = $1`,
      [pick(), id],
    );
    touched.push(id);
  }
  for (let i = 0; i < 2; i++) {
    const id = pick();
    await reference.query(`UPDATE kms_keys SET gone_at = now() WHERE id = $1`, [id]);
    touched.push(id);
  }
  return touched;
}

describe("keyset pages while keys change", () => {
  it.each(SORTS)("sort $column (desc: $desc): no unchanged key is repeated or skipped", async (sort) => {
    const view = { ...EMPTY_FILTERS, sort, pageSize: 25 as const };
    const random = randomFrom(SORTS.indexOf(sort) + 1);
    const touched = new Set<string>();
    const before = await referenceIds(reference, view, null);
    const got = await walk(view, null, async () => {
      for (const id of await changeSomeKeys(random)) touched.add(id);
    });
    const after = await referenceIds(reference, view, null);
    expect(got.pages).toBeGreaterThan(3);
    const unchanged = after.filter((id) => !touched.has(id));
    // Every unchanged key was there all along, and is read once, in its place.
    expect(unchanged).toEqual(before.filter((id) => !touched.has(id)));
    expect(got.ids.filter((id) => !touched.has(id))).toEqual(unchanged);
  });
});
