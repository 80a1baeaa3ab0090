import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { postgresCode } from "@/lib/db/errors";
import type { AccountScope } from "@/lib/auth/account-scope";
import { withChangeStart } from "./change-start";
import { countSource, insightTotalQuery } from "./count-source";
import {
  appliedFilters,
  type FacetColumn,
  type FilterDef,
  type FilterField,
  type FilterValues,
  TAG_KEY_MAX,
  TAG_VALUE_MAX,
} from "./filter-defs";
import { fetchTagValues, TAG_KEYS_LIMIT, TAG_VALUES_LIMIT } from "./tag-options";
import { whereClause } from "./predicates";
import { SEARCH_COUNT_CAP } from "./search-cap";

// The filter bar's counts: for each filter with a facet (filter-defs), how many keys each of its
// values would select together with the other filters, its own left out. They come from the count
// tables, grouped by the facet's column (overdue too: see count-source). A filter that those cannot
// answer (a search, a change) is the same for every facet: its matching keys are read, under a short statement timeout,
// and grouped for each facet (the tag facets apart, from each key's list of tag ids: keyTagCounts);
// past the timeout a facet has no counts rather than making the page slow.

/** Per filter with a facet, the keys each value would select; a value not listed selects none. */
export type Facets = Partial<Record<FilterField, Record<string, number>>>;

/** How long the counts from the keys themselves may take before the page goes without them. */
const KEY_COUNT_TIMEOUT_MS = 250;

const LIMITS: Partial<Record<FacetColumn, { maxLength: number; limit: number }>> = {
  tag_key: { maxLength: TAG_KEY_MAX, limit: TAG_KEYS_LIMIT },
  tag_value: { maxLength: TAG_VALUE_MAX, limit: TAG_VALUES_LIMIT },
};

type FacetDef = FilterDef<FilterField> & { facet: NonNullable<FilterDef["facet"]> };

/** The facets that apply (a tag value's only with its tag key), and what each leaves out. */
function facetsOf(filters: FilterValues): { def: FacetDef; omit: FilterField[] }[] {
  const applied = appliedFilters(filters).map(([def]) => def);
  return applied
    .filter((def): def is FacetDef => def.facet !== undefined)
    .map((def) => ({
      def,
      // The filter itself and those that require it (a tag key's values go with it).
      omit: [def.field, ...applied.filter((d) => d.requires === def.param).map((d) => d.field)],
    }));
}

/** The filters whose options have counts under these filters: each a field of Facets once counted. */
export function facetFields(filters: FilterValues): FilterField[] {
  return facetsOf(filters).map(({ def }) => def.field);
}

/** The facet column's values in the filter's words (statuses are lower case in the URL). */
function valueSql(column: FacetColumn, alias: "c" | "k" | "kt"): Prisma.Sql {
  const ref = Prisma.raw(`${alias}.${column}`);
  if (column === "status") return Prisma.sql`lower(${ref}::text)`;
  return Prisma.sql`${ref}::text`;
}

/**
 * One facet's rows from `source` (tables and a WHERE); of tag keys and values only those the
 * filters could ask for, and at most so many.
 */
function branch(def: FacetDef, source: Prisma.Sql, value: Prisma.Sql, count: Prisma.Sql): Prisma.Sql {
  const limits = LIMITS[def.facet.column];
  const length = limits ? Prisma.sql`AND length(${value}) <= ${limits.maxLength}` : Prisma.empty;
  const limit = limits ? Prisma.sql`ORDER BY 2 LIMIT ${limits.limit}` : Prisma.empty;
  return Prisma.sql`(SELECT ${def.field}::text AS facet, ${value} AS value, ${count}::int AS count
    FROM ${source} ${length} GROUP BY 2 HAVING ${count} > 0 ${limit})`;
}

/** Every facet from the count tables, or null when a filter set needs the keys themselves. */
function countTableQuery(filters: FilterValues, scope: AccountScope): Prisma.Sql | null {
  const branches: Prisma.Sql[] = [];
  for (const { def, omit } of facetsOf(filters)) {
    const source = countSource(filters, scope, { atLeast: def.facet.table, omit });
    if (source === null) return null;
    const value = valueSql(def.facet.column, "c");
    branches.push(branch(def, source, value, Prisma.sql`sum(c.count)`));
  }
  return Prisma.join(branches, " UNION ALL ");
}

/**
 * The tags of the matching keys that `where` keeps, as (tag_key, tag_value, count) rows to add up
 * per key or value: the ids of each key's tags (kms_keys.tag_ids, migration 20261210100000) counted
 * per id, then each id's pair looked up (a pair may have two ids, so the rows are added up by its
 * text); a key with more tags than tag_ids holds (NULL) has its tags read from key_tags.
 */
function keyTagCounts(where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT p.tag_key, p.tag_value, i.count FROM (
      SELECT i.id, count(*) AS count FROM (SELECT unnest(k.tag_ids) AS id FROM matches k ${where}) i GROUP BY 1
    ) i JOIN tag_pairs p ON p.id = i.id
    UNION ALL
    SELECT kt.tag_key, kt.tag_value, 1 FROM key_tags kt
    WHERE kt.kms_key_id = ANY(ARRAY(SELECT k.id FROM matches k ${where} AND k.tag_ids IS NULL))`;
}

const isTagFacet = (def: FacetDef) => def.facet.column === "tag_key" || def.facet.column === "tag_value";

/**
 * Some facets from the keys (`tags`: the tag key and value facets, else the others): the keys that
 * the filters without a count table select, read once (but see `materialized`), then grouped for
 * each facet under the filters that have one (its own left out). Null when none of those facets applies.
 */
function keyQuery(filters: FilterValues, scope: AccountScope, tags: boolean): Prisma.Sql | null {
  const branches = facetsOf(filters)
    .filter(({ def }) => isTagFacet(def) === tags)
    .map(({ def, omit }) => {
      const where = whereClause(filters, scope, { only: (d) => d.counts !== undefined, omit });
      const column = def.facet.column;
      if (column === "tag_key" || column === "tag_value") {
        const sameKey = column === "tag_value" ? Prisma.sql`kt.tag_key = ${filters.tag}` : Prisma.sql`TRUE`;
        const source = Prisma.sql`(${keyTagCounts(where)}) kt WHERE ${sameKey}`;
        return branch(def, source, valueSql(column, "kt"), Prisma.sql`sum(kt.count)`);
      }
      return branch(def, Prisma.sql`matches k ${where}`, valueSql(column, "k"), Prisma.sql`count(*)`);
    });
  if (!branches.length) return null;
  const matching = whereClause(filters, scope, { only: (d) => d.counts === undefined });
  // The due date only for the overdue filter: the other columns are in the index that a change
  // filter's keys are read from (kms_keys_last_resolved_idx and its siblings).
  const due = filters.overdue ? Prisma.sql`, k.due_at` : Prisma.empty;
  const tagIds = tags ? Prisma.sql`, k.tag_ids` : Prisma.empty;
  // The tag facets of a change window read its index range once per branch (and once more for the
  // keys past tag_ids' bound) rather than copy some 34,000 lists of ids aside first, about half the
  // time at a million keys; a search, which costs more than a range, is read once.
  const materialized = tags && !filters.q ? Prisma.sql`NOT MATERIALIZED` : Prisma.sql`MATERIALIZED`;
  return Prisma.sql`WITH matches AS ${materialized} (
      SELECT k.id, k.account_id, k.region, k.severity, k.status, k.gone_at ${due} ${tagIds}
      FROM kms_keys k ${matching}
    ) ${Prisma.join(branches, " UNION ALL ")}`;
}

/** The facets counted (`counted`: those whose rows these are), each option that selects keys. */
function toFacets(
  filters: FilterValues,
  rows: { facet: string; value: string; count: number }[],
  counted: (def: FacetDef) => boolean = () => true,
): Facets {
  const facets: Facets = Object.fromEntries(
    facetsOf(filters)
      .filter(({ def }) => counted(def))
      .map(({ def }) => [def.field, {}]),
  );
  for (const row of rows) facets[row.facet as FilterField]![row.value] = row.count;
  return facets;
}

/** PostgreSQL's "canceling statement due to statement timeout". */
const isStatementTimeout = (error: unknown) => postgresCode(error) === "57014";

/**
 * The counts of every facet that applies to the filters, within the scope. When a filter needs the
 * keys themselves, the tag facets (the keys' tags, the slow part over many keys) are
 * counted beside the others, each under its own time limit: a facet not counted in time is left out
 * (its options show without numbers), and null means none was. A text search that matches more
 * than SEARCH_COUNT_CAP keys is not counted at all ("capped"): its options show no numbers, since
 * counts of its first matches would read like totals, and counting all of them is what the cap spares.
 */
export async function fetchFacets(
  db: PrismaClient,
  asked: FilterValues,
  scope: AccountScope,
): Promise<Facets | null | "capped"> {
  type Row = { facet: string; value: string; count: number };
  const fromCounts = countTableQuery(asked, scope);
  if (fromCounts) return toFacets(asked, await db.$queryRaw<Row[]>(fromCounts));
  const filters = await withChangeStart((query) => db.$queryRaw(query), asked, scope);
  const timed = async <T = Row>(query: Prisma.Sql | null): Promise<T[] | null> => {
    if (query === null) return [];
    try {
      return await db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT set_config('statement_timeout', ${String(KEY_COUNT_TIMEOUT_MS)}, true)`;
        return tx.$queryRaw<T[]>(query);
      });
    } catch (error) {
      if (isStatementTimeout(error)) return null;
      throw error;
    }
  };
  if (filters.q) {
    // The table's own capped count (at most one match past the cap), under the same time limit.
    const counted = await timed<{ total: number }>(insightTotalQuery(filters, scope));
    if (counted === null) return null;
    if (counted[0]!.total > SEARCH_COUNT_CAP) return "capped";
  }
  const [plain, tags] = await Promise.all([
    timed(keyQuery(filters, scope, false)),
    timed(keyQuery(filters, scope, true)),
  ]);
  if (plain === null && tags === null) return null;
  return toFacets(filters, [...(plain ?? []), ...(tags ?? [])], (def) =>
    isTagFacet(def) ? tags !== null : plain !== null,
  );
}

/** The filter bar's counts, and the values of the chosen tag key that the other filters leave. */
export interface FilterCounts {
  facets: Facets | null;
  /** Not counted: the search matches more than SEARCH_COUNT_CAP keys (the bar says why). */
  capped: boolean;
  /** Empty when no tag key is chosen; every value of the key when its facet could not be counted. */
  tagValues: string[];
}

export async function fetchFilterCounts(
  db: PrismaClient,
  filters: FilterValues,
  scope: AccountScope,
): Promise<FilterCounts> {
  const counted = await fetchFacets(db, filters, scope);
  const facets = counted === "capped" ? null : counted;
  const tagValues =
    filters.tag === null
      ? []
      : facets?.tagValues
        ? Object.keys(facets.tagValues).sort()
        : await fetchTagValues(db, filters.tag, scope);
  return { facets, capped: counted === "capped", tagValues };
}
