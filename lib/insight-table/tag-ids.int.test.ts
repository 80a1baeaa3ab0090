import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { addScan } from "@/test/fixtures/dashboard-rows";
import { seedPagingEstate } from "@/test/fixtures/paging-estate";
import { referenceIds } from "@/test/fixtures/paging-reference";
import { writeKeys } from "@/lib/collector/write-keys";
import type { CollectedKey } from "@/lib/kms/collect-region";
import type { Finding } from "@/lib/verdict/types";
import { type Facets, fetchFacets } from "./facets";
import { EMPTY_FILTERS, type InsightFilters } from "./filters";

// Under a change filter the tag facets count each key's tags from its list of tag ids
// (kms_keys.tag_ids, kept from kms_keys.tags by a trigger), and a key with more tags than the list
// holds from key_tags. Here they are checked against key_tags itself after rescans that add, change
// and remove tags, for a key past the bound, for two writers adding the same new tag at once, and
// after the migration's backfill.

const db = useFreshDatabase();
let reference: pg.Pool;

type Tag = { key: string; value: string };
const CHANGES = { changes: ["new", "resolved", "reopened"], since: "2000-01-01" } as const;

beforeAll(async () => {
  await seedPagingEstate(db.prisma);
  reference = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await reference?.end();
});

/** Live keys in the change window, in key id order. */
async function windowKeys(): Promise<{ id: string; tags: Tag[] }[]> {
  const { rows } = await reference.query<{ id: string; tags: Tag[] }>(
    `SELECT id, tags FROM kms_keys WHERE last_new_at IS NOT NULL AND gone_at IS NULL ORDER BY key_id`,
  );
  return rows;
}

/** A scan of these keys that reads each one's tags as given, the rest of the key as stored. */
async function rescan(tagsById: Map<string, Tag[]>) {
  const { rows } = await reference.query<{
    id: string;
    account_id: string;
    region: string;
    key_id: string;
    arn: string;
    aliases: string[];
    severity: Finding["severity"];
    reason: Finding["reason"];
    finding_description: string;
    rotation_status: Finding["rotationStatus"];
    rotation_period_days: number | null;
    next_rotation: Date | null;
  }>(`SELECT * FROM kms_keys WHERE id = ANY($1)`, [[...tagsById.keys()]]);
  const scan = await addScan(db.prisma, { startedAt: new Date() });
  for (const row of rows) {
    const key: CollectedKey = {
      keyId: row.key_id,
      arn: row.arn,
      meta: null,
      aliases: row.aliases,
      tags: tagsById.get(row.id)!,
      rotation: null,
      lastRotation: null,
      finding: {
        severity: row.severity,
        reason: row.reason,
        description: row.finding_description,
        rotationStatus: row.rotation_status,
        rotationPeriodDays: row.rotation_period_days,
        nextRotation: row.next_rotation,
        lastRotation: null,
        error: null,
      },
      errors: [],
    };
    await writeKeys(db.prisma, { scanId: scan.id, accountId: row.account_id, region: row.region }, [key], {
      aliasesOk: false,
    });
  }
}

/** The tag facets of the view recounted from key_tags: tag keys and values a filter could ask for. */
async function expectedTagFacets(view: InsightFilters): Promise<Facets> {
  const count = async (without: Partial<InsightFilters>, sql: string, ...params: unknown[]) => {
    const ids = await referenceIds(reference, { ...view, ...without }, null);
    const { rows } = await reference.query<{ value: string; n: number }>(sql, [ids, ...params]);
    return Object.fromEntries(rows.map((r) => [r.value, r.n]));
  };
  const facets: Facets = {
    tag: await count(
      { tag: null, tagValues: [] },
      `SELECT tag_key AS value, count(*)::int AS n FROM key_tags
       WHERE kms_key_id = ANY($1) AND length(tag_key) <= 128 GROUP BY 1`,
    ),
  };
  if (view.tag)
    facets.tagValues = await count(
      { tagValues: [] },
      `SELECT tag_value AS value, count(*)::int AS n FROM key_tags
       WHERE kms_key_id = ANY($1) AND tag_key = $2 AND length(tag_value) <= 256 GROUP BY 1`,
      view.tag,
    );
  return facets;
}

/** The view's tag facets as the filter bar gets them, and as key_tags has them. */
async function tagFacets(filters: Partial<InsightFilters>) {
  const view = { ...EMPTY_FILTERS, ...CHANGES, ...filters } as InsightFilters;
  const facets = (await fetchFacets(db.prisma, view, null)) as Facets;
  const { tag, tagValues } = facets;
  return { got: view.tag ? { tag, tagValues } : { tag }, want: await expectedTagFacets(view) };
}

async function expectTagFacetsRight(...tags: (string | null)[]) {
  for (const tag of tags) {
    const { got, want } = await tagFacets({ tag });
    expect(got, `tag ${tag}`).toEqual(want);
  }
}

const past = Array.from({ length: 70 }, (_, i) => ({
  key: `many-${String(i).padStart(2, "0")}`,
  value: "v",
}));

describe("the tag facets under a change filter", () => {
  it("count the tags a rescan added, changed and removed, and those of a key with more than 64", async () => {
    const keys = await windowKeys();
    expect(keys.length).toBeGreaterThan(12);
    const withEnv = (tags: Tag[], value: string) => [
      ...tags.filter((t) => t.key !== "env"),
      { key: "env", value },
    ];
    const rescanned = new Map<string, Tag[]>([
      ...keys.slice(0, 3).map((k): [string, Tag[]] => [k.id, [...k.tags, { key: "owner", value: "alice" }]]),
      ...keys.slice(3, 6).map((k): [string, Tag[]] => [k.id, withEnv(k.tags, "perf")]),
      ...keys.slice(6, 9).map((k): [string, Tag[]] => [k.id, []]),
      [
        keys[9]!.id,
        [
          { key: "env", value: "b" },
          { key: "env", value: "a" },
        ],
      ],
      [
        keys[10]!.id,
        [
          { key: "k".repeat(130), value: "a key longer than a filter asks for" },
          { key: "note", value: "n".repeat(300) },
          { key: "note-short", value: "n" },
        ],
      ],
      [keys[11]!.id, past],
    ]);
    await rescan(rescanned);
    const { rows } = await reference.query<{ past: boolean }>(
      `SELECT tag_ids IS NULL AS past FROM kms_keys WHERE id = $1`,
      [keys[11]!.id],
    );
    expect(rows[0]!.past).toBe(true);
    const { got } = await tagFacets({});
    expect(got.tag).toMatchObject({ owner: 3, "many-00": 1, "many-69": 1, note: 1 });
    expect((await tagFacets({ tag: "env" })).got.tagValues).toMatchObject({ perf: 3, a: 1 });
    await expectTagFacetsRight(null, "env", "owner", "note", "many-07", "team");

    // Again: the owner tag goes, the key past the bound comes back under it, a key gains a tag.
    await rescan(
      new Map<string, Tag[]>([
        ...keys.slice(0, 3).map((k): [string, Tag[]] => [k.id, k.tags]),
        [
          keys[11]!.id,
          [
            { key: "many-00", value: "v" },
            { key: "env", value: "prod" },
          ],
        ],
        [keys[6]!.id, [{ key: "owner", value: "bob" }]],
      ]),
    );
    const after = await tagFacets({ tag: "owner" });
    expect(after.got.tagValues).toEqual({ bob: 1 });
    expect(after.got.tag).toMatchObject({ "many-00": 1 });
    expect(after.got.tag).not.toHaveProperty("many-07");
    await expectTagFacetsRight(null, "env", "owner", "many-00");
  });

  it("count a new tag that two scans add at the same time, neither waiting for the other", async () => {
    const [a, b] = (await windowKeys()).slice(-2);
    const write = async (client: pg.PoolClient, id: string, tags: Tag[]) => {
      await client.query(`UPDATE kms_keys SET tags = $2 WHERE id = $1`, [id, JSON.stringify(tags)]);
      await client.query(`DELETE FROM key_tags WHERE kms_key_id = $1`, [id]);
      for (const t of tags)
        await client.query(`INSERT INTO key_tags (kms_key_id, tag_key, tag_value) VALUES ($1, $2, $3)`, [
          id,
          t.key,
          t.value,
        ]);
    };
    const shared = { key: "shared", value: "new" };
    const other = { key: "other", value: "new" };
    const first = await reference.connect();
    const second = await reference.connect();
    try {
      await first.query("BEGIN");
      await second.query("BEGIN");
      // A write that waited for the other's commit would fail here rather than hang the test.
      await second.query("SET LOCAL statement_timeout = '10s'");
      await write(first, a!.id, [shared, other]);
      await write(second, b!.id, [other, shared]);
      await first.query("COMMIT");
      await second.query("COMMIT");
    } finally {
      first.release();
      second.release();
    }
    const { got } = await tagFacets({ tag: "shared" });
    expect(got.tag).toMatchObject({ shared: 2, other: 2 });
    expect(got.tagValues).toEqual({ new: 2 });
    await expectTagFacetsRight(null, "shared", "other");
  });

  it("count the tags of keys written before the ids existed, with and without the migration's backfill", async () => {
    // As before the migration's backfill: every key with tags counted from key_tags.
    await reference.query(`UPDATE kms_keys SET tag_ids = NULL WHERE tags <> '[]'`);
    await expectTagFacetsRight(null, "env", "team");
    await reference.query(`SELECT kms_key_tag_ids_fill()`);
    const { rows } = await reference.query<{ past: number }>(
      `SELECT count(*)::int AS past FROM kms_keys WHERE tag_ids IS NULL`,
    );
    expect(rows[0]!.past).toBe(0);
    await expectTagFacetsRight(null, "env", "team", "shared", "many-00");
  });
});
