import { Prisma } from "@/lib/generated/prisma/client";
import { exceptionKindFromEnum, statusFromEnum } from "@/lib/triage/status";
import type { InsightRow } from "./columns";

// The shape of a row of the insight table as the queries select it (ROW_COLUMNS) and as the page
// and the CSV read it (toInsightRow, insightRowFromArray).

/** The columns of an InsightRow, from `kms_keys k` joined to `aws_accounts a`, in this order. */
const ROW_FIELDS: [expression: string, name: keyof RowRecord][] = [
  ["k.id", "id"],
  ["k.severity::text", "severity"],
  ["k.account_id", "account_id"],
  ["a.name", "account_name"],
  ["k.region", "region"],
  ["k.key_id", "key_id"],
  ["coalesce(k.aliases, '{}')", "aliases"],
  ["k.rotation_status", "rotation_status"],
  ["k.rotation_period_days", "rotation_period_days"],
  ["k.next_rotation", "next_rotation"],
  ["k.last_rotation", "last_rotation"],
  ["k.key_manager", "key_manager"],
  ["k.key_spec", "key_spec"],
  ["k.key_state", "key_state"],
  ["k.origin", "origin"],
  ["k.tags", "tags"],
  ["k.reason", "reason"],
  ["k.finding_description", "finding_description"],
  ["k.arn", "arn"],
  ["k.evaluated_at", "evaluated_at"],
  ["k.status::text", "status"],
  ["k.first_failed_at", "first_failed_at"],
  [
    // Whole UTC days since the day the failing period began, as the overview's ages count them.
    "CASE WHEN k.status IN ('OPEN', 'EXCEPTED') THEN (now() AT TIME ZONE 'UTC')::date - (k.failing_since AT TIME ZONE 'UTC')::date END",
    "open_for_days",
  ],
  ["CASE WHEN k.status IN ('OPEN', 'EXCEPTED') THEN k.due_at END", "due_at"],
  ["k.due_at < now() AND k.status = 'OPEN'", "overdue"],
  ["k.resolved_reason", "resolved_reason"],
  ["k.exception_expired_at", "exception_expired_at"],
  // A multi-Region replica's primary (a primary names itself: not a replica).
  ["CASE WHEN k.primary_key_arn <> k.arn THEN k.primary_key_arn END", "primary_arn"],
  ["k.primary_region", "primary_region"],
  // The exception of an excepted finding (one lookup by primary key, for those rows only).
  [
    `CASE WHEN k.status = 'EXCEPTED' THEN (SELECT jsonb_build_object('id', x.id, 'kind', x.kind,
      'justification', x.justification, 'owner', x.owner_email, 'expiresAt', x.expires_at)
      FROM exceptions x WHERE x.id = k.exception_id) END`,
    "exception",
  ],
];
export const ROW_COLUMNS = Prisma.raw(ROW_FIELDS.map(([expr, name]) => `${expr} AS ${name}`).join(", "));

/** Where each column of ROW_COLUMNS is in a row read as an array. */
export const ROW_INDEX = Object.fromEntries(ROW_FIELDS.map(([, name], i) => [name, i])) as Record<
  keyof RowRecord,
  number
>;

/** A row of ROW_COLUMNS read as an array (pg's rowMode "array": no object per row to build first). */
export function insightRowFromArray(v: unknown[]): InsightRow {
  return toInsightRow({
    id: v[ROW_INDEX.id],
    severity: v[ROW_INDEX.severity],
    account_id: v[ROW_INDEX.account_id],
    account_name: v[ROW_INDEX.account_name],
    region: v[ROW_INDEX.region],
    key_id: v[ROW_INDEX.key_id],
    aliases: v[ROW_INDEX.aliases],
    rotation_status: v[ROW_INDEX.rotation_status],
    rotation_period_days: v[ROW_INDEX.rotation_period_days],
    next_rotation: v[ROW_INDEX.next_rotation],
    last_rotation: v[ROW_INDEX.last_rotation],
    key_manager: v[ROW_INDEX.key_manager],
    key_spec: v[ROW_INDEX.key_spec],
    key_state: v[ROW_INDEX.key_state],
    origin: v[ROW_INDEX.origin],
    tags: v[ROW_INDEX.tags],
    reason: v[ROW_INDEX.reason],
    finding_description: v[ROW_INDEX.finding_description],
    arn: v[ROW_INDEX.arn],
    evaluated_at: v[ROW_INDEX.evaluated_at],
    status: v[ROW_INDEX.status],
    first_failed_at: v[ROW_INDEX.first_failed_at],
    open_for_days: v[ROW_INDEX.open_for_days],
    due_at: v[ROW_INDEX.due_at],
    overdue: v[ROW_INDEX.overdue],
    resolved_reason: v[ROW_INDEX.resolved_reason],
    exception_expired_at: v[ROW_INDEX.exception_expired_at],
    primary_arn: v[ROW_INDEX.primary_arn],
    primary_region: v[ROW_INDEX.primary_region],
    exception: v[ROW_INDEX.exception],
  } as RowRecord);
}

export interface RowRecord {
  id: string;
  severity: string;
  account_id: string;
  account_name: string;
  region: string;
  key_id: string;
  aliases: string[];
  rotation_status: string;
  rotation_period_days: number | null;
  next_rotation: Date | null;
  last_rotation: Date | null;
  key_manager: string;
  key_spec: string;
  key_state: string;
  origin: string;
  tags: unknown;
  reason: string;
  finding_description: string;
  arn: string;
  evaluated_at: Date;
  status: string;
  first_failed_at: Date | null;
  open_for_days: number | null;
  due_at: Date | null;
  overdue: boolean | null;
  resolved_reason: string | null;
  exception_expired_at: Date | null;
  primary_arn: string | null;
  primary_region: string | null;
  exception: unknown;
}

/** The exception of a row: its jsonb (ROW_FIELDS) parsed, or null. */
export function exceptionOf(value: unknown): InsightRow["exception"] {
  if (typeof value !== "object" || value === null) return null;
  const x = value as Record<string, unknown>;
  return {
    id: String(x.id),
    kind: exceptionKindFromEnum(String(x.kind)),
    justification: String(x.justification ?? ""),
    owner: String(x.owner ?? ""),
    expiresAt: new Date(String(x.expiresAt)),
  };
}

export function tagList(tags: unknown): InsightRow["tags"] {
  if (!Array.isArray(tags)) return [];
  return tags
    .filter((t): t is { key: unknown; value: unknown } => typeof t === "object" && t !== null && "key" in t)
    .map((t) => ({ key: String(t.key), value: String(t.value ?? "") }));
}

/** The values come from the database the collector writes: the enum-like strings are trusted. */
export function toInsightRow(r: RowRecord): InsightRow {
  return {
    id: r.id,
    severity: r.severity as InsightRow["severity"],
    accountId: r.account_id,
    accountName: r.account_name,
    region: r.region,
    keyId: r.key_id,
    aliases: r.aliases,
    rotationStatus: r.rotation_status as InsightRow["rotationStatus"],
    rotationPeriodDays: r.rotation_period_days,
    nextRotation: r.next_rotation,
    lastRotation: r.last_rotation,
    keyManager: r.key_manager,
    keySpec: r.key_spec,
    keyState: r.key_state,
    origin: r.origin,
    tags: tagList(r.tags),
    reason: r.reason as InsightRow["reason"],
    description: r.finding_description,
    arn: r.arn,
    lastEvaluated: r.evaluated_at,
    status: statusFromEnum(r.status),
    firstSeen: r.first_failed_at,
    openForDays: r.open_for_days,
    due: r.due_at,
    overdue: r.overdue === true,
    resolvedReason: r.resolved_reason,
    exceptionExpiredAt: r.exception_expired_at,
    exception: exceptionOf(r.exception),
    primary: r.primary_arn ? { arn: r.primary_arn, region: r.primary_region } : null,
  };
}
