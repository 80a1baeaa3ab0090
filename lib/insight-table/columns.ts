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
    default:
      return row[columnId] ?? "";
  }
}
