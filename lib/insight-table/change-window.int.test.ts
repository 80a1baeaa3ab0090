import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addScan } from "@/test/fixtures/dashboard-rows";
import { PAGING_ACCOUNTS, PAGING_REGIONS, seedPagingEstate } from "@/test/fixtures/paging-estate";
import { referenceIds } from "@/test/fixtures/paging-reference";
import type { AccountScope } from "@/lib/auth/account-scope";
import { createException } from "@/lib/exceptions/service";
import { createUser } from "@/lib/users/service";
import { SEVERITIES } from "@/lib/verdict/types";
import { fetchFacets } from "./facets";
import { EMPTY_FILTERS, type InsightFilters } from "./filters";
import { fetchInsightPage } from "./query";

// The change filter ("resolved since a scan or a date") reads each key's last new, resolved and
// reopened instants, which the lifecycle trigger keeps on its row. Here they are checked against
// what they stand for, the finding's events: the instants themselves, the migration's backfill, and
// every page, total and filter count of change views against a recount from finding_events, over
// four scans of changes (a finding resolved twice, reopened ones, deleted keys, a change outside a
// scan).

const db = useFreshDatabase();
let reference: pg.Pool;
const [A, B] = PAGING_ACCOUNTS.map((a) => a.id) as [string, string];
const [EU] = PAGING_REGIONS;
const scans: string[] = [];

/** Statements run as one scan's writes (its id in insights.scan_id), or outside any scan. */
async function write(scanId: string | null, ...statements: string[]) {
  const client = await reference.connect();
  try {
    await client.query("BEGIN");
    if (scanId) await client.query(`SELECT set_config('insights.scan_id', $1, true)`, [scanId]);
    for (const statement of statements) await client.query(statement);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

/** Keys by their place in key id order (n from 1), a fixed numbering over the estate. */
const keysWhere = (condition: string) =>
  `id IN (SELECT id FROM (SELECT id, severity, status, gone_at, row_number() OVER (ORDER BY key_id) AS n
    FROM kms_keys) x WHERE ${condition})`;
const pass = `severity = 'OK', reason = 'ROTATION_ENABLED'`;
const fail = `severity = 'CRITICAL', reason = 'ROTATION_DISABLED'`;

beforeAll(async () => {
  await seedPagingEstate(db.prisma);
  reference = new pg.Pool({ connectionString: db.url, max: 2 });
  const at = (day: number) => new Date(Date.UTC(2026, 11, day));
  for (const day of [1, 2, 3, 4]) scans.push((await addScan(db.prisma, { startedAt: at(day) })).id);
  const [s1, s2, s3, s4] = scans as [string, string, string, string];
  // Scan 1: a fifth of the failing keys pass (resolved), a seventh of the passing ones fail (new).
  await write(
    s1,
    `UPDATE kms_keys SET ${pass} WHERE ${keysWhere("n % 5 = 0 AND status = 'OPEN' AND gone_at IS NULL")}`,
    `UPDATE kms_keys SET ${fail} WHERE ${keysWhere("n % 7 = 0 AND status = 'PASSING' AND gone_at IS NULL")}`,
  );
  // Some of the new findings come under an exception (EXCEPTED: no change the filter counts).
  const owner = await createUser(db.prisma, {
    email: "o@example.com",
    password: "correct horse battery",
    role: "admin",
  });
  const { rows: excepted } = await reference.query<{ arn: string }>(
    `SELECT arn FROM kms_keys WHERE ${keysWhere("n % 14 = 0 AND status = 'OPEN'")}`,
  );
  await createException(
    db.prisma,
    {
      kind: "accepted-risk",
      justification: "change window test",
      ownerEmail: owner.email,
      ticketUrl: "",
      expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      scope: {
        keyArns: excepted.map((r) => r.arn),
        accounts: [],
        regions: [],
        tagKey: null,
        tagValues: [],
        aliasPrefix: null,
      },
    },
    { actorId: owner.id, actorEmail: owner.email, role: "ADMIN", scope: null },
  );
  // Scan 2, at midnight: half of those resolved fail again (reopened).
  await write(s2, `UPDATE kms_keys SET ${fail} WHERE ${keysWhere("n % 10 = 0 AND status = 'RESOLVED'")}`);
  // Scan 3: half of the reopened pass again (resolved twice); some failing keys are deleted.
  await write(
    s3,
    `UPDATE kms_keys SET ${pass} WHERE ${keysWhere("n % 20 = 0 AND status = 'OPEN'")}`,
    `UPDATE kms_keys SET gone_at = now(), exception_id = NULL
      WHERE ${keysWhere("n % 11 = 0 AND status IN ('OPEN', 'EXCEPTED') AND gone_at IS NULL")}`,
  );
  // Scan 4: some of scan 1's new findings pass; then one change outside any scan (dated now).
  await write(s4, `UPDATE kms_keys SET ${pass} WHERE ${keysWhere("n % 21 = 0 AND status = 'OPEN'")}`);
  await write(null, `UPDATE kms_keys SET ${pass} WHERE ${keysWhere("n % 3 = 1 AND status = 'OPEN'")}`);
});
afterAll(async () => {
  await reference?.end();
});

/** Per key whose instants differ from the last of its events of each kind: what differs. */
async function instantsUnlikeEvents(): Promise<unknown[]> {
  const { rows } = await reference.query(`SELECT k.id FROM kms_keys k LEFT JOIN (
      SELECT kms_key_id, max(at) FILTER (WHERE kind = 'NEW') AS new_at,
        max(at) FILTER (WHERE kind = 'RESOLVED') AS resolved_at,
        max(at) FILTER (WHERE kind = 'REOPENED') AS reopened_at
      FROM finding_events GROUP BY 1) e ON e.kms_key_id = k.id
    WHERE (k.last_new_at, k.last_resolved_at, k.last_reopened_at)
      IS DISTINCT FROM (e.new_at, e.resolved_at, e.reopened_at)`);
  return rows;
}

type Filters = Partial<InsightFilters>;
const VIEWS: { name: string; filters: Filters; scope?: AccountScope }[] = [
  { name: "resolved since the previous scan", filters: { changes: ["resolved"] } },
  { name: "resolved since scan 1 (after it started)", filters: { changes: ["resolved"], since: "scan:0" } },
  {
    name: "resolved since the day of scan 2 (from midnight)",
    filters: { changes: ["resolved"], since: "2026-12-02" },
  },
  { name: "reopened since scan 1", filters: { changes: ["reopened"], since: "scan:0" } },
  { name: "new since a date", filters: { changes: ["new"], since: "2026-12-01" } },
  {
    name: "new or resolved, critical, since a date",
    filters: { changes: ["new", "resolved"], severities: ["CRITICAL"], since: "2026-11-01" },
  },
  {
    name: "resolved or reopened, open now",
    filters: { changes: ["resolved", "reopened"], statuses: ["open"], since: "2026-12-01" },
  },
  {
    name: "resolved with a tag value and a region",
    filters: {
      changes: ["resolved"],
      since: "2026-12-01",
      tag: "env",
      tagValues: ["prod", ""],
      regions: [EU],
    },
  },
  {
    name: "resolved, sorted by ARN descending, small pages",
    filters: {
      changes: ["resolved"],
      since: "2026-12-01",
      sort: { column: "arn", desc: true },
      pageSize: 25,
    },
  },
  {
    name: "every change in a scope",
    filters: { changes: ["new", "resolved", "reopened"], since: "2026-11-01" },
    scope: [A, B],
  },
];

/** The view with `since: "scan:N"` naming the N-th scan of this file. */
function viewOf(filters: Filters): InsightFilters {
  const since = filters.since?.startsWith("scan:") ? scans[Number(filters.since.slice(5))]! : filters.since;
  return { ...EMPTY_FILTERS, ...filters, since: since ?? null };
}

/** Per facet, the recounted keys of each option: the view without that filter, from the events. */
async function expectedFacets(view: InsightFilters, scope: AccountScope) {
  const group = async (without: Filters, expr: string, join = "") => {
    const ids = await referenceIds(reference, { ...view, ...without }, scope);
    const { rows } = await reference.query<{ value: string; n: number }>(
      `SELECT ${expr} AS value, count(*)::int AS n FROM kms_keys k ${join} WHERE k.id = ANY($1) GROUP BY 1`,
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.value, r.n]));
  };
  const facets: Record<string, Record<string, number>> = {
    accounts: await group({ accounts: [] }, "k.account_id"),
    severities: await group({ severities: [...SEVERITIES] }, "k.severity::text"),
    statuses: await group({ statuses: [] }, "lower(k.status::text)"),
    regions: await group({ regions: [] }, "k.region"),
    tag: await group({ tag: null, tagValues: [] }, "kt.tag_key", "JOIN key_tags kt ON kt.kms_key_id = k.id"),
  };
  if (view.tag)
    facets.tagValues = await group(
      { tagValues: [] },
      "kt.tag_value",
      `JOIN key_tags kt ON kt.kms_key_id = k.id AND kt.tag_key = '${view.tag}'`,
    );
  return facets;
}

describe("the change window", () => {
  it("has findings resolved twice, reopened, deleted and changed outside a scan", async () => {
    const { rows } = await reference.query<{
      twice: number;
      reopened: number;
      deleted: number;
      unscanned: number;
    }>(
      `SELECT
        (SELECT count(*) FROM (SELECT kms_key_id FROM finding_events WHERE kind = 'RESOLVED'
          GROUP BY 1 HAVING count(*) > 1) t)::int AS twice,
        (SELECT count(*) FROM finding_events WHERE kind = 'REOPENED')::int AS reopened,
        (SELECT count(*) FROM finding_events WHERE kind = 'RESOLVED' AND reason = 'KEY_DELETED')::int AS deleted,
        (SELECT count(*) FROM finding_events WHERE kind = 'RESOLVED' AND scan_id IS NULL)::int AS unscanned`,
    );
    expect(rows[0]!.twice).toBeGreaterThan(0);
    expect(rows[0]!.reopened).toBeGreaterThan(0);
    expect(rows[0]!.deleted).toBeGreaterThan(0);
    expect(rows[0]!.unscanned).toBeGreaterThan(0);
  });

  it("keeps on each key the instant of its last new, resolved and reopened event", async () => {
    expect(await instantsUnlikeEvents()).toEqual([]);
    const { rows } = await reference.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM kms_keys WHERE last_resolved_at IS NOT NULL AND last_reopened_at IS NOT NULL`,
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it.each(VIEWS)("selects, pages and counts as the events do: $name", async ({ filters, scope = null }) => {
    const view = viewOf(filters);
    const want = await referenceIds(reference, view, scope);
    expect(want.length).toBeGreaterThan(0);
    const first = await fetchInsightPage(db.prisma, view, scope);
    expect(first.total).toBe(want.length);
    const ids = first.rows.map((r) => r.id);
    for (let page = 2; page <= first.pageCount; page++)
      ids.push(...(await fetchInsightPage(db.prisma, { ...view, page }, scope)).rows.map((r) => r.id));
    expect(ids).toEqual(want);
    expect(await fetchFacets(db.prisma, view, scope)).toEqual(await expectedFacets(view, scope));
  });

  // Last: it writes the instants again from the events, which would hide a trigger's mistake above.
  it("fills the instants from the events as the migration did for the keys before it", async () => {
    const snapshot = `SELECT id, last_new_at, last_resolved_at, last_reopened_at FROM kms_keys ORDER BY id`;
    const before = (await reference.query(snapshot)).rows;
    await write(
      null,
      `UPDATE kms_keys SET last_new_at = NULL, last_resolved_at = NULL, last_reopened_at = NULL`,
      `SELECT kms_key_change_instants_fill()`,
    );
    expect((await reference.query(snapshot)).rows).toEqual(before);
  });
});
