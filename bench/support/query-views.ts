import { SORTABLE_COLUMNS, type SortableColumnId } from "@/lib/insight-table/filters";
import { SEARCH_COUNT_CAP } from "@/lib/insight-table/search-cap";
import { accountId, LAST_SCAN_AT, REGIONS } from "./estate";

// The views of bench:query: the insight page's URL parameters, and for each the SQL an engineer
// would write by hand for the same page and total, written here independently of lib/insight-table
// (only the generated estate's schema and indexes are shared). Values are constants of this file
// or of the generated estate, inlined as literals.

/** The page's rows and the total: two statements run side by side, or one giving both. */
export type HandQuery = { page: string; count: string } | { both: string };

export interface QueryView {
  name: string;
  params: string;
  hand: HandQuery;
}

const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;
const list = (items: string[]) => items.map(lit).join(", ");

const COLUMNS = `k.id, k.severity::text AS severity, k.account_id, a.name AS account_name, k.region, k.key_id,
  coalesce(k.aliases, '{}') AS aliases, k.rotation_status, k.rotation_period_days, k.next_rotation, k.last_rotation,
  k.key_manager, k.key_spec, k.key_state, k.origin, k.tags, k.reason, k.finding_description, k.arn, k.evaluated_at`;

const SHOWN = ["CRITICAL", "WARNING", "OK"];
/** The statuses shown when none is chosen: all but EXCEPTED. */
const DEFAULT_STATUSES = ["OPEN", "RESOLVED", "PASSING"];
/** The start of the scan before the newest: what a change counts from by default. */
const PREVIOUS_SCAN = "(SELECT started_at FROM scans ORDER BY started_at DESC OFFSET 1 LIMIT 1)";

/** Each sortable column's ORDER BY key: the expression its index is built on. */
const SORT_KEYS: Record<SortableColumnId, string[]> = {
  severity: ["k.severity", "k.account_id", "k.region", "k.key_id"],
  accountId: ["k.account_id", "k.region", "k.key_id"],
  accountName: ["a.name", "k.account_id", "k.region", "k.key_id"],
  region: ["k.region"],
  keyId: ["k.key_id"],
  aliases: ["insight_aliases_text(k.aliases)"],
  rotationStatus: ["k.rotation_status"],
  rotationPeriodDays: ["k.rotation_period_days"],
  nextRotation: ["k.next_rotation"],
  lastRotation: ["k.last_rotation"],
  keyManager: ["k.key_manager"],
  keySpec: ["k.key_spec"],
  keyState: ["k.key_state"],
  origin: ["k.origin"],
  reason: ["k.reason"],
  description: ["k.finding_description"],
  arn: ["k.arn"],
  lastEvaluated: ["k.evaluated_at", "k.account_id", "k.region", "k.key_id"],
  status: ["k.status"],
  firstSeen: ["k.first_failed_at"],
  due: ["k.due_at"],
};
const NULLABLE = new Set([
  "k.rotation_period_days",
  "k.next_rotation",
  "k.last_rotation",
  "k.first_failed_at",
  "k.due_at",
]);

function order(column: SortableColumnId, desc: boolean): string {
  const dir = desc ? "DESC" : "ASC";
  return [...SORT_KEYS[column], "k.id"]
    .map((e) => `${e} ${dir}${NULLABLE.has(e) ? " NULLS LAST" : ""}`)
    .join(", ");
}

interface Where {
  severities?: string[];
  /** null: every status (the default with a change filter). */
  statuses?: string[] | null;
  account?: string;
  region?: string;
  tag?: string;
  tagValue?: string;
  q?: string;
  overdue?: boolean;
  /** Keys whose last event of one of these kinds is after the instant (SQL); gone keys included. */
  change?: { kinds: string[]; after: string };
}

const statusesOf = (w: Where) =>
  w.statuses === undefined ? (w.change ? null : DEFAULT_STATUSES) : w.statuses;

function where(w: Where): string {
  const parts = [`k.severity IN (${list(w.severities ?? SHOWN)})`];
  if (!w.change) parts.unshift("k.gone_at IS NULL");
  const statuses = statusesOf(w);
  if (statuses) parts.push(`k.status IN (${list(statuses)})`);
  if (w.overdue) parts.push("k.status = 'OPEN' AND k.due_at < now()");
  // The instant of each key's last event of each kind, kept on its row (migration 20261208100000).
  if (w.change)
    parts.push(
      `(${w.change.kinds.map((kind) => `k.last_${kind.toLowerCase()}_at > ${w.change!.after}`).join(" OR ")})`,
    );
  if (w.account) parts.push(`k.account_id = ${lit(w.account)}`);
  if (w.region) parts.push(`k.region = ${lit(w.region)}`);
  if (w.tag) {
    const value = w.tagValue === undefined ? "" : ` AND t.tag_value = ${lit(w.tagValue)}`;
    parts.push(
      `EXISTS (SELECT 1 FROM key_tags t WHERE t.kms_key_id = k.id AND t.tag_key = ${lit(w.tag)}${value})`,
    );
  }
  if (w.q) parts.push(`k.search_text LIKE ${lit(`%${w.q.toLowerCase()}%`)}`);
  return parts.join(" AND ");
}

function count(w: Where): string {
  // No count table holds the due date or the events: count the keys.
  if (w.overdue || w.change) return `SELECT count(*)::int AS total FROM kms_keys k WHERE ${where(w)}`;
  const parts = [`c.severity IN (${list(w.severities ?? SHOWN)})`];
  const statuses = statusesOf(w);
  if (statuses) parts.push(`c.status IN (${list(statuses)})`);
  if (w.account) parts.push(`c.account_id = ${lit(w.account)}`);
  if (w.region) parts.push(`c.region = ${lit(w.region)}`);
  let table = "kms_key_counts";
  if (w.tag) {
    table = w.tagValue === undefined ? "kms_key_tag_counts" : "kms_key_tag_value_counts";
    parts.push(`c.tag_key = ${lit(w.tag)}`);
    if (w.tagValue !== undefined) parts.push(`c.tag_value = ${lit(w.tagValue)}`);
  }
  return `SELECT coalesce(sum(c.count), 0)::int AS total FROM ${table} c WHERE ${parts.join(" AND ")}`;
}

/** The page's ids by the sort's index (a deferred join), then those rows. */
function page(w: Where, column: SortableColumnId = "severity", desc = false, offset = 0): string {
  return `SELECT ${COLUMNS} FROM (
      SELECT k.id FROM kms_keys k WHERE ${where(w)} ORDER BY ${order(column, desc)} LIMIT 50 OFFSET ${offset}
    ) p JOIN kms_keys k ON k.id = p.id JOIN aws_accounts a ON a.id = k.account_id
    ORDER BY ${order(column, desc)}`;
}

/** By account name: accounts in name order, each one's keys through its (account, region, key id) index. */
function pageByAccountName(w: Where, desc: boolean): string {
  const dir = desc ? "DESC" : "ASC";
  return `SELECT ${COLUMNS} FROM (
      SELECT x.id FROM (SELECT id, name FROM aws_accounts ORDER BY name ${dir}, id ${dir}) a
      CROSS JOIN LATERAL (
        SELECT k.id, k.region, k.key_id FROM kms_keys k WHERE ${where(w)} AND k.account_id = a.id
        ORDER BY k.region ${dir}, k.key_id ${dir}, k.id ${dir} LIMIT 50
      ) x ORDER BY a.name ${dir}, a.id ${dir}, x.region ${dir}, x.key_id ${dir}, x.id ${dir} LIMIT 50
    ) p JOIN kms_keys k ON k.id = p.id JOIN aws_accounts a ON a.id = k.account_id
    ORDER BY ${order("accountName", desc)}`;
}

/** By last evaluated: the (instant, account, region) groups in order, each one's keys likewise. */
function pageByEvaluation(w: Where, desc: boolean): string {
  const dir = desc ? "DESC" : "ASC";
  return `SELECT ${COLUMNS} FROM (
      SELECT x.id FROM (
        SELECT account_id, region, evaluated_at FROM kms_key_evaluations
        ORDER BY evaluated_at ${dir}, account_id ${dir}, region ${dir}
      ) e CROSS JOIN LATERAL (
        SELECT k.id, k.key_id FROM kms_keys k WHERE ${where(w)}
          AND k.account_id = e.account_id AND k.region = e.region AND k.evaluated_at = e.evaluated_at
        ORDER BY k.key_id ${dir}, k.id ${dir} LIMIT 50
      ) x ORDER BY e.evaluated_at ${dir}, e.account_id ${dir}, e.region ${dir}, x.key_id ${dir}, x.id ${dir} LIMIT 50
    ) p JOIN kms_keys k ON k.id = p.id JOIN aws_accounts a ON a.id = k.account_id
    ORDER BY ${order("lastEvaluated", desc)}`;
}

/**
 * A search or a change: the matches once, then the total and the page from them (one pass over the
 * matches).
 */
function search(w: Where): HandQuery {
  return {
    both: `WITH m AS MATERIALIZED (
        SELECT k.id, k.severity, k.account_id, k.region, k.key_id FROM kms_keys k WHERE ${where(w)}
      )
      SELECT (SELECT count(*) FROM m)::int AS total, ${COLUMNS} FROM (
        SELECT m.id FROM m ORDER BY m.severity, m.account_id, m.region, m.key_id, m.id LIMIT 50
      ) p JOIN kms_keys k ON k.id = p.id JOIN aws_accounts a ON a.id = k.account_id
      ORDER BY ${order("severity", false)}`,
  };
}

/**
 * A search that matches more keys than the product counts (SEARCH_COUNT_CAP): what the user gets is
 * the count up to one past the cap (shown as "more than …") and the page by walking the sort's
 * index with the text checked on each key, side by side. Also right for fewer matches: the count is
 * then exact, and the walk gives the same page.
 */
function cappedSearch(w: Where): HandQuery {
  return {
    page: page(w),
    count: `SELECT least(count(*), ${SEARCH_COUNT_CAP})::int AS total FROM (
        SELECT 1 FROM kms_keys k WHERE ${where(w)} LIMIT ${SEARCH_COUNT_CAP + 1}
      ) m`,
  };
}

/**
 * A deep page of the default order: the counts per (severity, account, region) of the shown
 * statuses, the order's first keys, locate the group the page starts in; the index walk starts there.
 */
function deepPage(offset: number): string {
  return `WITH c AS (
      SELECT severity, account_id, region, sum(count) AS count FROM kms_key_counts
      WHERE severity IN (${list(SHOWN)}) AND status IN (${list(DEFAULT_STATUSES)}) GROUP BY 1, 2, 3
    ), g AS (
      SELECT severity, account_id, region, count,
        sum(count) OVER (ORDER BY severity, account_id, region) AS through FROM c
    ), s AS (SELECT * FROM g WHERE through > ${offset} ORDER BY through LIMIT 1)
    SELECT ${COLUMNS} FROM (
      SELECT k.id FROM kms_keys k
      WHERE k.gone_at IS NULL AND array_position(ARRAY[${list(SHOWN)}]::"Severity"[], k.severity) IS NOT NULL
        AND k.status IN (${list(DEFAULT_STATUSES)})
        AND (k.severity, k.account_id, k.region) >= ((SELECT severity FROM s), (SELECT account_id FROM s), (SELECT region FROM s))
      ORDER BY ${order("severity", false)}
      LIMIT 50 OFFSET (SELECT ${offset} - (through - count) FROM s)
    ) p JOIN kms_keys k ON k.id = p.id JOIN aws_accounts a ON a.id = k.account_id
    ORDER BY ${order("severity", false)}`;
}

/** Statuses, overdue, changes since a scan or a date, and statuses with other filters. */
function triageViews(account: string, region: string): QueryView[] {
  // Two days before the newest scan: the changes of its last eight scans.
  const since = new Date(Date.parse(LAST_SCAN_AT) - 2 * 86_400_000).toISOString().slice(0, 10);
  const view = (name: string, params: string, w: Where): QueryView => ({
    name,
    params,
    hand: { page: page(w), count: count(w) },
  });
  return [
    view("status excepted", "status=excepted", { statuses: ["EXCEPTED"] }),
    view("status resolved", "status=resolved", { statuses: ["RESOLVED"] }),
    view("status open, overdue", "status=open&overdue=1", { statuses: ["OPEN"], overdue: true }),
    {
      name: "change new (previous scan)",
      params: "change=new",
      hand: search({ change: { kinds: ["NEW"], after: PREVIOUS_SCAN } }),
    },
    {
      name: `change resolved since ${since}`,
      params: `change=resolved&since=${since}`,
      hand: search({
        change: { kinds: ["RESOLVED"], after: `(${lit(since)}::timestamptz - interval '1 millisecond')` },
      }),
    },
    view("status open, tag env=prod", "status=open&tag=env&tagValue=prod", {
      statuses: ["OPEN"],
      tag: "env",
      tagValue: "prod",
    }),
    view("status excepted, one account", `status=excepted&account=${account}`, {
      statuses: ["EXCEPTED"],
      account,
    }),
    view("status open, account and region", `status=open&account=${account}&region=${region}`, {
      statuses: ["OPEN"],
      account,
      region,
    }),
  ];
}

export function queryViews(opts: { keys: number; keyIdPart: string }): QueryView[] {
  const account = accountId(Math.min(17, Math.max(0, Math.ceil(opts.keys / 5000) - 1)));
  const region = REGIONS[1]!;
  const deep = Math.max(2, Math.round((8000 * opts.keys) / 1_000_000));
  const views: QueryView[] = [
    { name: "no filter (severity order)", params: "", hand: { page: page({}), count: count({}) } },
    ...["CRITICAL", "WARNING", "OK", "NOT_APPLICABLE"].map((s) => ({
      name: `severity ${s}`,
      params: `severity=${s}`,
      hand: { page: page({ severities: [s] }), count: count({ severities: [s] }) },
    })),
    {
      name: "one account",
      params: `account=${account}`,
      hand: { page: page({ account }), count: count({ account }) },
    },
    {
      name: "one account and region",
      params: `account=${account}&region=${region}`,
      hand: { page: page({ account, region }), count: count({ account, region }) },
    },
    {
      name: "tag key (env)",
      params: "tag=env",
      hand: { page: page({ tag: "env" }), count: count({ tag: "env" }) },
    },
    {
      name: "tag key and value (env=prod)",
      params: "tag=env&tagValue=prod",
      hand: { page: page({ tag: "env", tagValue: "prod" }), count: count({ tag: "env", tagValue: "prod" }) },
    },
    {
      name: `search, part of a key id`,
      params: `q=${opts.keyIdPart}`,
      hand: search({ q: opts.keyIdPart }),
    },
    {
      name: "search, a word (checkout)",
      params: "q=checkout",
      hand: cappedSearch({ q: "checkout" }),
    },
    {
      name: `page ${deep} (default order)`,
      params: `page=${deep}`,
      hand: { page: deepPage((deep - 1) * 50), count: count({}) },
    },
    ...triageViews(account, region),
  ];
  for (const column of SORTABLE_COLUMNS) {
    for (const desc of [false, true]) {
      if (column === "severity" && !desc) continue; // the default order, above
      views.push({
        name: `sort ${desc ? "-" : ""}${column}`,
        params: `sort=${desc ? "-" : ""}${column}`,
        hand: {
          page:
            column === "accountName"
              ? pageByAccountName({}, desc)
              : column === "lastEvaluated"
                ? pageByEvaluation({}, desc)
                : page({}, column, desc),
          count: count({}),
        },
      });
    }
  }
  return views;
}
