import { z } from "zod";
import { INSIGHT_COLUMNS, type InsightColumnId } from "./columns";
import { SEVERITIES, type Severity } from "@/lib/verdict/types";

// The insight table's filters as they travel in the URL. One parser serves the page, the CSV route
// and the CLI, so a bookmarked or exported view always selects the same rows. It never throws: what
// it cannot use is dropped and explained in a notice.

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 50;

/** Tags hold a list of pairs, which has no useful order; every other column sorts. */
export type SortableColumnId = Exclude<InsightColumnId, "tags">;
export const SORTABLE_COLUMNS = INSIGHT_COLUMNS.map((column) => column.id).filter(
  (id): id is SortableColumnId => id !== "tags",
);

export interface InsightSort {
  column: SortableColumnId;
  desc: boolean;
}
/** Severity rank, then account, region and key id (see lib/insights/sql.ts). */
export const DEFAULT_SORT: InsightSort = { column: "severity", desc: false };

export interface InsightFilters {
  accounts: string[];
  /** Empty: every severity but NOT_APPLICABLE (see `shownSeverities`). */
  severities: Severity[];
  regions: string[];
  tag: string | null;
  /** Only with `tag`: values of that tag key. */
  tagValues: string[];
  q: string | null;
  sort: InsightSort;
  page: number;
  pageSize: PageSize;
}

export const EMPTY_FILTERS: InsightFilters = {
  accounts: [],
  severities: [],
  regions: [],
  tag: null,
  tagValues: [],
  q: null,
  sort: DEFAULT_SORT,
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
};

/** NOT_APPLICABLE rows appear only when that severity is chosen. */
export function shownSeverities(filters: Pick<InsightFilters, "severities">): Severity[] {
  return filters.severities.length > 0
    ? filters.severities
    : SEVERITIES.filter((s) => s !== "NOT_APPLICABLE");
}

/** AWS's limits for a tag key and value: a longer one cannot be asked for. */
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;

/** A repeated parameter keeps at most this many values (a URL is not a bulk API). */
export const MAX_VALUES = 100;
const MAX_NOTICES = 10;

// PostgreSQL text cannot hold NUL; every other character is a legal (if odd) tag or search text.
const noNul = (s: string) => !s.includes("\0");
const text = (max: number) =>
  z.string().max(max, `longer than ${max} characters`).refine(noNul, "contains a NUL character");

const FIELDS = {
  account: z.string().regex(/^\d{12}$/, "an account id is 12 digits"),
  severity: z
    .string()
    .toUpperCase()
    .pipe(z.enum(SEVERITIES, { error: `use ${SEVERITIES.join(", ")}` })),
  region: z.string().regex(/^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/, "not an AWS region name"),
  tag: text(TAG_KEY_MAX),
  tagValue: text(TAG_VALUE_MAX),
  q: text(256).transform((s) => s.trim()),
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
};
type Field = keyof typeof FIELDS;
type Parsed<F extends Field> = z.output<(typeof FIELDS)[F]>;

const MULTI_VALUED = new Set<Field>(["account", "severity", "region", "tagValue"]);

export type FilterParams = URLSearchParams | Record<string, string | string[] | undefined>;

/** Long or odd values are quoted short in notices, with control characters escaped. */
function show(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function entries(params: FilterParams): [string, string][] {
  if (params instanceof URLSearchParams) return [...params.entries()];
  return Object.entries(params).flatMap(([name, value]) =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
  );
}

export function parseInsightFilters(params: FilterParams): { filters: InsightFilters; notices: string[] } {
  const notices: string[] = [];
  const given = new Map<Field, string[]>();
  for (const [name, value] of entries(params)) {
    if (!Object.hasOwn(FIELDS, name)) notices.push(`Ignored unknown parameter ${show(name)}.`);
    else given.set(name as Field, [...(given.get(name as Field) ?? []), String(value)]);
  }

  function values<F extends Field>(field: F): Parsed<F>[] {
    let raw = given.get(field) ?? [];
    if (!MULTI_VALUED.has(field) && raw.length > 1) {
      notices.push(`Parameter "${field}" was given ${raw.length} times; used the first.`);
      raw = raw.slice(0, 1);
    }
    if (raw.length > MAX_VALUES) {
      notices.push(`Parameter "${field}" was given ${raw.length} times; used the first ${MAX_VALUES}.`);
      raw = raw.slice(0, MAX_VALUES);
    }
    const out: Parsed<F>[] = [];
    const seen = new Set<string>();
    for (const value of raw) {
      // An empty field is what a form sends for "no choice"; only a tag value may really be empty.
      if (value === "" && field !== "tagValue") continue;
      const result = FIELDS[field].safeParse(value);
      if (!result.success) {
        notices.push(`Ignored ${field} ${show(value)}: ${result.error.issues[0]?.message ?? "invalid"}.`);
      } else if (!seen.has(JSON.stringify(result.data))) {
        seen.add(JSON.stringify(result.data));
        out.push(result.data as Parsed<F>);
      }
    }
    return out;
  }

  const tag = values("tag")[0] ?? null;
  let tagValues = values("tagValue");
  if (tag === null && tagValues.length > 0) {
    notices.push("Ignored tagValue: choose a tag first.");
    tagValues = [];
  }
  const filters: InsightFilters = {
    accounts: values("account"),
    severities: values("severity"),
    regions: values("region"),
    tag,
    tagValues,
    q: values("q")[0] || null,
    sort: values("sort")[0] ?? DEFAULT_SORT,
    page: values("page")[0] ?? 1,
    pageSize: values("pageSize")[0] ?? DEFAULT_PAGE_SIZE,
  };
  if (notices.length > MAX_NOTICES) {
    const more = notices.length - (MAX_NOTICES - 1);
    notices.splice(MAX_NOTICES - 1, notices.length, `…and ${more} more ignored parameters.`);
  }
  return { filters, notices };
}

/** An export holds every page: paging parameters do not apply to it. */
export function exportFilters(filters: InsightFilters): InsightFilters {
  return { ...filters, page: 1, pageSize: DEFAULT_PAGE_SIZE };
}

export function sortParam(sort: InsightSort): string {
  return `${sort.desc ? "-" : ""}${sort.column}`;
}

/** The canonical URL form of `filters`: defaults are left out, so equal views have equal URLs. */
export function toSearchParams(filters: InsightFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const account of filters.accounts) params.append("account", account);
  for (const severity of filters.severities) params.append("severity", severity);
  for (const region of filters.regions) params.append("region", region);
  if (filters.tag !== null) {
    params.set("tag", filters.tag);
    for (const value of filters.tagValues) params.append("tagValue", value);
  }
  if (filters.q) params.set("q", filters.q);
  if (sortParam(filters.sort) !== sortParam(DEFAULT_SORT)) params.set("sort", sortParam(filters.sort));
  if (filters.page > 1) params.set("page", String(filters.page));
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(filters.pageSize));
  return params;
}
