import { type FindingStatus, STATUS_LABELS } from "@/lib/triage/status";
import { isoDate, isoDateTime } from "@/lib/verdict/dates";
import type { ReasonCode, RotationStatusLabel, Severity } from "@/lib/verdict/types";

/** The spec's columns, in the spec's order: the table and the CSV both follow this list. */
export const INSIGHT_COLUMNS = [
  { id: "severity", header: "Severity" },
  { id: "accountId", header: "Account Id" },
  { id: "accountName", header: "Account Name" },
  { id: "region", header: "Region" },
  { id: "keyId", header: "Identifier" },
  { id: "aliases", header: "Alias(es)" },
  { id: "rotationStatus", header: "Key Rotation Status" },
  { id: "rotationPeriodDays", header: "Rotation Period (days)" },
  { id: "nextRotation", header: "Next Rotation" },
  { id: "lastRotation", header: "Last Rotation" },
  { id: "keyManager", header: "Key Manager" },
  { id: "keySpec", header: "Key Spec" },
  { id: "keyState", header: "Key State" },
  { id: "origin", header: "Origin" },
  { id: "tags", header: "Tags" },
  { id: "reason", header: "Reason" },
  { id: "description", header: "Description" },
  { id: "arn", header: "ARN" },
  { id: "lastEvaluated", header: "Last Evaluated" },
  // Triage (docs/triage.md): after the spec's columns, so that exports keep their first columns.
  { id: "status", header: "Status" },
  { id: "firstSeen", header: "First Seen" },
  { id: "openFor", header: "Open For (days)" },
  { id: "due", header: "Due" },
] as const;

export type InsightColumn = (typeof INSIGHT_COLUMNS)[number];
export type InsightColumnId = InsightColumn["id"];

export interface InsightRow {
  /** Stable row id (database id), not shown. */
  id: string;
  severity: Severity;
  accountId: string;
  accountName: string;
  region: string;
  keyId: string;
  aliases: string[];
  rotationStatus: RotationStatusLabel;
  rotationPeriodDays: number | null;
  nextRotation: Date | null;
  lastRotation: Date | null;
  keyManager: string;
  keySpec: string;
  keyState: string;
  origin: string;
  tags: { key: string; value: string }[];
  reason: ReasonCode;
  description: string;
  arn: string;
  lastEvaluated: Date;
  status: FindingStatus;
  /** When the finding was first seen failing (null: never failed). */
  firstSeen: Date | null;
  /** Whole days since the current failing period began (open and excepted findings). */
  openForDays: number | null;
  /** The SLA's due date (open and excepted findings). */
  due: Date | null;
  /** Open past its due date. */
  overdue: boolean;
  resolvedReason: string | null;
  /** The expiry of the exception whose end reopened the finding. */
  exceptionExpiredAt: Date | null;
  /** The exception of an excepted finding. */
  exception: {
    id: string;
    kind: "accepted-risk" | "false-positive";
    justification: string;
    owner: string;
    expiresAt: Date;
  } | null;
  /** A multi-Region replica's primary key, where its rotation is set (absent: not read). */
  primary?: { arn: string; region: string | null } | null;
}

export const EXCEPTION_KIND_LABELS = {
  "accepted-risk": "Accepted risk",
  "false-positive": "False positive",
} as const;

/** The exception of a row in one line: kind, justification, owner and id. */
export function formatException(row: InsightRow): string {
  const x = row.exception;
  if (!x) return "";
  return `${EXCEPTION_KIND_LABELS[x.kind]}: ${x.justification} (owner ${x.owner}; ${x.id})`;
}

export function formatTags(tags: InsightRow["tags"]): string {
  return [...tags]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((tag) => `${tag.key}=${tag.value}`)
    .join("; ");
}

/** The text of one cell, the same on screen and in the CSV ("" for an absent value). */
export function formatCell(row: InsightRow, columnId: InsightColumnId): string {
  switch (columnId) {
    case "aliases":
      return row.aliases.join(", ");
    case "tags":
      return formatTags(row.tags);
    case "rotationPeriodDays":
      return row.rotationPeriodDays === null ? "" : String(row.rotationPeriodDays);
    case "nextRotation":
    case "lastRotation":
      return isoDate(row[columnId]);
    case "lastEvaluated":
      return isoDateTime(row.lastEvaluated);
    case "status":
      return STATUS_LABELS[row.status];
    case "firstSeen":
      return isoDateTime(row.firstSeen);
    case "openFor":
      return row.openForDays === null ? "" : String(row.openForDays);
    case "due":
      return isoDate(row.due);
    default:
      return row[columnId] ?? "";
  }
}
