import { z } from "zod";
import { paramDef } from "@/lib/insight-table/filter-defs";
import { queryEntries, quoteForNotice, type QueryParams } from "@/lib/query-params";
import { COVERAGE_STATES, type CoverageState } from "./states";

// The coverage page's filters as they travel in the URL (state, account, region, ou, page), shared
// by the page and its CSV. Never throws: what it cannot use becomes a notice. Account, region and
// OU values are read as the insight table reads them.

export interface CoverageFilters {
  states: CoverageState[];
  accounts: string[];
  regions: string[];
  ous: string[];
  page: number;
}

export const EMPTY_COVERAGE_FILTERS: CoverageFilters = {
  states: [],
  accounts: [],
  regions: [],
  ous: [],
  page: 1,
};

const stateItem = z
  .string()
  .toUpperCase()
  .pipe(z.enum(COVERAGE_STATES, { error: `use ${COVERAGE_STATES.join(", ")}` }));
const pageItem = z
  .string()
  .regex(/^\d{1,9}$/, "must be a whole number from 1")
  .transform(Number)
  .refine((n) => n >= 1, "must be a whole number from 1");

const LISTS = {
  state: { field: "states", item: stateItem },
  account: { field: "accounts", item: paramDef("account").item },
  region: { field: "regions", item: paramDef("region").item },
  ou: { field: "ous", item: paramDef("ou").item },
} as const;
const MAX_VALUES = 100;

export function parseCoverageFilters(params: QueryParams): { filters: CoverageFilters; notices: string[] } {
  const notices: string[] = [];
  const filters: CoverageFilters = {
    ...EMPTY_COVERAGE_FILTERS,
    states: [],
    accounts: [],
    regions: [],
    ous: [],
  };
  const seen = new Map<string, Set<string>>();
  let pageSeen = false;
  for (const [name, raw] of queryEntries(params)) {
    if (name === "page") {
      if (pageSeen) continue;
      pageSeen = true;
      const page = pageItem.safeParse(raw);
      if (page.success) filters.page = page.data;
      else notices.push(`Ignored page ${quoteForNotice(raw)}: ${page.error.issues[0]?.message}.`);
      continue;
    }
    // Own keys only: `constructor` or `__proto__` in a link are unknown parameters, not Object's.
    const list = Object.hasOwn(LISTS, name) ? LISTS[name as keyof typeof LISTS] : undefined;
    if (!list) {
      notices.push(`Ignored unknown parameter ${quoteForNotice(name)}.`);
      continue;
    }
    if (raw === "") continue;
    const parsed = (list.item as z.ZodType<unknown, string>).safeParse(raw);
    if (!parsed.success) {
      notices.push(
        `Ignored ${name} ${quoteForNotice(raw)}: ${parsed.error.issues[0]?.message ?? "invalid"}.`,
      );
      continue;
    }
    const values = filters[list.field] as string[];
    const done = seen.get(name) ?? new Set<string>();
    seen.set(name, done);
    const value = String(parsed.data);
    if (done.has(value)) continue;
    if (values.length >= MAX_VALUES) {
      notices.push(
        `Parameter "${name}" was given more than ${MAX_VALUES} times; used the first ${MAX_VALUES}.`,
      );
      continue;
    }
    done.add(value);
    values.push(value);
  }
  return { filters, notices: notices.slice(0, 10) };
}

/** The canonical URL of a coverage view (defaults left out). */
export function coverageHref(filters: Partial<CoverageFilters>, path = "/coverage"): string {
  const params = new URLSearchParams();
  for (const [param, { field }] of Object.entries(LISTS))
    for (const value of (filters[field] as string[] | undefined) ?? []) params.append(param, value);
  if (filters.page && filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}
