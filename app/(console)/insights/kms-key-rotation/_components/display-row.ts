import type { InsightColumnId } from "@/lib/insight-table/columns";
import type { StatusDisplay } from "@/lib/insight-table/status-display";
import type { Severity } from "@/lib/verdict/types";

/** A row as the server formatted it: the same cell text as the CSV. */
export interface DisplayRow {
  id: string;
  severity: Severity;
  /** The key's ARN whole (what an exception names), even when its cell is cut. */
  arn: string;
  status: StatusDisplay;
  cells: Record<InsightColumnId, string>;
}
