import { reasonLabel, SEVERITY_LABELS } from "@/lib/verdict/types";
import { formatCell, INSIGHT_COLUMNS, type InsightColumnId, type InsightRow } from "./columns";

// The insight table on screen: the CSV's columns (INSIGHT_COLUMNS, which keep their codes and
// order) in an order that reads left to right, plus Key, the one column that names the key (its
// alias, else its id) and links to its page.

export type TableColumnId = InsightColumnId | "key";

const ORDER: readonly TableColumnId[] = [
  "severity",
  "accountId",
  "accountName",
  "region",
  "key",
  "keyId",
  "aliases",
  "status",
  "rotationStatus",
  "rotationPeriodDays",
  "reason",
  "nextRotation",
  "lastRotation",
  "openFor",
  "due",
  "firstSeen",
  "keyManager",
  "keySpec",
  "keyState",
  "origin",
  "tags",
  "description",
  "arn",
  "lastEvaluated",
];

/** Shorter headers where the CSV's would widen a compact column. */
const HEADERS: Partial<Record<TableColumnId, string>> = {
  accountId: "Account",
  key: "Key",
  rotationStatus: "Rotation",
};

export const TABLE_COLUMNS: readonly { id: TableColumnId; header: string }[] = ORDER.map((id) => ({
  id,
  header: HEADERS[id] ?? INSIGHT_COLUMNS.find((column) => column.id === id)!.header,
}));

/** Shown until the user chooses otherwise: what fits a laptop screen without scrolling sideways. */
export const DEFAULT_SHOWN: readonly TableColumnId[] = [
  "severity",
  "accountId",
  "region",
  "key",
  "rotationStatus",
  "reason",
  "nextRotation",
];

/** What a cell shows: words where the CSV has a code (severity, reason), the alias or id for Key. */
export function screenCell(row: InsightRow, id: TableColumnId): string {
  switch (id) {
    case "key":
      return row.aliases[0] ?? row.keyId;
    case "severity":
      return SEVERITY_LABELS[row.severity];
    case "reason":
      return reasonLabel(row.reason);
    default:
      return formatCell(row, id);
  }
}

/** The whole story of a cell cut to one line, for its tooltip ("" when the cell says it all). */
export function screenCellTitle(row: InsightRow, id: TableColumnId): string {
  switch (id) {
    case "key":
      return [...row.aliases, row.keyId].join("\n");
    case "reason":
      return row.description;
    default:
      return screenCell(row, id);
  }
}
