import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AccountScope } from "@/lib/auth/account-scope";
import {
  DEFAULT_STATUSES,
  FINDING_CHANGES,
  FINDING_STATUSES,
  type FindingChange,
  type FindingStatus,
  STATUS_LABELS,
  statusEnum,
} from "@/lib/triage/status";
import { SEVERITIES, SEVERITY_LABELS, type Severity } from "@/lib/verdict/types";

// Every filter of the insight table, each defined once: its URL parameter, how one value is read
// from it, and the SQL it adds to each query. The URL parser (./filters), the key conditions
// (./predicates), the totals (./count-source) and the page walks (./page-query) loop over
// FILTER_DEFS; their order is the order of the parameters in a canonical URL and of the conditions.
// To add a filter, add a definition here (see docs/architecture.md).

type Sql = Prisma.Sql;
/**
 * Prisma.sql, handed to each SQL part by the caller: the browser loads this file too (it is the
 * URL contract of the filter bar's links), and must not load the database client with it.
 */
export type SqlTag = typeof Prisma.sql;
/** What a key condition may be asked for (see `severity`). */
export interface KeyConditionOptions {
  severityAsFilter?: boolean;
}

/**
 * What a filter's SQL may read besides its own value: the other filters' values (the status
 * filter's default depends on the change filter; the change filter reads `since`) and the scope.
 */
export interface FilterContext {
  values: { readonly [field: string]: unknown };
  scope: AccountScope;
}

/**
 * The count tables that triggers keep exact (migration 20261130140000), each with the columns of
 * the one before it and one more: live keys per severity; per account, region and severity; per
 * tag key as well; per tag value as well; each also per status and overdue mark (migrations
 * 20261203100000, 20261207100000). Counts of several values of one tag key add up to the
 * keys that carry any of them: a key counts under one value per tag key, the one key_tags holds
 * (its primary key is the key and the tag key; the collector keeps the smallest value of a tag key
 * listed twice, and so do the count tables).
 */
export const COUNT_TABLES = [
  "kms_key_severity_counts",
  "kms_key_counts",
  "kms_key_tag_counts",
  "kms_key_tag_value_counts",
] as const;
export type CountTable = (typeof COUNT_TABLES)[number];

/** What the URL holds only the ids of, by name: accounts, and the scans a change counts from. */
export interface ChipNames {
  accounts: ReadonlyMap<string, string>;
  scans: ReadonlyMap<string, string>;
  /** An OU's (or root's) id → its path ("Root / Prod"). */
  ous?: ReadonlyMap<string, string>;
}

/**
 * How an active filter reads on its chip (./filter-chips): "Severity: Critical, Warning". A filter
 * that requires another one reads in that one's chip, after `join` ("Tag: env = prod").
 */
export interface ChipSpec<Item> {
  label: string;
  /** One value in words (default: as it is); null for a filter that is only on or off ("Overdue"). */
  item?(item: Item, names: ChipNames): string | null;
  /** A filter that requires another: the word between that one's values and its own. */
  join?: string;
  /** ...and what it reads while unset, when that is a choice too ("since the previous scan"). */
  unset?: string;
}

/** The columns of the count tables that a filter's options are values of (./facets). */
export type FacetColumn = "account_id" | "severity" | "status" | "region" | "tag_key" | "tag_value";

/**
 * One filter. Each SQL part gives null when the value selects every row; a part that is absent is
 * one the filter has no condition for.
 */
export interface FilterDef<Field extends string = string, Item = unknown, Value = unknown> {
  /** Its key in InsightFilters. */
  readonly field: Field;
  /** Its URL parameter (its name in notices too). */
  readonly param: string;
  /** One value of the parameter; one it rejects is dropped with the message as a notice. */
  readonly item: z.ZodType<Item, string>;
  /** A repeatable parameter (a list, at most MAX_VALUES) or a single one (the first, or null). */
  readonly many: boolean;
  /** The value when the URL does not set it: [] or null. */
  readonly empty: Value;
  /** An empty field is what a form sends for "no choice"; a filter for which "" is a value says so. */
  readonly allowsEmpty?: boolean;
  /** The parameter of a filter without which this one is ignored (with a notice). */
  readonly requires?: string;
  readonly chip: ChipSpec<Item>;
  /**
   * Its options have counts: the keys each would select with the other filters, grouped by this
   * column of the first count table that has it (see ./facets).
   */
  readonly facet?: { column: FacetColumn; table: CountTable };
  /** The condition on the key, `kms_keys k`. */
  onKey?(value: Value, sql: SqlTag, opts: KeyConditionOptions & FilterContext): Sql | null;
  /** Keys that are gone (deleted since) may match too; otherwise only live keys do. */
  keepsGone?(value: Value): boolean;
  /**
   * The condition on one of the key's tags, `key_tags t`. Those of all filters go into one EXISTS,
   * so that one tag meets them all.
   */
  onKeyTag?(value: Value, sql: SqlTag): Sql | null;
  /**
   * The condition on a count table `c`, and the first of COUNT_TABLES with the columns it needs.
   * Absent: the count tables cannot answer the filter, and a total counts the matching keys.
   */
  readonly counts?: {
    table: CountTable;
    on(value: Value, sql: SqlTag, ctx: FilterContext): Sql | null;
    /** True when the value selects several rows of the table in one (severity, account, region). */
    severalPerGroup?(value: Value): boolean;
  };
  /**
   * The condition on `aws_accounts a` for the walk of the accounts in name order, and on
   * `kms_key_evaluations e` for the walk of the evaluations in time order (see page-query.ts).
   * Optional: the keys' own conditions select the rows; these only skip accounts or account-regions
   * that can hold none.
   */
  onAccount?(value: Value, sql: SqlTag): Sql | null;
  onEvaluation?(value: Value, sql: SqlTag): Sql | null;
}

function listFilter<const Field extends string, Item>(
  def: Omit<FilterDef<Field, Item, Item[]>, "many" | "empty">,
): FilterDef<Field, Item, Item[]> {
  return { ...def, many: true, empty: [] };
}

function singleFilter<const Field extends string, Item>(
  def: Omit<FilterDef<Field, Item, Item | null>, "many" | "empty">,
): FilterDef<Field, Item, Item | null> {
  return { ...def, many: false, empty: null };
}

/** A filter is unset when its value is its empty one (a single value of "" counts as unset too). */
export function isSet(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== "";
}

/** NOT_APPLICABLE rows appear only when that severity is chosen. */
export function shownSeverities(filters: { severities: Severity[] }): Severity[] {
  return filters.severities.length > 0
    ? filters.severities
    : SEVERITIES.filter((s) => s !== "NOT_APPLICABLE");
}

/** `%`, `_` and `\` in the search text match themselves. */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** AWS's limits for a tag key and value: a longer one cannot be asked for. */
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;

// PostgreSQL text cannot hold NUL; every other character is a legal (if odd) tag or search text.
const noNul = (s: string) => !s.includes("\0");
const text = (max: number) =>
  z.string().max(max, `longer than ${max} characters`).refine(noNul, "contains a NUL character");

const account = listFilter({
  field: "accounts",
  param: "account",
  item: z.string().regex(/^\d{12}$/, "an account id is 12 digits"),
  chip: {
    label: "Account",
    item: (id, names) => {
      const name = names.accounts.get(id);
      return name === undefined ? id : `${name} (${id.slice(0, 4)}…)`;
    },
  },
  facet: { column: "account_id", table: "kms_key_counts" },
  onKey: (ids, sql) => (ids.length ? sql`k.account_id = ANY(${ids}::char(12)[])` : null),
  counts: {
    table: "kms_key_counts",
    on: (ids, sql) => (ids.length ? sql`c.account_id = ANY(${ids}::char(12)[])` : null),
  },
  onAccount: (ids, sql) => (ids.length ? sql`a.id = ANY(${ids}::char(12)[])` : null),
  onEvaluation: (ids, sql) => (ids.length ? sql`e.account_id = ANY(${ids}::char(12)[])` : null),
});

/** AWS's organizational unit and root ids (Organizations API). */
export const OU_ID = /^(?:ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;

/**
 * Accounts of an organizational unit or root, its children included: `aws_accounts.ou_ids` holds
 * each account's OU ids from the root. The OUs become the set of their accounts' ids (a short list,
 * computed once by PostgreSQL), and the keys and count tables are filtered by account id as for
 * the account filter, with the same indexes. The scope still applies on its own.
 */
const ouAccounts = (ous: string[], sql: SqlTag) =>
  sql`ARRAY(SELECT oa.id FROM aws_accounts oa WHERE oa.ou_ids && ${ous}::text[])`;
const ou = listFilter({
  field: "ous",
  param: "ou",
  item: z.string().trim().regex(OU_ID, "use an organizational unit id (ou-…) or a root id (r-…)"),
  chip: { label: "OU", item: (id, names) => names.ous?.get(id) ?? id },
  onKey: (ous, sql) => (ous.length ? sql`k.account_id = ANY(${ouAccounts(ous, sql)})` : null),
  counts: {
    table: "kms_key_counts",
    on: (ous, sql) => (ous.length ? sql`c.account_id = ANY(${ouAccounts(ous, sql)})` : null),
  },
  onAccount: (ous, sql) => (ous.length ? sql`a.ou_ids && ${ous}::text[]` : null),
  onEvaluation: (ous, sql) => (ous.length ? sql`e.account_id = ANY(${ouAccounts(ous, sql)})` : null),
});

/** Unset, it is every severity but NOT_APPLICABLE (see shownSeverities). */
const severity = listFilter({
  field: "severities",
  param: "severity",
  item: z
    .string()
    .toUpperCase()
    .pipe(z.enum(SEVERITIES, { error: `use ${SEVERITIES.join(", ")}` })),
  chip: { label: "Severity", item: (s) => SEVERITY_LABELS[s] },
  facet: { column: "severity", table: "kms_key_severity_counts" },
  onKey: (severities, sql, opts) =>
    // The same test in a form that is no index condition, for a walk positioned by other means:
    // a severity = ANY(...) condition makes the index scan start at the first severity.
    opts.severityAsFilter
      ? sql`array_position(${shownSeverities({ severities })}::"Severity"[], k.severity) IS NOT NULL`
      : sql`k.severity = ANY(${shownSeverities({ severities })}::"Severity"[])`,
  counts: {
    table: "kms_key_severity_counts",
    on: (severities, sql) => sql`c.severity = ANY(${shownSeverities({ severities })}::"Severity"[])`,
  },
});

const region = listFilter({
  field: "regions",
  param: "region",
  item: z.string().regex(/^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/, "not an AWS region name"),
  chip: { label: "Region" },
  facet: { column: "region", table: "kms_key_counts" },
  onKey: (regions, sql) => (regions.length ? sql`k.region = ANY(${regions}::text[])` : null),
  counts: {
    table: "kms_key_counts",
    on: (regions, sql) => (regions.length ? sql`c.region = ANY(${regions}::text[])` : null),
  },
  onEvaluation: (regions, sql) => (regions.length ? sql`e.region = ANY(${regions}::text[])` : null),
});

/** Keys that carry this tag key (with any value, unless tagValue narrows it). */
const tag = singleFilter({
  field: "tag",
  param: "tag",
  item: text(TAG_KEY_MAX),
  chip: { label: "Tag" },
  facet: { column: "tag_key", table: "kms_key_tag_counts" },
  onKeyTag: (key, sql) => (key ? sql`t.tag_key = ${key}` : null),
  counts: { table: "kms_key_tag_counts", on: (key, sql) => (key ? sql`c.tag_key = ${key}` : null) },
});

/** Values of the chosen tag key ("" included: AWS allows empty values). */
const tagValue = listFilter({
  field: "tagValues",
  param: "tagValue",
  item: text(TAG_VALUE_MAX),
  allowsEmpty: true,
  requires: "tag",
  chip: { label: "Tag value", item: (v) => (v === "" ? "(empty value)" : v), join: "=" },
  facet: { column: "tag_value", table: "kms_key_tag_value_counts" },
  onKeyTag: (values, sql) => (values.length ? sql`t.tag_value = ANY(${values}::text[])` : null),
  counts: {
    table: "kms_key_tag_value_counts",
    on: (values, sql) => (values.length ? sql`c.tag_value = ANY(${values}::text[])` : null),
    severalPerGroup: (values) => values.length > 1,
  },
});

/**
 * Text in the key id, ARN, aliases, description or tag values: the stored column search_text
 * (insight_search_text of them, migration 20261207100200), which the trigram index covers. No
 * count table holds it.
 */
const q = singleFilter({
  field: "q",
  param: "q",
  item: text(256).transform((s) => s.trim()),
  chip: { label: "Search", item: (s) => `"${s}"` },
  onKey: (text, sql) => (text ? sql`k.search_text LIKE ${likeContains(text)} ESCAPE '\\'` : null),
});

/** The statuses the table shows: those chosen, else every one with a change filter, else all but excepted. */
export function shownStatuses(values: { readonly [field: string]: unknown }): readonly FindingStatus[] {
  const chosen = values.statuses as FindingStatus[] | undefined;
  if (chosen?.length) return chosen;
  return isSet(values.changes) ? FINDING_STATUSES : DEFAULT_STATUSES;
}
const statusCondition = (on: "key" | "count", ctx: FilterContext, sql: SqlTag) => {
  const shown = shownStatuses(ctx.values);
  if (shown.length === FINDING_STATUSES.length) return null;
  const statuses = shown.map(statusEnum);
  return on === "key"
    ? sql`k.status = ANY(${statuses}::"FindingStatus"[])`
    : sql`c.status = ANY(${statuses}::"FindingStatus"[])`;
};

/** open, excepted, resolved, passing (see docs/triage.md). Unset: see shownStatuses. */
const status = listFilter({
  field: "statuses",
  param: "status",
  item: z
    .string()
    .toLowerCase()
    .pipe(z.enum(FINDING_STATUSES, { error: `use ${FINDING_STATUSES.join(", ")}` })),
  chip: { label: "Status", item: (s) => STATUS_LABELS[s] },
  facet: { column: "status", table: "kms_key_severity_counts" },
  onKey: (_statuses, sql, ctx) => statusCondition("key", ctx, sql),
  counts: {
    table: "kms_key_severity_counts",
    on: (_statuses, sql, ctx) => statusCondition("count", ctx, sql),
    // A failing group holds open and excepted rows, a passing one resolved and passing rows.
    severalPerGroup: () => true,
  },
});

/**
 * Findings that changed since a scan or a date: new, resolved, reopened. Resolved includes keys
 * deleted since (their findings resolved as deleted), which is why this filter keeps gone keys.
 */
const change = listFilter({
  field: "changes",
  param: "change",
  item: z
    .string()
    .toLowerCase()
    .pipe(z.enum(FINDING_CHANGES, { error: `use ${FINDING_CHANGES.join(", ")}` })),
  chip: { label: "Changed" },
  keepsGone: (changes) => changes.length > 0,
  // "Resolved since T" is the key's last resolution after T (the instants the lifecycle trigger
  // keeps, migration 20261208100000): one range of an index that holds what the totals, the default
  // order and the filter counts read.
  onKey: (changes, sql, ctx) => {
    if (!changes.length) return null;
    const after = changeStart(ctx.values, ctx.scope, sql);
    const instants = changes.map((change) => changeAfter(change, after, sql));
    return sql`(${instants.reduce((all, one) => sql`${all} OR ${one}`)})`;
  },
});

/** The key's last event of a change's kind came after `after`. */
function changeAfter(change: FindingChange, after: Sql, sql: SqlTag): Sql {
  switch (change) {
    case "new":
      return sql`k.last_new_at > ${after}`;
    case "resolved":
      return sql`k.last_resolved_at > ${after}`;
    case "reopened":
      return sql`k.last_reopened_at > ${after}`;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
/** A scan's id (a cuid). */
const SCAN_ID = /^c[a-z0-9]{20,31}$/;
/** A real calendar date, with a time or not (no 31 February). */
const isIsoDate = (s: string) =>
  ISO_DATE.test(s) &&
  !Number.isNaN(Date.parse(s)) &&
  new Date(`${s.slice(0, 10)}T00:00:00Z`).toISOString().startsWith(s.slice(0, 10));

/**
 * Scan `s` covered an account of the scope (it has a target there). The latest such scan is the one
 * whose delta the overview and the scans page show (lib/triage/scan-delta.ts), the one before it
 * the default of `since`: the two must agree for the delta's links to show its numbers.
 */
export function scanCoversScope(scope: AccountScope, sql: SqlTag): Sql {
  return scope === null
    ? sql`TRUE`
    : sql`EXISTS (SELECT 1 FROM scan_targets st WHERE st.scan_id = s.id AND st.account_id = ANY(${scope}::char(12)[]))`;
}

/** The instant a `since` value means: after that scan started, or from that date (UTC midnight). */
function sinceInstant(since: string | null, scope: AccountScope, sql: SqlTag): Sql {
  if (since === null) {
    // The previous scan: the one before the latest that covered an account of the scope.
    const inScope = scanCoversScope(scope, sql);
    return sql`coalesce((SELECT s.started_at FROM scans s WHERE ${inScope}
      ORDER BY s.started_at DESC, s.id DESC OFFSET 1 LIMIT 1), '-infinity'::timestamptz)`;
  }
  if (ISO_DATE.test(since)) return sql`(${since}::timestamptz - interval '1 millisecond')`;
  return sql`coalesce((SELECT s.started_at FROM scans s WHERE s.id = ${since}), 'infinity'::timestamptz)`;
}

/**
 * The instant a change counts from. One that names a scan (the previous one by default) is read
 * once before the queries (./change-start puts it in `changeAfter`, as PostgreSQL's text of it) and
 * compared as a parameter: as a subquery in the condition, the planner cannot know how few keys
 * changed after it, guesses a third of the table and plans for that (parallel workers, sorts).
 */
function changeStart(values: FilterContext["values"], scope: AccountScope, sql: SqlTag): Sql {
  if (typeof values.changeAfter === "string") return sql`${values.changeAfter}::timestamptz`;
  return sinceInstant(values.since as string | null, scope, sql);
}

/** The instant to read before the queries (see changeStart); null when there is none to read. */
export function changeStartToRead(
  values: FilterValues & { changeAfter?: string },
  scope: AccountScope,
  sql: SqlTag,
): Sql | null {
  if (!isSet(values.changes) || values.changeAfter !== undefined) return null;
  if (values.since !== null && ISO_DATE.test(values.since)) return null;
  return sinceInstant(values.since, scope, sql);
}

/** A scan id, or an ISO date (with an optional time), from which `change` counts. */
const since = singleFilter({
  field: "since",
  param: "since",
  requires: "change",
  chip: {
    label: "Since",
    item: (since, names) => names.scans.get(since) ?? since,
    join: "since",
    unset: "the previous scan",
  },
  item: z
    .string()
    .trim()
    .refine((s) => SCAN_ID.test(s) || isIsoDate(s), {
      error: "use a scan id or a date such as 2026-11-30",
    }),
});

/** Open findings past their due date (the SLA of their severity from when they started failing). */
const overdue = singleFilter({
  field: "overdue",
  param: "overdue",
  item: z.enum(["1"], { error: "use 1" }),
  chip: { label: "Overdue", item: () => null },
  onKey: (on, sql) => (on ? sql`k.status = 'OPEN' AND k.due_at < now()` : null),
  // The count tables count by the keys' overdue mark (migration 20261207100000); countSource adds
  // the findings due since they were marked.
  counts: { table: "kms_key_severity_counts", on: (on, sql) => (on ? sql`c.overdue` : null) },
});

const DEFS = [account, ou, severity, status, region, tag, tagValue, change, since, overdue, q] as const;

/** The filters' values, one field per definition. */
export type FilterValues = { -readonly [D in (typeof DEFS)[number] as D["field"]]: D["empty"] };
export type FilterField = keyof FilterValues;

/** The definitions for loops over every filter (each reads its own field of the values). */
export const FILTER_DEFS: readonly FilterDef<FilterField>[] = DEFS;

/**
 * The filters that apply, with their values: a filter that requires another one that is unset
 * does not (a tag value without its tag key).
 */
export function appliedFilters(
  values: FilterValues,
  opts: FilterSelection = {},
): [FilterDef<FilterField>, unknown][] {
  return FILTER_DEFS.filter(
    (def) =>
      (def.requires === undefined || isSet(values[paramDef(def.requires).field])) &&
      !opts.omit?.includes(def.field) &&
      (opts.only === undefined || opts.only(def)),
  ).map((def) => [def, values[def.field]]);
}

/**
 * Filters left out of a query altogether, not set to their empty value (which for severity and
 * status is a default view): a facet counts each option of its filter without that filter.
 */
export interface FilterSelection {
  omit?: readonly FilterField[];
  only?: (def: FilterDef<FilterField>) => boolean;
}

export function paramDef(param: string): FilterDef<FilterField> {
  const def = FILTER_DEFS.find((d) => d.param === param);
  if (!def) throw new Error(`no filter has the parameter ${param}`);
  return def;
}
