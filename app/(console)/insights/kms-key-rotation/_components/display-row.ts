import type { StatusDisplay } from "@/lib/insight-table/status-display";
import type { TableColumnId } from "@/lib/insight-table/screen-columns";
import type { Severity } from "@/lib/verdict/types";

/** A row as the server formatted it for the screen (words for codes; the CSV keeps the codes). */
export interface DisplayRow {
  id: string;
  severity: Severity;
  /** The key's ARN whole (what an exception names), even when its cell is cut. */
  arn: string;
  keyId: string;
  status: StatusDisplay;
  cells: Record<TableColumnId, string>;
  /** A cell's whole text where it differs from what the one-line cell shows. */
  titles: Partial<Record<TableColumnId, string>>;
  tags: { key: string; value: string }[];
  /** "data from …, last scan of this region failed"; null when the region's last scan succeeded. */
  stale: string | null;
}
