import { z } from "zod";
import { queryEntries, quoteForNotice, type QueryParams } from "@/lib/query-params";
import { INSIGHT_COLUMNS, type InsightColumnId } from "./columns";
import { appliedFilters, FILTER_DEFS, type FilterValues, isSet, paramDef } from "./filter-defs";

// The insight table's filters as they travel in the URL. One parser serves the page, the CSV route
// and the CLI, so a bookmarked or exported view always selects the same rows. It never throws: what
// it cannot use is dropped and explained in a notice.

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 50;

/**
 * Tags hold a list of pairs, which has no useful order; "Open for" is the age of the failing
 * period, which sorts as First seen and Due do within a severity. Every other column sorts.
 */
export type SortableColumnId = Exclude<InsightColumnId, "tags" | "openFor">;
export const SORTABLE_COLUMNS = INSIGHT_COLUMNS.map((column) => column.id).filter(
  (id): id is SortableColumnId => id !== "tags" && id !== "openFor",
);

export interface InsightSort {
  column: SortableColumnId;
  desc: boolean;
}
/** Severity rank, then account, region and key id (see ./sort-order.ts). */
export const DEFAULT_SORT: InsightSort = { column: "severity", desc: false };

/** The filters (one field per definition in ./filter-defs), the sort and the page. */
export interface InsightFilters extends FilterValues {
  sort: InsightSort;
  page: number;
  pageSize: PageSize;
  /**
   * Past a capped search's count (./search-cap), where the page starts: a keyset cursor
   * (./cursor) of the previous page's last row, which `page` only numbers. Null otherwise.
   */
  after: string | null;
}

export const EMPTY_FILTERS: InsightFilters = {
  ...(Object.fromEntries(FILTER_DEFS.map((def) => [def.field, def.empty])) as FilterValues),
  sort: DEFAULT_SORT,
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  after: null,
};

/** A repeated parameter keeps at most this many values (a URL is not a bulk API). */
export const MAX_VALUES = 100;
const MAX_NOTICES = 10;

/** The parameters that are not filters: the view of the rows. */
const VIEW_ITEMS = {
  sort: z
    .string()
    .regex(/^-?[A-Za-z]{1,40}$/, "not a column")
    .transform((s) => ({ column: s.replace(/^-/, ""), desc: s.startsWith("-") }))
    .refine(
      (s): s is InsightSort => (SORTABLE_COLUMNS as string[]).includes(s.column),
      "not a sortable column",
    ),
  page: z
    .string()
    .regex(/^\d{1,9}$/, "must be a whole number from 1")
    .transform(Number)
    .refine((n) => n >= 1, "must be a whole number from 1"),
  pageSize: z
    .string()
    .regex(/^\d{1,3}$/, `use ${PAGE_SIZES.join(", ")}`)
    .transform(Number)
    .refine(
      (n): n is PageSize => (PAGE_SIZES as readonly number[]).includes(n),
      `use ${PAGE_SIZES.join(", ")}`,
    ),
  after: z.string().regex(/^[A-Za-z0-9_-]{1,4000}$/, "not a page's cursor"),
};

/** Every parameter, as the parser reads it. */
interface Param {
  item: z.ZodType<unknown, string>;
  many: boolean;
  allowsEmpty?: boolean;
}
const PARAMS = new Map<string, Param>([
  ...FILTER_DEFS.map((def): [string, Param] => [def.param, def]),
  ...Object.entries(VIEW_ITEMS).map(([name, item]): [string, Param] => [name, { item, many: false }]),
]);

/**
 * The order in which the filters are read, which is the order of their notices: first each filter
 * that another one requires, followed by those (tag, then tagValue and its "choose a tag first"),
 * then the others in FILTER_DEFS order.
 */
const requiredBy = (def: (typeof FILTER_DEFS)[number]) =>
  FILTER_DEFS.filter((other) => other.requires === def.param);
const READING_ORDER = [
  ...FILTER_DEFS.flatMap((def) => (requiredBy(def).length ? [def, ...requiredBy(def)] : [])),
  ...FILTER_DEFS.filter((def) => def.requires === undefined && !requiredBy(def).length),
];

export type FilterParams = QueryParams;

export function parseInsightFilters(params: FilterParams): { filters: InsightFilters; notices: string[] } {
  const notices: string[] = [];
  const given = new Map<string, string[]>();
  for (const [name, value] of queryEntries(params)) {
    if (!PARAMS.has(name)) notices.push(`Ignored unknown parameter ${quoteForNotice(name)}.`);
    else given.set(name, [...(given.get(name) ?? []), String(value)]);
  }

  /** The usable, distinct values of a parameter; the others become notices. */
  function values(name: string): unknown[] {
    const { item, many, allowsEmpty } = PARAMS.get(name)!;
    let raw = given.get(name) ?? [];
    if (!many && raw.length > 1) {
      notices.push(`Parameter "${name}" was given ${raw.length} times; used the first.`);
      raw = raw.slice(0, 1);
    }
    if (raw.length > MAX_VALUES) {
      notices.push(`Parameter "${name}" was given ${raw.length} times; used the first ${MAX_VALUES}.`);
      raw = raw.slice(0, MAX_VALUES);
    }
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (const value of raw) {
      // An empty field (or only spaces, for the search) is what a form sends for "no choice".
      if (value === "" && !allowsEmpty) continue;
      const result = item.safeParse(value);
      if (!result.success) {
        notices.push(
          `Ignored ${name} ${quoteForNotice(value)}: ${result.error.issues[0]?.message ?? "invalid"}.`,
        );
      } else if (!(result.data === "" && !allowsEmpty) && !seen.has(JSON.stringify(result.data))) {
        seen.add(JSON.stringify(result.data));
        out.push(result.data);
      }
    }
    return out;
  }

  const read: Record<string, unknown> = {};
  for (const def of READING_ORDER) {
    const parsed = values(def.param);
    let value = def.many ? parsed : (parsed[0] ?? null);
    if (def.requires !== undefined && isSet(value) && !isSet(read[paramDef(def.requires).field])) {
      notices.push(`Ignored ${def.param}: choose a ${def.requires} first.`);
      value = def.many ? [] : null;
    }
    read[def.field] = value;
  }
  const filters: InsightFilters = {
    ...(Object.fromEntries(FILTER_DEFS.map((def) => [def.field, read[def.field]])) as FilterValues),
    sort: (values("sort")[0] as InsightSort | undefined) ?? DEFAULT_SORT,
    page: (values("page")[0] as number | undefined) ?? 1,
    pageSize: (values("pageSize")[0] as PageSize | undefined) ?? DEFAULT_PAGE_SIZE,
    after: null,
  };
  // A cursor numbers a page after the first: on the first page it has no meaning.
  if (filters.page > 1) filters.after = (values("after")[0] as string | undefined) ?? null;
  if (notices.length > MAX_NOTICES) {
    const more = notices.length - (MAX_NOTICES - 1);
    notices.splice(MAX_NOTICES - 1, notices.length, `…and ${more} more ignored parameters.`);
  }
  return { filters, notices };
}

/** An export holds every page: paging parameters do not apply to it. */
export function exportFilters(filters: InsightFilters): InsightFilters {
  return { ...filters, page: 1, pageSize: DEFAULT_PAGE_SIZE, after: null };
}

export function sortParam(sort: InsightSort): string {
  return `${sort.desc ? "-" : ""}${sort.column}`;
}

/** The canonical URL form of `filters`: defaults are left out, so equal views have equal URLs. */
export function toSearchParams(filters: InsightFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [def, value] of appliedFilters(filters)) {
    if (!isSet(value)) continue;
    for (const item of def.many ? (value as unknown[]) : [value]) params.append(def.param, String(item));
  }
  if (sortParam(filters.sort) !== sortParam(DEFAULT_SORT)) params.set("sort", sortParam(filters.sort));
  if (filters.page > 1) params.set("page", String(filters.page));
  if (filters.page > 1 && filters.after) params.set("after", filters.after);
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(filters.pageSize));
  return params;
}
