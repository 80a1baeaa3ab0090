import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { PAGING_ACCOUNTS, PAGING_REGIONS, seedPagingEstate } from "@/test/fixtures/paging-estate";
import type { AccountScope } from "@/lib/auth/account-scope";
import { createException } from "@/lib/exceptions/service";
import { markOverdueFindings } from "@/lib/triage/overdue";
import { createUser } from "@/lib/users/service";
import { type Facets, fetchFacets } from "./facets";
import { EMPTY_FILTERS, type InsightFilters } from "./filters";

// Each facet's counts against a count(*) over kms_keys written here by hand: for each option, the
// keys that the other filters and that option select.

const db = useFreshDatabase();
let reference: pg.Pool;
const [A, B, C] = PAGING_ACCOUNTS.map((a) => a.id) as [string, string, string];
const [EU, US] = PAGING_REGIONS;

beforeAll(async () => {
  await seedPagingEstate(db.prisma);
  reference = new pg.Pool({ connectionString: db.url, max: 2 });
  const owner = await createUser(db.prisma, {
    email: "owner@example.com",
    password: "correct horse battery",
    role: "admin",
  });
  // Excepted findings across accounts; overdue ones (a due date in the past) among the open.
  const { rows } = await reference.query<{ arn: string }>(
    `SELECT arn FROM kms_keys WHERE gone_at IS NULL AND severity IN ('CRITICAL', 'WARNING') ORDER BY key_id`,
  );
  await createException(
    db.prisma,
    {
      kind: "accepted-risk",
      justification: "facets test",
      ownerEmail: owner.email,
      ticketUrl: "",
      expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      scope: {
        keyArns: rows.filter((_, i) => i % 4 === 0).map((r) => r.arn),
        accounts: [],
        regions: [],
        tagKey: null,
        tagValues: [],
        aliasPrefix: null,
      },
    },
    { actorId: owner.id, actorEmail: owner.email, role: "ADMIN", scope: null },
  );
  await reference.query(`UPDATE kms_keys SET due_at = now() - interval '1 day'
    WHERE status = 'OPEN' AND key_id < '8'`);
});
afterAll(async () => {
  await reference?.end();
});

type Filters = Partial<InsightFilters>;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (items: readonly string[]) => items.map(lit).join(", ");

/** The conditions of `f` on kms_keys k, written independently of the code under test, but `skip`. */
function conditions(f: Filters, scope: AccountScope, skip: string[]): string[] {
  const has = (field: keyof Filters) => !skip.includes(field);
  const parts: string[] = [];
  if (!f.changes?.length) parts.push("k.gone_at IS NULL");
  else
    parts.push(
      `k.id IN (SELECT kms_key_id FROM finding_events WHERE kind IN (${list(
        f.changes.map((c) => c.toUpperCase()),
      )}) AND at > ${lit(f.since ?? "1970-01-01")}::timestamptz - interval '1 millisecond')`,
    );
  if (scope !== null) parts.push(scope.length ? `k.account_id IN (${list(scope)})` : "FALSE");
  if (has("severities"))
    parts.push(
      `k.severity IN (${list(f.severities?.length ? f.severities : ["CRITICAL", "WARNING", "OK"])})`,
    );
  if (has("statuses")) {
    if (f.statuses?.length) parts.push(`k.status IN (${list(f.statuses.map((s) => s.toUpperCase()))})`);
    else if (!f.changes?.length) parts.push(`k.status <> 'EXCEPTED'`);
  }
  if (has("accounts") && f.accounts?.length) parts.push(`k.account_id IN (${list(f.accounts)})`);
  if (has("regions") && f.regions?.length) parts.push(`k.region IN (${list(f.regions)})`);
  if (has("tag") && f.tag) {
    const values =
      has("tagValues") && f.tagValues?.length ? ` AND t.tag_value IN (${list(f.tagValues)})` : "";
    parts.push(`k.id IN (SELECT kms_key_id FROM key_tags t WHERE t.tag_key = ${lit(f.tag)}${values})`);
  }
  if (f.overdue) parts.push("k.status = 'OPEN' AND k.due_at < now()");
  if (f.q)
    parts.push(`(position(${lit(f.q.toLowerCase())} in lower(k.key_id || ' ' || k.arn || ' ' ||
      array_to_string(k.aliases, ' ') || ' ' || k.description)) > 0
      OR EXISTS (SELECT 1 FROM jsonb_array_elements(k.tags) e
        WHERE position(${lit(f.q.toLowerCase())} in lower(e ->> 'value')) > 0))`);
  return parts;
}

/** Per facet, count(*) of the keys per value with the other filters. */
async function expected(f: Filters, scope: AccountScope): Promise<Record<string, Record<string, number>>> {
  const group = async (expr: string, skip: string[], join = "") => {
    const where = conditions(f, scope, skip).join(" AND ");
    const { rows } = await reference.query<{ value: string; n: number }>(
      `SELECT ${expr} AS value, count(*)::int AS n FROM kms_keys k ${join} WHERE ${where} GROUP BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.value, r.n]));
  };
  const out: Record<string, Record<string, number>> = {
    accounts: await group("k.account_id", ["accounts"]),
    severities: await group("k.severity::text", ["severities"]),
    statuses: await group("lower(k.status::text)", ["statuses"]),
    regions: await group("k.region", ["regions"]),
    tag: await group("kt.tag_key", ["tag", "tagValues"], "JOIN key_tags kt ON kt.kms_key_id = k.id"),
  };
  if (f.tag)
    out.tagValues = await group(
      "kt.tag_value",
      ["tagValues"],
      `JOIN key_tags kt ON kt.kms_key_id = k.id AND kt.tag_key = ${lit(f.tag)}`,
    );
  return out;
}

const CASES: { name: string; filters: Filters; scope?: AccountScope }[] = [
  { name: "no filter", filters: {} },
  { name: "an account and a severity", filters: { accounts: [A], severities: ["CRITICAL"] } },
  { name: "a tag key and two of its values", filters: { tag: "env", tagValues: ["prod", "staging"] } },
  {
    name: "a tag key with the empty value, a region",
    filters: { tag: "env", tagValues: [""], regions: [EU] },
  },
  { name: "statuses and a region", filters: { statuses: ["excepted", "open"], regions: [EU] } },
  {
    name: "every status, every severity",
    filters: {
      statuses: ["open", "excepted", "resolved", "passing"],
      severities: ["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"],
    },
  },
  { name: "a scope-limited user with a tag", filters: { tag: "team" }, scope: [A, C] },
  {
    name: "a scope-limited user choosing an account outside it",
    filters: { accounts: [B], regions: [US] },
    scope: [A],
  },
  { name: "a user with no account", filters: {}, scope: [] },
  { name: "a search (counted from the keys)", filters: { q: "alias/app-1", regions: [EU] } },
  { name: "overdue with a tag", filters: { overdue: "1", tag: "env" } },
  {
    name: "overdue with a tag value and an account",
    filters: { overdue: "1", tag: "env", tagValues: ["prod"], accounts: [A] },
  },
  {
    name: "overdue and a change (counted from the keys)",
    filters: { overdue: "1", changes: ["new"], since: "2000-01-01" },
  },
  {
    name: "a change since a date (gone keys too)",
    filters: { changes: ["new", "resolved"], since: "2000-01-01" },
  },
  {
    name: "a search in a scope, with statuses",
    filters: { q: "alias/", statuses: ["excepted"] },
    scope: [B, C],
  },
];

describe("fetchFacets", () => {
  it("has excepted, overdue and gone keys to count", async () => {
    const { rows } = await reference.query<{ excepted: number; overdue: number; gone: number }>(`SELECT
      count(*) FILTER (WHERE status = 'EXCEPTED' AND gone_at IS NULL)::int AS excepted,
      count(*) FILTER (WHERE status = 'OPEN' AND due_at < now() AND gone_at IS NULL)::int AS overdue,
      count(*) FILTER (WHERE gone_at IS NOT NULL)::int AS gone FROM kms_keys`);
    expect(rows[0]!.excepted).toBeGreaterThan(3);
    expect(rows[0]!.overdue).toBeGreaterThan(3);
    expect(rows[0]!.gone).toBeGreaterThan(3);
  });

  it.each(CASES)(
    "counts each option as count(*) over the keys would: $name",
    async ({ filters, scope = null }) => {
      const facets = await fetchFacets(db.prisma, { ...EMPTY_FILTERS, ...filters }, scope);
      const want = await expected(filters, scope);
      expect(facets).toEqual(want);
      // Every facet but the one a scope leaves empty has counts to compare.
      if (scope?.length !== 0) expect(Object.keys(want.accounts!).length).toBeGreaterThan(0);
    },
  );

  it("counts findings that fell due since they were written as overdue, before and after the sweep", async () => {
    // Open findings due in a moment: not overdue when written, so not marked; then the clock passes
    // their due date with no write at all.
    await reference.query(`UPDATE kms_keys SET due_at = now() + interval '300 milliseconds'
      WHERE status = 'OPEN' AND key_id >= '8' AND key_id < 'c'`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const { rows } = await reference.query<{ unmarked: number }>(`SELECT count(*)::int AS unmarked
      FROM kms_keys WHERE status = 'OPEN' AND due_at < now() AND NOT overdue AND gone_at IS NULL`);
    expect(rows[0]!.unmarked).toBeGreaterThan(0);
    const filters: Filters[] = [
      { overdue: "1" },
      { overdue: "1", tag: "env", tagValues: ["prod", ""] },
      { overdue: "1", regions: [EU], severities: ["CRITICAL"] },
    ];
    const check = async () => {
      for (const f of filters) {
        expect(await fetchFacets(db.prisma, { ...EMPTY_FILTERS, ...f }, null), JSON.stringify(f)).toEqual(
          await expected(f, null),
        );
        expect(await fetchFacets(db.prisma, { ...EMPTY_FILTERS, ...f }, [B])).toEqual(await expected(f, [B]));
      }
    };
    await check();
    expect(await markOverdueFindings(db.prisma)).toBe(rows[0]!.unmarked);
    expect(await markOverdueFindings(db.prisma)).toBe(0);
    await check();
    // A longer SLA moves due dates into the future: the findings are no longer overdue, or marked.
    await reference.query(`UPDATE kms_keys SET due_at = due_at + interval '1000 days' WHERE status = 'OPEN'`);
    const none = await fetchFacets(db.prisma, { ...EMPTY_FILTERS, overdue: "1" }, null);
    expect(none).toEqual(await expected({ overdue: "1" }, null));
    expect((none as Facets).severities).toEqual({});
    await reference.query(`UPDATE kms_keys SET due_at = due_at - interval '1000 days' WHERE status = 'OPEN'`);
    await check();
  });

  it("gives no counts, rather than an error, when counting the keys takes too long", async () => {
    const blocker = await reference.connect();
    try {
      // A lock held elsewhere makes the count wait past its statement timeout.
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE kms_keys IN ACCESS EXCLUSIVE MODE");
      expect(await fetchFacets(db.prisma, { ...EMPTY_FILTERS, q: "alias" }, null)).toBeNull();
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
    }
    expect(await fetchFacets(db.prisma, { ...EMPTY_FILTERS, q: "alias" }, null)).not.toBeNull();
  });

  it("still counts the other facets when the tag facets take too long", async () => {
    const filters = { ...EMPTY_FILTERS, q: "alias" };
    const blocker = await reference.connect();
    let facets: Awaited<ReturnType<typeof fetchFacets>>;
    try {
      // Only the keys' tags are held: the tag facets wait past their time limit, the others do not.
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE key_tags IN ACCESS EXCLUSIVE MODE");
      facets = await fetchFacets(db.prisma, filters, null);
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
    }
    expect(facets).not.toBeNull();
    expect((facets as Facets).tag).toBeUndefined();
    const { tag: _tag, ...want } = await expected({ q: "alias" }, null);
    expect(facets).toEqual(want);
    expect(Object.keys(want)).toEqual(
      expect.arrayContaining(["accounts", "severities", "regions", "statuses"]),
    );
  });
});
